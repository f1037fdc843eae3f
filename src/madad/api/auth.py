"""Bearer-token authentication for the API. The plumbing knows no app: the router (the top
layer) hands it the function that finds a token's user (madad.accounts.tokens.token_user)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

# token → (user, token record), or None for an unknown, expired or revoked token
TokenLookup = Callable[[str], tuple[Any, Any] | None]


class BearerToken(HttpBearer):
    """Authenticates an API request by its bearer token; request.user becomes its user."""

    def __init__(self, lookup: TokenLookup) -> None:
        super().__init__()
        self.lookup = lookup

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = self.lookup(token)
        if found is None:
            return None
        request.user, request.api_token = found  # type: ignore[attr-defined]
        return found[0]
