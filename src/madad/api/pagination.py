"""Pagination for API lists: limit/offset, both bounded so that no number reaches the database
unchecked (an offset past 2**63 would make SQLite and PostgreSQL fail rather than answer).

django-ninja builds the query model from this module's names: it must not use
`from __future__ import annotations`, and must import `Query`."""

from ninja import Field, Query, Schema
from ninja.pagination import LimitOffsetPagination

MAX_LIMIT = 500
MAX_OFFSET = 2_000_000_000


class Pagination(LimitOffsetPagination):
    InputSource = Query(...)

    class Input(Schema):
        limit: int = Field(100, ge=1, le=MAX_LIMIT, description="How many items, at most.")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="How many items to skip.")

    def __init__(self, **kwargs: object) -> None:
        super().__init__(max_limit=MAX_LIMIT, **kwargs)  # type: ignore[arg-type]
