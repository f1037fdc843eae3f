"""Signing in through the real forms: password, then the two-factor code."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.cache import cache
from django.test import Client
from pytest_django import Settings

from madad.accounts.models import Organisation, User
from madad.accounts.roles import Role
from madad.core.models import AuditEvent
from tests.accounts.helpers import (
    LOGIN,
    TWO_FACTOR,
    actions_about,
    post_code,
    post_password,
    session_user_id,
)
from tests.factories import PASSWORD, UserFactory, current_totp_code, enrol_totp

pytestmark = pytest.mark.django_db

LOCKED = "This account is locked after too many failed sign-ins."


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    cache.clear()


@pytest.fixture
def documenter(relief_org: Organisation) -> tuple[User, str]:
    user = UserFactory.create(role=Role.DOCUMENTER, organisation=relief_org)
    return user, enrol_totp(user)


def test_the_password_step_leads_to_the_two_factor_step(
    client: Client, documenter: tuple[User, str]
) -> None:
    user, _secret = documenter
    response = post_password(client, user)
    assert response.status_code == 302
    assert response["Location"] == TWO_FACTOR
    assert session_user_id(client) is None


def test_password_and_code_sign_in_and_audit_it(
    client: Client, documenter: tuple[User, str]
) -> None:
    user, secret = documenter
    post_password(client, user)
    response = post_code(client, current_totp_code(secret))
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert session_user_id(client) == str(user.pk)
    event = AuditEvent.objects.get(action="auth.signin.succeeded")
    assert event.actor_id == user.pk
    assert event.organisation_id == user.organisation_id
    assert client.get("/").status_code == 200


def test_a_wrong_password_is_refused_and_audited_without_the_password(
    client: Client, documenter: tuple[User, str]
) -> None:
    user, _secret = documenter
    response = post_password(client, user, "not the password at all")
    assert response.status_code == 200
    assert "The email address or password is wrong." in response.content.decode()
    assert session_user_id(client) is None
    event = AuditEvent.objects.get(action="auth.signin.failed")
    assert event.actor_label == user.email
    assert event.object_id == str(user.pk)
    row = AuditEvent.objects.filter(pk=event.pk).values().get()
    assert not any("not the password" in str(value) for value in row.values())
    user.refresh_from_db()
    assert user.failed_signins == 1


def test_a_wrong_password_for_an_unknown_address_is_audited_too(client: Client) -> None:
    response = post_password(client, "nobody@test.madad", "whatever it is")
    assert response.status_code == 200
    event = AuditEvent.objects.get(action="auth.signin.failed")
    assert event.actor_label == "nobody@test.madad"
    assert event.object_id == ""


def test_six_wrong_passwords_lock_the_account_and_then_the_right_one_is_refused(
    client: Client, documenter: tuple[User, str]
) -> None:
    user, _secret = documenter
    for _attempt in range(6):
        post_password(client, user, "wrong password guess")
    user.refresh_from_db()
    assert user.is_locked()
    assert actions_about(user).count("auth.account.locked") == 1

    response = post_password(client, user, PASSWORD)
    assert response.status_code == 200
    assert LOCKED in response.content.decode()
    assert session_user_id(client) is None
    assert "auth.signin.locked_out" in actions_about(user)


def test_five_wrong_passwords_do_not_lock_the_account(
    client: Client, documenter: tuple[User, str]
) -> None:
    user, _secret = documenter
    for _attempt in range(5):
        post_password(client, user, "wrong password guess")
    user.refresh_from_db()
    assert not user.is_locked()
    assert post_password(client, user)["Location"] == TWO_FACTOR


def test_failures_are_counted_across_requests_from_different_browsers(
    client_factory: Callable[[], Client], documenter: tuple[User, str]
) -> None:
    user, _secret = documenter
    for _attempt in range(6):
        post_password(client_factory(), user, "wrong password guess")
    user.refresh_from_db()
    assert user.failed_signins == 6
    assert user.is_locked()
    response = post_password(client_factory(), user)
    assert LOCKED in response.content.decode()


def test_an_administrators_unlock_lets_the_user_sign_in_again(
    client: Client,
    client_factory: Callable[[], Client],
    documenter: tuple[User, str],
    make_user: Callable[..., User],
) -> None:
    user, secret = documenter
    for _attempt in range(6):
        post_password(client, user, "wrong password guess")
    assert LOCKED in post_password(client, user).content.decode()

    admin_browser = client_factory()
    admin_browser.force_login(make_user(Role.ADMINISTRATOR, organisation=user.organisation))
    assert admin_browser.post(f"/users/{user.pk}/unlock/").status_code == 302

    assert post_password(client, user)["Location"] == TWO_FACTOR
    post_code(client, current_totp_code(secret))
    assert session_user_id(client) == str(user.pk)


def test_a_successful_sign_in_clears_the_failure_count(
    client: Client, documenter: tuple[User, str]
) -> None:
    user, secret = documenter
    for _attempt in range(3):
        post_password(client, user, "wrong password guess")
    post_password(client, user)
    post_code(client, current_totp_code(secret))
    user.refresh_from_db()
    assert user.failed_signins == 0


def test_a_lock_ends_by_itself_after_the_lockout_time(
    client: Client, documenter: tuple[User, str], settings: Settings
) -> None:
    user, _secret = documenter
    settings.LOCKOUT_MINUTES = 0
    for _attempt in range(6):
        post_password(client, user, "wrong password guess")
    assert post_password(client, user)["Location"] == TWO_FACTOR


def test_a_wrong_two_factor_code_is_refused_and_audited(
    client: Client, documenter: tuple[User, str]
) -> None:
    user, secret = documenter
    post_password(client, user)
    right = current_totp_code(secret)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    response = post_code(client, wrong)
    assert response.status_code == 200
    assert "That code is not right." in response.content.decode()
    assert session_user_id(client) is None
    assert "auth.two_factor.failed" in actions_about(user)
    assert "auth.signin.succeeded" not in actions_about(user)


def test_wrong_two_factor_codes_count_towards_the_lockout(
    client: Client, documenter: tuple[User, str]
) -> None:
    user, secret = documenter
    post_password(client, user)
    for _attempt in range(6):
        post_code(client, "000000" if current_totp_code(secret) != "000000" else "111111")
    user.refresh_from_db()
    assert user.is_locked()
    response = post_code(client, current_totp_code(secret))
    assert LOCKED in response.content.decode()
    assert session_user_id(client) is None


def test_a_recovery_code_signs_in_once(
    client: Client, client_factory: Callable[[], Client], documenter: tuple[User, str]
) -> None:
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    user, _secret = documenter
    code = RecoveryCodes.activate(user).get_unused_codes()[0]
    post_password(client, user)
    post_code(client, code)
    assert session_user_id(client) == str(user.pk)

    again = client_factory()
    post_password(again, user)
    response = post_code(again, code)
    assert response.status_code == 200
    assert session_user_id(again) is None


def test_the_two_factor_step_cannot_be_skipped(
    client: Client, documenter: tuple[User, str]
) -> None:
    user, _secret = documenter
    post_password(client, user)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_a_deactivated_user_cannot_sign_in(client: Client, documenter: tuple[User, str]) -> None:
    user, _secret = documenter
    User.objects.filter(pk=user.pk).update(is_active=False)
    response = post_password(client, user)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/inactive/"
    assert session_user_id(client) is None
    assert "auth.signin.inactive" in actions_about(user)
    page = client.get("/accounts/inactive/")
    assert "This account is deactivated." in page.content.decode()


def test_signing_out_ends_the_session_and_is_audited(
    signed_in: Callable[[User], Client], make_user: Callable[..., User]
) -> None:
    user = make_user(Role.CASEWORKER)
    client = signed_in(user)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert session_user_id(client) is None
    assert "auth.signout" in actions_about(user)
    assert "You have signed out." in client.get(response["Location"]).content.decode()


def test_signing_in_shows_no_allauth_message(client: Client, documenter: tuple[User, str]) -> None:
    user, secret = documenter
    post_password(client, user)
    home = client.get(post_code(client, current_totp_code(secret))["Location"])
    assert "Successfully signed in" not in home.content.decode()
    assert 'class="messages"' not in home.content.decode()


def test_signup_is_closed(client: Client) -> None:
    assert client.get("/accounts/signup/").status_code == 404
    assert (
        client.post(
            "/accounts/signup/", {"email": "new@test.madad", "password1": PASSWORD}
        ).status_code
        == 404
    )
    assert not User.objects.filter(email="new@test.madad").exists()


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/password/reset/",
        "/accounts/email/",
        "/accounts/login/code/",
        "/accounts/3rdparty/",
    ],
)
def test_pages_that_would_need_email_or_self_service_do_not_exist(
    client: Client, path: str
) -> None:
    assert client.get(path).status_code == 404


def test_the_sign_in_page_offers_no_sign_up_or_password_reset_link(client: Client) -> None:
    page = client.get(LOGIN).content.decode()
    assert "signup" not in page
    assert "password/reset" not in page


def _answers(client: Client, address: str, attempts: int) -> list[tuple[int, bool]]:
    """Status and whether the page says "locked", for each wrong password in turn."""
    answers = []
    for _attempt in range(attempts):
        response = post_password(client, address, "wrong password guess")
        answers.append((response.status_code, LOCKED in response.content.decode()))
    return answers


def test_an_unknown_address_answers_as_an_existing_account_does(
    client_factory: Callable[[], Client], documenter: tuple[User, str]
) -> None:
    user, _secret = documenter
    known = _answers(client_factory(), user.email, 8)
    unknown = _answers(client_factory(), "nobody@test.madad", 8)
    assert known == unknown
    assert known[-1] == (200, True)  # both locked after six failures


def test_a_locked_account_is_not_checked(client: Client, documenter: tuple[User, str]) -> None:
    user, _secret = documenter
    _answers(client, user.email, 6)
    checked = AuditEvent.objects.filter(action="auth.signin.failed").count()
    post_password(client, user)
    post_password(client, user, "wrong password guess")
    assert AuditEvent.objects.filter(action="auth.signin.failed").count() == checked == 6
    assert actions_about(user).count("auth.signin.locked_out") == 2
