"""Users without two-factor sign-in are sent to set it up, unless demo mode turns that off."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from allauth.mfa.models import Authenticator
from django.core.cache import cache
from django.test import Client
from pytest_django import DjangoCaptureOnCommitCallbacks, Settings

from madad.accounts.models import User
from madad.accounts.roles import Role
from tests.accounts.helpers import actions_about, post_password, session_user_id, sign_in
from tests.conftest import has_totp
from tests.factories import PASSWORD, current_totp_code, enrol_totp

pytestmark = pytest.mark.django_db

ENROL = "/accounts/2fa/totp/activate/"


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    cache.clear()


def test_a_user_without_two_factor_is_sent_to_set_it_up(
    client: Client, make_user: Callable[..., User], settings: Settings
) -> None:
    settings.REQUIRE_MFA = True
    user = make_user(Role.CASEWORKER, totp=False)
    response = post_password(client, user)
    assert session_user_id(client) == str(user.pk)
    home = client.get(response["Location"])
    assert home.status_code == 302
    assert home["Location"] == ENROL
    assert client.get("/users/")["Location"] == ENROL


def test_the_enrolment_page_shows_a_qr_code_the_policy_allows(
    client: Client, make_user: Callable[..., User], settings: Settings
) -> None:
    settings.REQUIRE_MFA = True
    user = make_user(Role.CASEWORKER, totp=False)
    post_password(client, user)
    page = client.get(ENROL)
    html = page.content.decode()
    assert page.status_code == 200
    assert '<img src="data:image/svg+xml;base64,' in html
    policy = page["Content-Security-Policy"]
    assert "img-src 'self' data:" in policy
    assert "<script>" not in html and "style=" not in html
    assert page.context["form"].secret in html


def test_reloading_the_enrolment_page_shows_the_same_secret(
    client: Client, make_user: Callable[..., User], settings: Settings
) -> None:
    """A user who scanned the code and then reloads the page keeps the key they scanned."""
    settings.REQUIRE_MFA = True
    user = make_user(Role.CASEWORKER, totp=False)
    post_password(client, user)
    first = client.get(ENROL)
    second = client.get(ENROL)
    assert first.context["form"].secret == second.context["form"].secret
    assert first.context["totp_url"] == second.context["totp_url"]
    assert first.context["form"].secret in second.content.decode()


def test_a_wrong_code_keeps_the_secret_and_the_next_right_one_turns_two_factor_on(
    client: Client, make_user: Callable[..., User], settings: Settings
) -> None:
    settings.REQUIRE_MFA = True
    user = make_user(Role.CASEWORKER, totp=False)
    post_password(client, user)
    secret = client.get(ENROL).context["form"].secret
    wrong = f"{(int(current_totp_code(secret)) + 1) % 1_000_000:06d}"
    assert client.post(ENROL, {"code": wrong}).status_code == 200
    assert client.get(ENROL).context["form"].secret == secret
    assert client.post(ENROL, {"code": current_totp_code(secret)}).status_code == 302
    assert has_totp(user)


def test_a_new_enrolment_after_a_finished_one_gets_a_new_secret(
    client: Client,
    make_user: Callable[..., User],
    settings: Settings,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    """The kept secret ends with the enrolment it was made for: turning two-factor off and on
    again never reuses it."""
    settings.REQUIRE_MFA = True
    user = make_user(Role.CASEWORKER, totp=False)
    post_password(client, user)
    secret = client.get(ENROL).context["form"].secret
    client.post(ENROL, {"code": current_totp_code(secret)})
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/2fa/totp/deactivate/")
    assert not has_totp(user)
    assert client.get(ENROL).context["form"].secret != secret


def test_a_valid_code_turns_two_factor_on(
    client: Client,
    make_user: Callable[..., User],
    settings: Settings,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    settings.REQUIRE_MFA = True
    user = make_user(Role.CASEWORKER, totp=False)
    post_password(client, user)
    secret = client.get(ENROL).context["form"].secret
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ENROL, {"code": current_totp_code(secret)})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/recovery-codes/"
    assert has_totp(user)
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).exists()
    assert "auth.two_factor.enabled" in actions_about(user)
    assert client.get("/").status_code == 200


def test_a_wrong_code_does_not_turn_two_factor_on(
    client: Client, make_user: Callable[..., User], settings: Settings
) -> None:
    settings.REQUIRE_MFA = True
    user = make_user(Role.CASEWORKER, totp=False)
    post_password(client, user)
    secret = client.get(ENROL).context["form"].secret
    wrong = f"{(int(current_totp_code(secret)) + 1) % 1_000_000:06d}"
    response = client.post(ENROL, {"code": wrong})
    assert response.status_code == 200
    assert "That code is not right." in response.content.decode()
    assert not has_totp(user)


def test_demo_mode_lets_a_user_without_two_factor_in(
    client: Client, make_user: Callable[..., User], settings: Settings
) -> None:
    settings.REQUIRE_MFA = False
    user = make_user(Role.CASEWORKER, totp=False)
    response = post_password(client, user)
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_turning_two_factor_off_sends_the_user_back_to_set_it_up(
    client: Client,
    make_user: Callable[..., User],
    settings: Settings,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    settings.REQUIRE_MFA = True
    user = make_user(Role.CASEWORKER, totp=False)
    sign_in(client, user, enrol_totp(user))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/2fa/totp/deactivate/")
    assert response.status_code == 302
    assert not has_totp(user)
    assert "auth.two_factor.disabled" in actions_about(user)
    assert client.get("/")["Location"] == ENROL


def test_turning_two_factor_off_long_after_signing_in_asks_who_you_are(
    signed_in: Callable[[User], Client], make_user: Callable[..., User]
) -> None:
    user = make_user(Role.CASEWORKER)
    client = signed_in(user)  # a session with no recent sign-in in it
    response = client.post("/accounts/2fa/totp/deactivate/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauthenticate/")
    assert has_totp(user)
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "Confirm it is you" in html
    assert "Use a code from your authenticator app" in html


def test_confirming_with_the_password_lets_the_change_through(
    signed_in: Callable[[User], Client],
    make_user: Callable[..., User],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    user = make_user(Role.CASEWORKER)
    client = signed_in(user)
    asked = client.post("/accounts/2fa/totp/deactivate/")["Location"]
    refused = client.post(asked, {"password": "not my password"})
    assert "The password is wrong." in refused.content.decode()
    assert "auth.signin.failed" in actions_about(user)
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(asked, {"password": PASSWORD}, follow=True)
    assert confirmed.status_code == 200
    assert not has_totp(user)


def test_the_accounts_root_is_not_an_error(client: Client) -> None:
    assert client.get("/accounts/").status_code == 404
