"""Helpers for the API tests: the one error shape, and bearer headers."""

from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator

from madad.accounts.models import User
from madad.core import crypto

TOKEN_URL = "/api/v1/auth/token"
PERSONS_URL = "/api/v1/persons"


def totp_secret_of(user: User) -> str:
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    return crypto.decrypt(authenticator.data["secret"])


def bearer_headers(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def issue_token(client: Any, user: User) -> dict[str, str]:
    """Bearer headers for a new token, asked for by POST /api/v1/auth/token as a client does
    (with the factories' password and the current two-factor code, which is accepted once)."""
    from tests.factories import PASSWORD, current_totp_code

    response = client.post(
        TOKEN_URL,
        {
            "email": user.email,
            "password": PASSWORD,
            "totp": current_totp_code(totp_secret_of(user)),
        },
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return bearer_headers(response.json()["token"])


def assert_error_shape(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    """The response has this status and the API's one error shape (and this code)."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert set(body) == {"error"}, body
    error = body["error"]
    assert isinstance(error, dict), error
    assert set(error) == {"code", "message", "fields"}, error
    assert isinstance(error["code"], str) and error["code"]
    assert isinstance(error["message"], str) and error["message"]
    assert isinstance(error["fields"], dict)
    for name, messages in error["fields"].items():
        assert isinstance(name, str)
        assert isinstance(messages, list) and all(isinstance(m, str) for m in messages)
    if code is not None:
        assert error["code"] == code, error
    return error
