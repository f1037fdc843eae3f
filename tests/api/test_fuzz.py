"""Random bodies never make the API fail: every answer is below 500, and every error has the
one shape. A small, dependency-free cousin of schemathesis, driven by hypothesis."""

from __future__ import annotations

import functools
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
from madad.accounts.roles import Role
from tests.api.helpers import PERSONS_URL, TOKEN_URL, assert_error_shape

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=300,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Any character, and often the awkward ones: NUL and lone surrogates (which json.dumps escapes
# as \u0000 and \ud800), right-to-left marks, Urdu digits.
_awkward = st.sampled_from(["\x00", "\ud800", "\udfff", "\u202e", "\u06f3", "\ufeff", "-"])
_text = st.text(alphabet=st.characters(exclude_categories=()) | _awkward, max_size=40)
_scalars = st.none() | st.booleans() | st.integers() | st.floats() | _text
_json = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_text, inner, max_size=4),
    max_leaves=12,
)


def _bodies(fields: dict[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[Any]:
    """Mostly objects with some of the schema's own fields holding likely or random values;
    sometimes with unknown keys too, sometimes any JSON at all."""
    named = {name: likely | _text | _json for name, likely in fields.items()}
    shaped = st.fixed_dictionaries({}, optional=named)
    loose = st.dictionaries(st.sampled_from(list(fields)) | _text, _json, max_size=6)
    return shaped | loose | _json


def _check(response: Any) -> None:
    assert response.status_code < 500, response.content
    if response.status_code >= 400:
        assert_error_shape(response, response.status_code)


def _post(client: Client, url: str, body: Any, headers: dict[str, str] | None = None) -> Any:
    # NaN and infinities go out as Python writes them (NaN, Infinity), which is not JSON either
    return client.post(
        url, json.dumps(body), content_type="application/json", headers=headers or {}
    )


@FUZZ
@given(
    body=_bodies(
        {
            "email": st.builds("{}@{}".format, _text, _text),
            "password": _text,
            "totp": st.from_regex(r"\A[0-9]{6}\Z") | _text,
        }
    )
)
def test_random_token_requests_never_fail(client: Client, body: Any) -> None:
    _check(_post(client, TOKEN_URL, body))


@FUZZ
@given(
    raw=st.binary(max_size=200),
    content_type=st.sampled_from(
        [
            "application/json",
            "text/plain",
            "application/ld+json",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
        ]
    ),
)
def test_random_bytes_never_fail(client: Client, raw: bytes, content_type: str) -> None:
    _check(client.post(TOKEN_URL, raw, content_type=content_type))


@pytest.fixture
def documenter_headers(
    make_user: Callable[..., User], bearer: Callable[[User], dict[str, str]]
) -> dict[str, str]:
    return bearer(make_user(Role.DOCUMENTER))


@FUZZ
@given(
    body=_bodies(
        {
            **dict.fromkeys(
                [
                    "given_name",
                    "family_name",
                    "full_name_ur",
                    "father_name",
                    "address",
                    "occupation",
                    "mother_tongue",
                ],
                _text,
            ),
            "sex": st.sampled_from(["female", "male", "other", "unknown"]) | _text,
            "age": st.integers(min_value=-5, max_value=200),
            "date_of_birth": st.dates().map(str) | _text,
            "cnic": st.from_regex(r"\A[0-9]{5}-?[0-9]{7}-?[0-9]\Z") | _text,
            "phone": st.from_regex(r"\A(\+92|0)3[0-9]{9}\Z") | _text,
            "deceased": st.booleans(),
        }
    )
)
def test_random_person_records_never_fail(
    client: Client, documenter_headers: dict[str, str], body: Any
) -> None:
    response = _post(client, PERSONS_URL, body, documenter_headers)
    _check(response)
    assert response.status_code in (201, 400, 422), response.content


@FUZZ
@given(
    query=st.dictionaries(
        st.sampled_from(["limit", "offset"]) | st.text(max_size=20),
        st.text(max_size=30),
        max_size=3,
    )
)
def test_random_list_queries_never_fail(
    client: Client, documenter_headers: dict[str, str], query: dict[str, str]
) -> None:
    _check(client.get(PERSONS_URL, query, headers=documenter_headers))


# --- every operation in the OpenAPI document -----------------------------------------------------
@functools.cache
def _operations() -> list[tuple[str, str, list[str], list[str]]]:
    """(method, path, body field names, query parameter names) of every operation the API
    documents."""
    from madad.api.router import api

    spec = api.get_openapi_schema()
    schemas = spec.get("components", {}).get("schemas", {})
    found = []
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            content = operation.get("requestBody", {}).get("content", {})
            schema = content.get("application/json", {}).get("schema", {})
            if "$ref" in schema:
                schema = schemas.get(schema["$ref"].rsplit("/", 1)[-1], {})
            query = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
            found.append((method, path, sorted(schema.get("properties", {})), query))
    return sorted(found)


_ids = st.integers(min_value=0, max_value=5) | st.integers(min_value=-1, max_value=2**70)


@pytest.fixture
def headers_by_role(
    make_user: Callable[..., User], bearer: Callable[[User], dict[str, str]]
) -> dict[str, dict[str, str]]:
    """A token for each staff role of the relief organisation."""
    roles = [
        Role.DOCUMENTER,
        Role.VERIFIER,
        Role.CASEWORKER,
        Role.COORDINATOR,
        Role.FINANCE,
        Role.AUDITOR,
        Role.ADMINISTRATOR,
    ]
    return {role: bearer(make_user(role)) for role in roles}


@FUZZ
@given(data=st.data())
def test_random_calls_to_any_documented_operation_never_fail(
    client: Client, headers_by_role: dict[str, dict[str, str]], data: st.DataObject
) -> None:
    role = data.draw(st.sampled_from(sorted(headers_by_role)), label="role")
    headers = headers_by_role[role]
    method, path, fields, params = data.draw(st.sampled_from(_operations()), label="operation")
    url = re.sub(r"{[^}]+}", lambda _m: str(data.draw(_ids, label="id")), path)
    names = st.sampled_from(params) | st.text(max_size=10) if params else st.text(max_size=10)
    query = data.draw(
        st.dictionaries(names, _ids.map(str) | st.text(max_size=20), max_size=3), label="query"
    )
    if method in ("get", "delete"):
        response = getattr(client, method)(url, query, headers=headers)
    else:
        body = data.draw(_bodies(dict.fromkeys(fields, _text)) if fields else _json, label="body")
        response = getattr(client, method)(
            f"{url}?{urlencode(query)}",
            json.dumps(body),
            content_type="application/json",
            headers=headers,
        )
    _check(response)
