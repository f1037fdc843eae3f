"""The lockout counts before the password is checked: never more checks than the limit, and an
unknown address answers as an existing account does (web and API)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.cache import cache
from django.test import Client

from madad.accounts import signin
from madad.accounts.models import User
from madad.core.models import AuditEvent
from tests.api.helpers import TOKEN_URL

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    cache.clear()


def test_the_attempt_is_taken_before_the_check_and_never_beyond_the_limit(
    make_user: Callable[..., User],
) -> None:
    user = make_user()
    taken = [signin.signin_attempt_begin(email=user.email.upper()) for _ in range(10)]
    assert taken == [True] * 6 + [False] * 4
    user.refresh_from_db()
    assert user.failed_signins == 6


def test_a_right_password_gives_its_attempt_back(make_user: Callable[..., User]) -> None:
    user = make_user()
    assert signin.signin_attempt_begin(email=user.email)
    signin.attempt_accepted(user=user)
    user.refresh_from_db()
    assert user.failed_signins == 0


def test_the_failure_at_the_limit_locks_once(make_user: Callable[..., User]) -> None:
    user = make_user()
    for _attempt in range(6):
        signin.signin_attempt_begin(email=user.email)
    for _failure in range(3):
        signin.signin_failed(email=user.email)
    user.refresh_from_db()
    assert user.is_locked()
    assert AuditEvent.objects.filter(action="auth.account.locked").count() == 1


def _token_answer(client: Client, email: str) -> tuple[int, str]:
    response = client.post(
        TOKEN_URL, {"email": email, "password": "wrong password"}, content_type="application/json"
    )
    return response.status_code, response.json()["error"]["code"]


def test_the_api_answers_an_unknown_address_as_an_existing_one(
    client: Client, make_user: Callable[..., User]
) -> None:
    user: User = make_user()
    known = [_token_answer(client, user.email) for _ in range(8)]
    unknown = [_token_answer(client, "ghost@test.madad") for _ in range(8)]
    assert known == unknown
    assert known[:6] == [(401, "invalid_credentials")] * 6
    assert known[6:] == [(423, "locked")] * 2
