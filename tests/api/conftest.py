"""Fixtures for the JSON API: bearer tokens got the way a client gets them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from madad.accounts.models import User
from tests.api.helpers import TOKEN_URL, bearer_headers, totp_secret_of
from tests.factories import PASSWORD, current_totp_code


@pytest.fixture
def bearer(client: Any) -> Callable[[User], dict[str, str]]:
    """Headers carrying a fresh token for the user (made with two-factor enrolled), issued by
    POST /api/v1/auth/token as a client would get it."""

    def issue(user: User) -> dict[str, str]:
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

    return issue
