"""madad.api.pagination: bounded pages, also for endpoints written with postponed annotations."""

from __future__ import annotations

import pytest
from ninja import Query, Router, Schema
from ninja.testing import TestClient

from madad.api.pagination import MAX_LIMIT, MAX_OFFSET, paginated

router = Router()


class Filters(Schema):
    below: int = 100


@router.get("/numbers", response=list[int], auth=None)
@paginated
def numbers(request: pytest.FixtureRequest, filters: Query[Filters]) -> list[int]:
    return [n for n in range(20) if n < filters.below]


client = TestClient(router)


def test_a_page_takes_filters_limit_and_offset_together() -> None:
    response = client.get("/numbers?below=10&limit=3&offset=8")
    assert response.status_code == 200
    assert response.json() == {"items": [8, 9], "count": 10}


def test_limit_and_offset_are_bounded() -> None:
    assert client.get(f"/numbers?limit={MAX_LIMIT + 1}").status_code == 422
    assert client.get(f"/numbers?offset={MAX_OFFSET + 1}").status_code == 422
    assert client.get(f"/numbers?limit={MAX_LIMIT}&offset={MAX_OFFSET}").json()["items"] == []
