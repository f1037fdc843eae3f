"""Steps of the real sign-in, shared by the accounts tests."""

from __future__ import annotations

from typing import Any

from django.test import Client

from madad.accounts.models import User
from madad.core.models import AuditEvent
from tests.factories import PASSWORD

LOGIN = "/accounts/login/"
TWO_FACTOR = "/accounts/2fa/authenticate/"


def post_password(client: Client, user: User | str, password: str = PASSWORD) -> Any:
    email = user if isinstance(user, str) else user.email
    return client.post(LOGIN, {"login": email, "password": password})


def post_code(client: Client, code: str) -> Any:
    return client.post(TWO_FACTOR, {"code": code})


def actions_about(user: User) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_type="accounts.user", object_id=str(user.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )


def session_user_id(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


def sign_in(client: Client, user: User, secret: str) -> Any:
    """The whole real sign-in: password, then the current two-factor code."""
    from tests.factories import current_totp_code

    post_password(client, user)
    response = post_code(client, current_totp_code(secret))
    assert response.status_code == 302, "sign-in did not complete"
    return client
