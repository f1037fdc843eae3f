"""Locking an account or deactivating its user revokes their API tokens: an unlock or a
reactivation does not bring an old token back, a new one must be issued."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from madad.accounts import signin
from madad.accounts.models import ApiToken, User
from madad.accounts.roles import Role
from madad.core.models import AuditEvent
from tests.accounts.helpers import post_password
from tests.api.helpers import TOKEN_URL, issue_token, totp_secret_of
from tests.factories import PASSWORD, current_totp_code

pytestmark = pytest.mark.django_db

ME_URL = "/api/v1/auth/me"
Bearer = Callable[[User], dict[str, str]]


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    cache.clear()


def _issue(client: Client, user: User) -> dict[str, str]:
    """A new token, asked for as a client does (the used-code record is cleared first: each
    two-factor code is accepted once)."""
    cache.clear()
    return issue_token(client, user)


def _lock_by_wrong_passwords(client: Client, user: User) -> None:
    for _attempt in range(6):
        post_password(client, user, "not the password")
    user.refresh_from_db()
    assert user.is_locked()


def _revocations() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action="auth.api_tokens.revoked").order_by("id"))


def test_locking_the_account_by_wrong_passwords_ends_its_api_tokens(
    client: Client,
    client_factory: Callable[[], Client],
    make_user: Callable[..., User],
    bearer: Bearer,
) -> None:
    user = make_user(Role.CASEWORKER)
    headers = bearer(user)
    assert client.get(ME_URL, headers=headers).status_code == 200
    _lock_by_wrong_passwords(client_factory(), user)
    assert client.get(ME_URL, headers=headers).status_code == 401
    assert not ApiToken.objects.filter(user=user, revoked_at__isnull=True).exists()


def test_the_revocation_is_one_audit_event_naming_how_many_tokens(
    client: Client, client_factory: Callable[[], Client], make_user: Callable[..., User]
) -> None:
    user = make_user(Role.CASEWORKER)
    _issue(client, user)
    _issue(client, user)
    ApiToken.objects.create(
        user=user,
        digest="0" * 64,
        expires_at=timezone.now() + timedelta(hours=1),
        revoked_at=timezone.now(),
    )
    _lock_by_wrong_passwords(client_factory(), user)
    [event] = _revocations()
    assert event.object_type == "accounts.apitoken"
    assert event.object_id == "2"  # the already revoked one is not counted again
    assert event.organisation_id == user.organisation_id
    assert event.actor is None and event.actor_label == user.email


def test_locking_the_account_by_wrong_two_factor_codes_ends_its_api_tokens(
    client: Client, make_user: Callable[..., User], bearer: Bearer
) -> None:
    user = make_user(Role.CASEWORKER)
    headers = bearer(user)
    wrong = f"{(int(current_totp_code(totp_secret_of(user))) + 1) % 1_000_000:06d}"
    for _attempt in range(6):
        client.post(
            TOKEN_URL,
            {"email": user.email, "password": PASSWORD, "totp": wrong},
            content_type="application/json",
        )
    user.refresh_from_db()
    assert user.is_locked()
    assert client.get(ME_URL, headers=headers).status_code == 401
    assert [event.object_id for event in _revocations()] == ["1"]


def test_after_an_unlock_the_old_token_still_does_not_work(
    client: Client, client_factory: Callable[[], Client], make_user: Callable[..., User]
) -> None:
    user = make_user(Role.CASEWORKER)
    old = _issue(client, user)
    _lock_by_wrong_passwords(client_factory(), user)
    call_command("users", "unlock", user.email, stdout=StringIO())
    assert client.get(ME_URL, headers=old).status_code == 401
    assert client.get(ME_URL, headers=_issue(client, user)).status_code == 200


def test_an_administrator_deactivating_a_user_ends_their_api_tokens(
    client: Client,
    signed_in: Callable[[User], Client],
    make_user: Callable[..., User],
    client_factory: Callable[[], Client],
) -> None:
    admin = make_user(Role.ADMINISTRATOR)
    user = make_user(Role.CASEWORKER)
    headers = _issue(client, user)
    browser = client_factory()
    browser.force_login(admin)
    assert browser.post(f"/users/{user.pk}/deactivate/").status_code == 302
    assert not ApiToken.objects.filter(user=user, revoked_at__isnull=True).exists()
    [event] = _revocations()
    assert event.actor == admin and event.object_id == "1"
    browser.post(f"/users/{user.pk}/reactivate/")
    user.refresh_from_db()
    assert user.is_active
    assert client.get(ME_URL, headers=headers).status_code == 401


def test_other_users_tokens_keep_working(
    client: Client, client_factory: Callable[[], Client], make_user: Callable[..., User]
) -> None:
    user = make_user(Role.CASEWORKER)
    colleague = make_user(Role.CASEWORKER)
    _issue(client, user)
    theirs = _issue(client, colleague)
    _lock_by_wrong_passwords(client_factory(), user)
    assert client.get(ME_URL, headers=theirs).status_code == 200


def test_a_token_of_a_user_locked_right_now_is_refused(
    client: Client, make_user: Callable[..., User]
) -> None:
    """Defence in depth: however the lock was set, the token is refused while it lasts."""
    user = make_user(Role.CASEWORKER)
    headers = _issue(client, user)
    User.objects.filter(pk=user.pk).update(locked_until=timezone.now() + timedelta(minutes=5))
    assert client.get(ME_URL, headers=headers).status_code == 401
    User.objects.filter(pk=user.pk).update(locked_until=timezone.now() - timedelta(minutes=1))
    assert client.get(ME_URL, headers=headers).status_code == 200


def test_a_token_of_an_inactive_user_is_refused(
    client: Client, make_user: Callable[..., User]
) -> None:
    user = make_user(Role.CASEWORKER)
    headers = _issue(client, user)
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert client.get(ME_URL, headers=headers).status_code == 401


def test_a_failure_below_the_limit_revokes_nothing(
    client: Client, make_user: Callable[..., User]
) -> None:
    user = make_user(Role.CASEWORKER)
    headers = _issue(client, user)
    assert signin.signin_attempt_begin(email=user.email)
    signin.signin_failed(email=user.email)
    assert client.get(ME_URL, headers=headers).status_code == 200
    assert not _revocations()
