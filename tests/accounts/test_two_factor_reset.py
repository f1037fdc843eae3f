"""`madad users reset-two-factor EMAIL --approved-by EMAIL`: for a user who lost their phone.
It removes their authenticator app and recovery codes, ends their sessions and API tokens, and
needs a second person's approval (an active administrator or coordinator of the same
organisation, not the user); refused, it changes nothing."""

from __future__ import annotations

import re
from collections.abc import Callable
from io import StringIO

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from pytest_django import Settings

from madad.accounts.models import ApiToken, Organisation, User
from madad.accounts.roles import Role
from madad.core.models import AuditEvent
from tests.accounts.helpers import TWO_FACTOR, post_password, session_user_id
from tests.api.helpers import issue_token

pytestmark = pytest.mark.django_db

ENROL = "/accounts/2fa/totp/activate/"
ME_URL = "/api/v1/auth/me"


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    cache.clear()


@pytest.fixture
def lost_phone(make_user: Callable[..., User]) -> User:
    """A caseworker with an authenticator app and recovery codes."""
    user = make_user(Role.CASEWORKER)
    RecoveryCodes.activate(user)
    return user


@pytest.fixture
def admin(make_user: Callable[..., User]) -> User:
    return make_user(Role.ADMINISTRATOR)


def reset(*args: str) -> str:
    out = StringIO()
    call_command("users", "reset-two-factor", *args, stdout=out)
    return out.getvalue()


def _token(client: Client, user: User) -> dict[str, str]:
    return issue_token(client, user)


def _signed_in_browser(client_factory: Callable[[], Client], user: User) -> Client:
    browser = client_factory()
    browser.force_login(user)
    assert browser.get("/").status_code == 200
    return browser


def _untouched(user: User) -> None:
    assert Authenticator.objects.filter(user=user).count() == 2
    assert not AuditEvent.objects.filter(action__startswith="user.two_factor.").exists()
    assert not ApiToken.objects.filter(revoked_at__isnull=False).exists()


def test_it_removes_two_factor_and_ends_sessions_and_tokens(
    client: Client,
    client_factory: Callable[[], Client],
    lost_phone: User,
    admin: User,
) -> None:
    headers = _token(client, lost_phone)
    browser = _signed_in_browser(client_factory, lost_phone)
    output = reset(lost_phone.email.upper(), "--approved-by", admin.email)
    assert not Authenticator.objects.filter(user=lost_phone).exists()
    assert session_user_id(browser) is None
    assert browser.get("/").status_code == 302  # signed out: sent to the public site
    assert client.get(ME_URL, headers=headers).status_code == 401
    assert f"Reset two-factor sign-in of {lost_phone.email}" in output
    assert f"approved by {admin.email}" in output
    assert "ended 1 session" in output and "revoked 1 API token" in output
    assert "set up two-factor sign-in again at their next sign-in" in output


def test_it_is_audited_naming_the_user_the_console_and_the_approver(
    lost_phone: User, admin: User
) -> None:
    reset(lost_phone.email, "--approved-by", admin.email)
    done = AuditEvent.objects.get(action="user.two_factor.reset")
    assert done.actor is None
    assert (done.object_type, done.object_id) == ("accounts.user", str(lost_phone.pk))
    assert done.organisation_id == lost_phone.organisation_id
    approved = AuditEvent.objects.get(action="user.two_factor.reset_approved")
    assert approved.actor == admin
    assert approved.object_id == str(lost_phone.pk)


def test_the_next_sign_in_with_the_password_leads_to_enrolment(
    client: Client, lost_phone: User, admin: User, settings: Settings
) -> None:
    settings.REQUIRE_MFA = True
    reset(lost_phone.email, "--approved-by", admin.email)
    response = post_password(client, lost_phone)
    assert response.status_code == 302 and response["Location"] != TWO_FACTOR
    assert session_user_id(client) == str(lost_phone.pk)
    assert client.get("/")["Location"] == ENROL
    assert client.get(ENROL).status_code == 200


def test_a_coordinator_may_approve(lost_phone: User, make_user: Callable[..., User]) -> None:
    coordinator = make_user(Role.COORDINATOR)
    reset(lost_phone.email, "--approved-by", coordinator.email)
    assert not Authenticator.objects.filter(user=lost_phone).exists()


def test_other_users_keep_their_sessions_and_two_factor(
    client_factory: Callable[[], Client], lost_phone: User, admin: User
) -> None:
    browser = _signed_in_browser(client_factory, admin)
    reset(lost_phone.email, "--approved-by", admin.email)
    assert browser.get("/").status_code == 200
    assert Authenticator.objects.filter(user=admin).exists()


def test_it_needs_an_approver(lost_phone: User) -> None:
    with pytest.raises(CommandError, match="--approved-by"):
        reset(lost_phone.email)
    _untouched(lost_phone)


def test_the_user_cannot_approve_their_own_reset(
    make_user: Callable[..., User], admin: User
) -> None:
    RecoveryCodes.activate(admin)
    with pytest.raises(CommandError, match="second person"):
        reset(admin.email, "--approved-by", admin.email)
    _untouched(admin)


@pytest.mark.parametrize(
    ("role", "where", "active"),
    [
        (Role.CASEWORKER, "same", True),
        (Role.AUDITOR, "same", True),
        (Role.ADMINISTRATOR, "same", False),
        (Role.ADMINISTRATOR, "other", True),
        (Role.COORDINATOR, "other", True),
    ],
    ids=["caseworker", "auditor", "inactive-administrator", "outsider-admin", "outsider-coord"],
)
def test_only_an_active_administrator_or_coordinator_of_the_organisation_approves(
    lost_phone: User,
    make_user: Callable[..., User],
    other_relief_org: Organisation,
    role: str,
    where: str,
    active: bool,
) -> None:
    organisation = lost_phone.organisation if where == "same" else other_relief_org
    approver = make_user(role, organisation=organisation, is_active=active)
    with pytest.raises(CommandError, match=re.escape(f"{approver.email} cannot approve")):
        reset(lost_phone.email, "--approved-by", approver.email)
    _untouched(lost_phone)


def test_unknown_addresses_are_named(lost_phone: User, admin: User) -> None:
    with pytest.raises(CommandError, match=re.escape("address 'ghost@x.example'")):
        reset("ghost@x.example", "--approved-by", admin.email)
    with pytest.raises(CommandError, match=re.escape("address 'nobody@x.example'")):
        reset(lost_phone.email, "--approved-by", "nobody@x.example")
    _untouched(lost_phone)
