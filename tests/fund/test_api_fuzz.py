"""Random calls to /api/v1/fund never make it fail: every answer is below 500 in the one error
shape, and refused writes leave the books balanced."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from urllib.parse import urlencode

import pytest
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from madad.accounts.models import User
from tests.api.helpers import assert_error_shape
from tests.fund.factories import Books, give
from tests.fund.ledger_checks import assert_books_balance

pytestmark = pytest.mark.django_db

_awkward = st.sampled_from(
    [
        "\u202e",
        "\u06f3",
        "\ufeff",
        "-",
        "1e9",
        "NaN",
        "0.0001",
        "99999999999999999999",
        "٣٠٠",
        " 12 ",
        "1,000",
    ]
)
_text = st.text(max_size=25) | _awkward
_values = st.none() | st.booleans() | st.integers() | st.floats() | _text | st.dates().map(str)
_ids = st.integers(min_value=0, max_value=6) | st.integers(min_value=-1, max_value=2**70)


def _operations() -> list[tuple[str, str, list[str]]]:
    from madad.api.router import api

    spec = api.get_openapi_schema()
    schemas = spec.get("components", {}).get("schemas", {})
    found = []
    for path, item in spec["paths"].items():
        if not path.startswith("/api/v1/fund"):
            continue
        for method, operation in item.items():
            schema = (
                operation.get("requestBody", {})
                .get("content", {})
                .get("application/json", {})
                .get("schema", {})
            )
            if "$ref" in schema:
                schema = schemas.get(schema["$ref"].rsplit("/", 1)[-1], {})
            found.append((method, path, sorted(schema.get("properties", {}))))
    return sorted(found)


@pytest.fixture
def setting(
    finance: User, books: Books, bearer: Callable[[User], dict[str, str]]
) -> dict[str, str]:
    give(finance, account=books.usd, earmark=books.general, amount="100", rate="280")
    give(finance, account=books.pkr, earmark=books.education, amount="5000")
    return bearer(finance)


@settings(
    max_examples=100,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_random_calls_to_the_fund_api_never_fail(
    client: Client, setting: dict[str, str], finance: User, data: st.DataObject
) -> None:
    operations = _operations()
    assert len(operations) >= 20
    method, path, fields = data.draw(st.sampled_from(operations), label="operation")
    url = re.sub(r"{[^}]+}", lambda _m: str(data.draw(_ids, label="id")), path)
    with transaction.atomic():
        if method == "get":
            query = data.draw(
                st.dictionaries(
                    st.sampled_from(
                        ["date_from", "date_to", "limit", "offset", "channel", "currency", "kind"]
                    ),
                    _text,
                    max_size=3,
                ),
                label="query",
            )
            response = client.get(url, query, headers=setting)
        else:
            body = data.draw(
                st.fixed_dictionaries({}, optional={name: _values | _ids for name in fields}),
                label="body",
            )
            response = client.post(
                f"{url}?{urlencode({})}",
                json.dumps(body),
                content_type="application/json",
                headers=setting,
            )
        assert response.status_code < 500, response.content
        if response.status_code >= 400:
            assert_error_shape(response, response.status_code)
        assert_books_balance(finance.organisation)
        transaction.set_rollback(True)
