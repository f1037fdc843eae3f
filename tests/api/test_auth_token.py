"""POST/DELETE /api/v1/auth/token and GET /api/v1/auth/me."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from madad.accounts.models import ApiToken, User
from madad.accounts.roles import Role
from madad.core.models import AuditEvent
from tests.api.helpers import (
    TOKEN_URL,
    assert_error_shape,
    totp_secret_of,
)
from tests.factories import PASSWORD, current_totp_code

pytestmark = pytest.mark.django_db

ME_URL = "/api/v1/auth/me"


def _ask_for_token(
    client: Client, user: User, *, password: str = PASSWORD, totp: str | None = "current"
) -> Any:
    body: dict[str, Any] = {"email": user.email, "password": password}
    if totp == "current":
        body["totp"] = current_totp_code(totp_secret_of(user))
    elif totp is not None:
        body["totp"] = totp
    return client.post(TOKEN_URL, body, content_type="application/json")


def _wrong_code(user: User) -> str:
    return f"{(int(current_totp_code(totp_secret_of(user))) + 1) % 1_000_000:06d}"


def _actions() -> list[str]:
    return list(AuditEvent.objects.order_by("id").values_list("action", flat=True))


def test_a_token_is_issued_for_password_and_two_factor_code(
    client: Client, make_user: Callable[..., User]
) -> None:
    user = make_user(Role.DOCUMENTER)
    response = _ask_for_token(client, user)
    assert response.status_code == 200
    body = response.json()
    assert body["token"].startswith("mdd_")
    issued = ApiToken.objects.get(user=user)
    hours = (issued.expires_at - timezone.now()) / timedelta(hours=1)
    assert 11 < hours <= 12
    assert "auth.token.issued" in _actions()


def test_the_token_answers_as_its_user(
    client: Client, make_user: Callable[..., User], bearer: Callable[[User], dict[str, str]]
) -> None:
    user = make_user(Role.CASEWORKER)
    response = client.get(ME_URL, headers=bearer(user))
    assert response.status_code == 200
    assert response.json() == {
        "email": user.email,
        "full_name": user.full_name,
        "role": "caseworker",
        "organisation": user.organisation.name,
    }


def test_a_token_is_refused_without_the_two_factor_code(
    client: Client, make_user: Callable[..., User]
) -> None:
    user = make_user()
    assert_error_shape(_ask_for_token(client, user, totp=None), 401, "invalid_totp")
    assert not ApiToken.objects.exists()
    user.refresh_from_db()
    assert user.failed_signins == 1
    assert "auth.signin.failed" in _actions()


def test_a_token_is_refused_with_a_wrong_two_factor_code(
    client: Client, make_user: Callable[..., User]
) -> None:
    user = make_user()
    assert_error_shape(_ask_for_token(client, user, totp=_wrong_code(user)), 401, "invalid_totp")
    assert not ApiToken.objects.exists()
    assert "auth.signin.failed" in _actions()


def test_a_two_factor_code_cannot_be_used_twice(
    client: Client, make_user: Callable[..., User]
) -> None:
    user = make_user()
    code = current_totp_code(totp_secret_of(user))
    assert _ask_for_token(client, user, totp=code).status_code == 200
    assert_error_shape(_ask_for_token(client, user, totp=code), 401, "invalid_totp")
    assert ApiToken.objects.count() == 1


def _code_steps_ago(user: User, steps: int) -> str:
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    code: str = format_hotp_value(hotp_value(totp_secret_of(user), int(time.time()) // 30 - steps))
    return code


def test_a_code_from_the_step_before_still_works(
    client: Client, make_user: Callable[..., User]
) -> None:
    user = make_user()
    assert _ask_for_token(client, user, totp=_code_steps_ago(user, 1)).status_code == 200


def test_a_code_two_steps_old_is_refused(client: Client, make_user: Callable[..., User]) -> None:
    user = make_user()
    assert_error_shape(
        _ask_for_token(client, user, totp=_code_steps_ago(user, 2)), 401, "invalid_totp"
    )


def test_a_token_is_refused_for_a_wrong_password(
    client: Client, make_user: Callable[..., User]
) -> None:
    user = make_user()
    response = client.post(
        TOKEN_URL,
        {
            "email": user.email,
            "password": "not the password",
            "totp": current_totp_code(totp_secret_of(user)),
        },
        content_type="application/json",
    )
    error = assert_error_shape(response, 401, "invalid_credentials")
    assert error["fields"] == {}
    assert response["WWW-Authenticate"] == "Bearer"
    assert not ApiToken.objects.exists()
    failed = AuditEvent.objects.get(action="auth.signin.failed")
    assert failed.actor_label == user.email
    assert failed.object_id == str(user.pk)


def test_an_unknown_address_gets_the_answer_a_wrong_password_gets(client: Client) -> None:
    response = client.post(
        TOKEN_URL,
        {"email": "nobody@test.madad", "password": "whatever"},
        content_type="application/json",
    )
    assert_error_shape(response, 401, "invalid_credentials")
    assert _actions() == ["auth.signin.failed"]


def test_six_failures_lock_the_account_even_against_the_right_credentials(
    client: Client, make_user: Callable[..., User]
) -> None:
    user = make_user()
    for _attempt in range(6):
        assert_error_shape(_ask_for_token(client, user, password="wrong password"), 401)
    response = _ask_for_token(client, user)
    assert_error_shape(response, 423, "locked")
    user.refresh_from_db()
    assert user.is_locked()
    assert not ApiToken.objects.exists()
    actions = _actions()
    assert actions.count("auth.signin.failed") == 6
    assert "auth.account.locked" in actions
    assert actions[-1] == "auth.signin.locked_out"


def test_wrong_two_factor_codes_count_towards_the_lockout(
    client: Client, make_user: Callable[..., User]
) -> None:
    user = make_user()
    for _attempt in range(6):
        _ask_for_token(client, user, totp=_wrong_code(user))
    assert_error_shape(_ask_for_token(client, user), 423, "locked")


def test_a_token_resets_the_count_of_failures(
    client: Client, make_user: Callable[..., User]
) -> None:
    user = make_user()
    for _attempt in range(5):
        _ask_for_token(client, user, password="wrong password")
    assert _ask_for_token(client, user).status_code == 200
    user.refresh_from_db()
    assert user.failed_signins == 0


def test_a_user_without_two_factor_gets_no_token_while_it_is_required(
    client: Client, make_user: Callable[..., User]
) -> None:
    user = make_user(totp=False)
    assert_error_shape(_ask_for_token(client, user, totp=None), 403, "mfa_not_enrolled")
    assert not ApiToken.objects.exists()


def test_a_malformed_address_is_a_field_error_and_writes_nothing(client: Client) -> None:
    response = client.post(
        TOKEN_URL, {"email": "not an address", "password": "x"}, content_type="application/json"
    )
    error = assert_error_shape(response, 422, "invalid")
    assert list(error["fields"]) == ["email"]
    assert not AuditEvent.objects.exists()


def test_only_the_digest_of_a_token_is_stored(
    client: Client, make_user: Callable[..., User]
) -> None:
    raw = _ask_for_token(client, make_user()).json()["token"]
    stored = ApiToken.objects.get()
    assert stored.digest != raw
    assert len(stored.digest) == 64
    with connection.cursor() as cursor:
        for table in (ApiToken._meta.db_table, AuditEvent._meta.db_table):
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - table names from models
            assert raw not in repr(cursor.fetchall())


def test_an_expired_token_is_refused(
    client: Client, make_user: Callable[..., User], bearer: Callable[[User], dict[str, str]]
) -> None:
    headers = bearer(make_user())
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert_error_shape(client.get(ME_URL, headers=headers), 401, "unauthenticated")


def test_a_revoked_token_is_refused(
    client: Client, make_user: Callable[..., User], bearer: Callable[[User], dict[str, str]]
) -> None:
    user = make_user()
    headers = bearer(user)
    response = client.delete(TOKEN_URL, headers=headers)
    assert response.status_code == 204
    assert ApiToken.objects.get().revoked_at is not None
    assert_error_shape(client.get(ME_URL, headers=headers), 401, "unauthenticated")
    revoked = AuditEvent.objects.get(action="auth.token.revoked")
    assert revoked.actor_id == user.pk


def test_revoking_one_token_leaves_the_others(
    client: Client, make_user: Callable[..., User], bearer: Callable[[User], dict[str, str]]
) -> None:
    first, second = make_user(), make_user()
    first_headers, second_headers = bearer(first), bearer(second)
    client.delete(TOKEN_URL, headers=first_headers)
    assert client.get(ME_URL, headers=second_headers).status_code == 200


def test_a_deactivated_users_token_is_refused(
    client: Client, make_user: Callable[..., User], bearer: Callable[[User], dict[str, str]]
) -> None:
    user = make_user()
    headers = bearer(user)
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert_error_shape(client.get(ME_URL, headers=headers), 401)


@pytest.mark.parametrize(
    "authorization",
    [
        "",
        "Bearer",
        "Bearer ",
        "Bearer mdd_made_up",
        "Basic dXNlcjpwYXNz",
        "Bearer ☃☃☃",
    ],
)
def test_a_missing_or_made_up_token_is_refused(client: Client, authorization: str) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    assert_error_shape(client.get(ME_URL, headers=headers), 401, "unauthenticated")


def test_a_session_is_not_a_token(
    make_user: Callable[..., User], signed_in: Callable[[User], Client]
) -> None:
    client = signed_in(make_user())
    assert_error_shape(client.get(ME_URL), 401, "unauthenticated")
