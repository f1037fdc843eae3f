"""Pagination for API lists: limit/offset, both bounded so that no number reaches the database
unchecked (an offset past 2**63 would make SQLite and PostgreSQL fail rather than answer).

Use `@paginated` on a list endpoint. Unlike django-ninja's bare `@paginate`, it also works in
modules with `from __future__ import annotations` whose endpoint takes `Query[...]` filters:
django-ninja would look the postponed annotations up in its own module and fail.

This module itself must not postpone annotations: django-ninja reads `Input` as written.
"""

import typing
from collections.abc import Callable
from typing import Any

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination, paginate

MAX_LIMIT = 500
MAX_OFFSET = 2_000_000_000


class Pagination(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(100, ge=1, le=MAX_LIMIT, description="How many items, at most.")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="How many items to skip.")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_LIMIT, **kwargs)


def paginated(view: Callable[..., Any]) -> Callable[..., Any]:
    """Pages the list the endpoint returns with `Pagination`."""
    # Resolve postponed annotations where the endpoint was written, before django-ninja wraps it.
    view.__annotations__ = typing.get_type_hints(view, include_extras=True)
    paged: Callable[..., Any] = paginate(Pagination)(view)
    return paged
