"""Random calls to the household, case and assessment endpoints, made by a caseworker and a
coordinator who may use them, never make the API fail: every answer is below 500 and every
error has the one shape."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from madad.accounts.models import User
from madad.cases.models import Case
from tests.api.helpers import assert_error_shape
from tests.cases.factories import case_at

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
_awkward = st.sampled_from(
    [
        "\x00",
        "\ud800",
        "\u202e",
        "\u06f3",
        "",
        " ",
        "-1",
        "1e309",
        "2011-02-30",
        "9999-12-31",
        "head",
        "close",
        "agree_plan",
        "assisting",
        "financial",
        "in_school",
        "NaN",
        "12.345",
    ]
)
_text = st.text(max_size=30) | _awkward
_scalar = st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats() | _text
_json = st.recursive(
    _scalar,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_text, inner, max_size=3),
    max_leaves=8,
)
_member = st.fixed_dictionaries(
    {},
    optional={
        "person_id": _scalar,
        "relation": st.sampled_from(["head", "son", "x"]) | _json,
        "new_person": st.fixed_dictionaries({}, optional={"given_name": _text, "age": _scalar}),
        "dependant": _scalar,
        "schooling": _text,
    },
)
_body = (
    st.fixed_dictionaries(
        {},
        optional={
            "members": st.lists(_member, max_size=3) | _json,
            "address": _text,
            "place_id": _scalar,
            "monthly_income_before": _scalar,
            "monthly_income_after": _scalar,
            "act_ids": st.lists(_scalar, max_size=3) | _json,
            "version": _scalar,
            "household_id": _scalar,
            "caseworker_id": _scalar,
            "risk": _text,
            "next_follow_up": _text,
            "plan": _text,
            "to_status": _text,
            "reason": _text,
            "kind": _text,
            "note": _text,
            "approve": _scalar,
            "text": _text,
            "is_contact": _scalar,
            "title": _text,
            "due_on": _text,
            "assigned_to_id": _scalar,
            "needs": st.dictionaries(
                st.sampled_from(["financial", "safety", "x"]) | _text, _scalar, max_size=3
            )
            | _json,
            "summary": _text,
        },
    )
    | _json
)
_ids = st.integers(min_value=0, max_value=8) | st.integers(min_value=-1, max_value=2**70)


def _operations() -> list[tuple[str, str]]:
    from madad.api.router import api

    spec = api.get_openapi_schema()
    return sorted(
        (method, path)
        for path, item in spec["paths"].items()
        for method in item
        if path.startswith(("/api/v1/cases", "/api/v1/households", "/api/v1/assessments"))
    )


@pytest.fixture
def world(
    caseworker: User, coordinator: User, bearer: Callable[[User], dict[str, str]]
) -> dict[str, Any]:
    """A case at each interesting stage, so that small ids reach real records."""
    cases = [
        case_at(status, caseworker=caseworker, coordinator=coordinator)
        for status in ("open", "assessed", "assisting", "closed")
    ]
    return {"headers": [bearer(caseworker), bearer(coordinator)], "cases": cases}


def test_the_operations_are_documented() -> None:
    assert len(_operations()) >= 20


@FUZZ
@given(data=st.data())
def test_random_calls_never_fail(
    client: Client, world: dict[str, Any], data: st.DataObject
) -> None:
    method, path = data.draw(st.sampled_from(_operations()), label="operation")
    url = re.sub(r"{[^}]+}", lambda _m: str(data.draw(_ids, label="id")), path)
    headers = data.draw(st.sampled_from(world["headers"]), label="who")
    query = data.draw(
        st.dictionaries(
            st.sampled_from(
                [
                    "status",
                    "risk",
                    "caseworker_id",
                    "household_id",
                    "overdue",
                    "awaiting",
                    "place_id",
                    "active",
                    "case_id",
                    "limit",
                    "offset",
                ]
            ),
            st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=12) | _ids.map(str),
            max_size=3,
        ),
        label="query",
    )
    if method in ("get", "delete"):
        response = getattr(client, method)(url, query, headers=headers)
    else:
        body = data.draw(_body, label="body")
        response = getattr(client, method)(
            f"{url}?{urlencode(query)}",
            json.dumps(body),
            content_type="application/json",
            headers=headers,
        )
    assert response.status_code < 500, response.content
    if response.status_code >= 400:
        assert_error_shape(response, response.status_code)
    # whatever was sent, no case is left in a state the workflow forbids
    for case in Case.objects.all():
        assert (case.status == "closed") == (case.closed_at is not None)
