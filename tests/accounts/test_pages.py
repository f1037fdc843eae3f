"""allauth's pages in Madad's frame: Madad's layout and words, every field labelled, nothing
the content security policy would block."""

from __future__ import annotations

from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.core.cache import cache
from django.test import Client
from pytest_django import DjangoCaptureOnCommitCallbacks, Settings

import madad
from madad.accounts.models import User
from madad.accounts.roles import Role
from tests.accounts.helpers import actions_about, post_password, sign_in
from tests.factories import enrol_totp

pytestmark = pytest.mark.django_db

MADAD_TEMPLATES = Path(madad.__file__).resolve().parent


class _Form(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.inputs: list[dict[str, str | None]] = []
        self.label_targets: set[str] = set()
        self.inline_scripts = 0
        self.style_attributes = 0
        self.html_attrs: dict[str, str | None] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "html":
            self.html_attrs = a
        if "style" in a:
            self.style_attributes += 1
        if tag == "script" and "src" not in a:
            self.inline_scripts += 1
        if tag == "label" and a.get("for"):
            self.label_targets.add(a["for"] or "")
        if tag in ("input", "select", "textarea") and a.get("type") not in ("hidden", "submit"):
            self.inputs.append(a)


def _parse(response: Any) -> _Form:
    parser = _Form()
    parser.feed(response.content.decode())
    return parser


def _assert_madad_page(response: Any, heading: str) -> None:
    assert response.status_code == 200
    origin = Path(response.templates[0].origin.name).resolve()
    assert MADAD_TEMPLATES in origin.parents, f"{origin} is not one of Madad's templates"
    html = response.content.decode()
    assert 'class="site-header"' in html
    assert f"<h1>{heading}</h1>" in html
    page = _parse(response)
    unlabelled = [i for i in page.inputs if i.get("id") not in page.label_targets]
    assert not unlabelled, f"fields without a label: {unlabelled}"
    assert not any("placeholder" in i for i in page.inputs)
    assert page.inline_scripts == 0
    assert page.style_attributes == 0


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    cache.clear()


@pytest.fixture
def enrolled(make_user: Callable[..., User]) -> tuple[User, str]:
    user = make_user(Role.DOCUMENTER, totp=False)
    return user, enrol_totp(user)


def test_the_sign_in_page(client: Client) -> None:
    _assert_madad_page(client.get("/accounts/login/"), "Sign in")


def test_the_two_factor_step(client: Client, enrolled: tuple[User, str]) -> None:
    user, _secret = enrolled
    post_password(client, user)
    response = client.get("/accounts/2fa/authenticate/")
    _assert_madad_page(response, "Two-factor sign-in")
    assert 'autocomplete="one-time-code"' in response.content.decode()


def test_the_sign_in_page_shows_a_wrong_password_at_the_form(
    client: Client, enrolled: tuple[User, str]
) -> None:
    user, _secret = enrolled
    response = post_password(client, user, "wrong password guess")
    html = response.content.decode()
    assert 'class="form-errors" role="alert"' in html
    assert "The email address or password is wrong." in html


def test_a_field_error_is_shown_at_the_field_and_tied_to_it(client: Client) -> None:
    response = client.post("/accounts/login/", {"login": "", "password": ""})
    html = response.content.decode()
    assert html.count('class="field has-errors"') == 2
    assert (
        '<ul class="errorlist field-error" id="id_login_error"><li>This field is required.' in html
    )
    assert 'aria-invalid="true" aria-describedby="id_login_error"' in html


def test_the_sign_out_page(signed_in: Callable[[User], Client], enrolled: tuple[User, str]) -> None:
    _assert_madad_page(signed_in(enrolled[0]).get("/accounts/logout/"), "Sign out")


def test_the_security_page(client: Client, enrolled: tuple[User, str]) -> None:
    user, secret = enrolled
    RecoveryCodes.activate(user)
    response = sign_in(client, user, secret).get("/accounts/2fa/")
    _assert_madad_page(response, "Security")
    html = response.content.decode()
    assert "10 unused codes left." in html
    assert "/accounts/password/change/" in html


def test_the_password_change_page(client: Client, enrolled: tuple[User, str]) -> None:
    user, secret = enrolled
    response = sign_in(client, user, secret).get("/accounts/password/change/")
    _assert_madad_page(response, "Change your password")


def test_the_password_confirmation_page(
    signed_in: Callable[[User], Client], enrolled: tuple[User, str]
) -> None:
    response = signed_in(enrolled[0]).get("/accounts/reauthenticate/")
    _assert_madad_page(response, "Confirm it is you")


def test_the_code_confirmation_page(
    signed_in: Callable[[User], Client], enrolled: tuple[User, str]
) -> None:
    response = signed_in(enrolled[0]).get("/accounts/2fa/reauthenticate/")
    _assert_madad_page(response, "Confirm it is you")
    assert "Use your password" in response.content.decode()


def test_the_enrolment_page(
    client: Client, make_user: Callable[..., User], settings: Settings
) -> None:
    settings.REQUIRE_MFA = True
    user = make_user(Role.CASEWORKER, totp=False)
    post_password(client, user)
    response = client.get("/accounts/2fa/totp/activate/")
    _assert_madad_page(response, "Turn on two-factor sign-in")


def test_the_turn_off_page(client: Client, enrolled: tuple[User, str]) -> None:
    user, secret = enrolled
    response = sign_in(client, user, secret).get("/accounts/2fa/totp/deactivate/")
    _assert_madad_page(response, "Turn off two-factor sign-in")


def test_the_recovery_codes_pages(client: Client, enrolled: tuple[User, str]) -> None:
    user, secret = enrolled
    codes = RecoveryCodes.activate(user).get_unused_codes()
    sign_in(client, user, secret)
    shown = client.get("/accounts/2fa/recovery-codes/")
    _assert_madad_page(shown, "Recovery codes")
    assert all(code in shown.content.decode() for code in codes)
    _assert_madad_page(
        client.get("/accounts/2fa/recovery-codes/generate/"), "Make new recovery codes"
    )


def test_making_new_recovery_codes_replaces_the_old_ones(
    client: Client,
    enrolled: tuple[User, str],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    user, secret = enrolled
    old = RecoveryCodes.activate(user).get_unused_codes()
    sign_in(client, user, secret)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/2fa/recovery-codes/generate/")
    html = client.get(response["Location"]).content.decode()
    assert not any(code in html for code in old)
    recovery_codes = Authenticator.objects.get(user=user, type="recovery_codes")
    assert len(RecoveryCodes(recovery_codes).get_unused_codes()) == 10
    assert "auth.recovery_codes.generated" in actions_about(user)


def test_the_pages_speak_urdu_right_to_left(client: Client) -> None:
    client.cookies["django_language"] = "ur"
    page = _parse(client.get("/accounts/login/"))
    assert page.html_attrs == {"lang": "ur", "dir": "rtl"}
