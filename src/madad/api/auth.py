from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from madad.accounts.tokens import token_user


class BearerToken(HttpBearer):
    """Authenticates an API request by its bearer token; request.user becomes its user."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = token_user(token)
        if found is None:
            return None
        request.user, request.api_token = found  # type: ignore[attr-defined]
        return found[0]
