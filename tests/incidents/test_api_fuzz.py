"""Random bodies sent to the incident endpoints never make the API fail: every answer is below
500 and every error has the one shape."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from madad.accounts.models import User
from madad.incidents.models import Incident
from tests.api.helpers import assert_error_shape

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=120,
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
        "killed",
        "B",
        "targeted-killing",
    ]
)
_text = st.text(max_size=30) | _awkward
_scalar = st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats() | _text
_json = st.recursive(
    _scalar,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_text, inner, max_size=3),
    max_leaves=8,
)
_date = st.dates().map(str) | _text
_act = st.fixed_dictionaries(
    {},
    optional={
        "victim_id": st.integers(-5, 10**12) | _json,
        "act_type": st.sampled_from(["killed", "abducted", "x"]) | _json,
        "new_victim": st.fixed_dictionaries(
            {}, optional={"given_name": _text, "age": _scalar, "sex": _text}
        )
        | _json,
        "date": _date,
    },
)
_source = st.fixed_dictionaries(
    {},
    optional={
        "kind": st.sampled_from(["witness", "news", "?"]) | _json,
        "reliability": st.sampled_from(list("ABCDEFG")) | _json,
        "credibility": st.integers(-1, 8) | _json,
        "url": _text,
        "person_id": _scalar,
    },
)
_incident = (
    st.fixed_dictionaries(
        {},
        optional={
            "title": _text,
            "start_date": _date,
            "end_date": _date,
            "place_id": _scalar,
            "types": st.lists(st.sampled_from(["arson", "other", "nope"]) | _text, max_size=3)
            | _json,
            "latitude": _scalar,
            "longitude": _scalar,
            "start_precision": _text,
            "confidentiality": _text,
            "acts": st.lists(_act, max_size=2) | _json,
            "sources": st.lists(_source, max_size=2) | _json,
            "version": _scalar,
        },
    )
    | _json
)


def _check(response: Any) -> None:
    assert response.status_code < 500, response.content
    if response.status_code >= 400:
        assert_error_shape(response, response.status_code)


@pytest.fixture
def headers(documenter: User, bearer: Callable[[User], dict[str, str]]) -> dict[str, str]:
    return bearer(documenter)


@FUZZ
@given(body=_incident)
def test_random_incidents_never_fail(client: Client, headers: dict[str, str], body: Any) -> None:
    _check(
        client.post(
            "/api/v1/incidents", json.dumps(body), content_type="application/json", headers=headers
        )
    )


@FUZZ
@given(
    body=_incident,
    params=st.dictionaries(
        st.sampled_from(
            ["q", "date_from", "date_to", "type", "district", "town", "status", "limit", "offset"]
        ),
        # a query string cannot carry a lone surrogate at all: the client could not send it
        st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=30),
        max_size=4,
    ),
)
def test_random_patches_and_queries_never_fail(
    client: Client, headers: dict[str, str], incident: Incident, body: Any, params: dict[str, str]
) -> None:
    url = f"/api/v1/incidents/{incident.pk}"
    _check(client.patch(url, json.dumps(body), content_type="application/json", headers=headers))
    _check(
        client.post(
            f"{url}/acts", json.dumps(body), content_type="application/json", headers=headers
        )
    )
    _check(client.get("/api/v1/incidents", params, headers=headers))
