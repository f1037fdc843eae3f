"""Request types that say what the views may rely on."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from madad.accounts.models import User


class AuthedRequest(HttpRequest):
    """A request from a signed-in user: staff views behind `login_required` and API endpoints
    behind the bearer token. Annotate such views with it instead of `HttpRequest`, so that
    `request.user` is a `User`."""

    user: User
