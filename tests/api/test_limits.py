"""Limits every API request meets before any endpoint's rules: oversized bodies answer 413,
numbers out of range 422, bodies that are not a JSON object 422 — in the one error shape,
never a 500."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from madad.accounts.models import User
from madad.accounts.roles import Role
from madad.people.models import Person
from tests.api.helpers import PERSONS_URL, TOKEN_URL, assert_error_shape

pytestmark = pytest.mark.django_db

Bearer = Callable[[User], dict[str, str]]
TOO_LARGE_FOR_A_BIGINT = 2**63  # 9223372036854775808


def _oversized_json() -> str:
    padding = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1024)
    return json.dumps({"email": "a@test.madad", "password": padding})


def test_an_oversized_body_to_the_token_endpoint_is_too_large(client: Client) -> None:
    response = client.post(TOKEN_URL, _oversized_json(), content_type="application/json")
    assert_error_shape(response, 413, "too_large")


def test_an_oversized_body_from_a_signed_in_client_is_too_large(
    client: Client, make_user: Callable[..., User], bearer: Bearer
) -> None:
    headers = bearer(make_user(Role.DOCUMENTER))
    response = client.post(
        PERSONS_URL, _oversized_json(), content_type="application/json", headers=headers
    )
    assert_error_shape(response, 413, "too_large")
    assert not Person.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        f"/api/v1/places?parent={TOO_LARGE_FOR_A_BIGINT}",
        f"/api/v1/households?place_id={TOO_LARGE_FOR_A_BIGINT}",
        f"/api/v1/cases?household_id={TOO_LARGE_FOR_A_BIGINT}",
        f"/api/v1/claims?case={TOO_LARGE_FOR_A_BIGINT}",
        f"/api/v1/assistance?case={TOO_LARGE_FOR_A_BIGINT}",
        f"/api/v1/places?limit={TOO_LARGE_FOR_A_BIGINT}",
    ],
)
def test_a_number_too_large_for_the_database_is_invalid(
    client: Client, coordinator: User, bearer: Bearer, url: str
) -> None:
    response = client.get(url, headers=bearer(coordinator))
    assert_error_shape(response, 422)


def test_a_number_no_schema_bounded_is_invalid_when_the_database_cannot_hold_it(
    client: Client, coordinator: User, bearer: Bearer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # SQLite cannot bind an integer over 64 bits: the API's one handler says 422, not 500,
    # wherever in an endpoint the number reaches the database.
    def overflowing(**kwargs: Any) -> None:
        raise OverflowError("Python int too large to convert to SQLite INTEGER")

    monkeypatch.setattr("madad.places.api.place_list", overflowing)
    response = client.get("/api/v1/places?q=Saddar", headers=bearer(coordinator))
    error = assert_error_shape(response, 422, "invalid")
    assert list(error["fields"]) == ["__all__"]
    assert b"SQLite" not in response.content


@pytest.mark.parametrize("body", ["null", "[]", '"x"', "[{}]", "42"])
def test_a_body_that_is_not_a_json_object_creates_nothing(
    client: Client, make_user: Callable[..., User], bearer: Bearer, body: str
) -> None:
    headers = bearer(make_user(Role.DOCUMENTER))
    response = client.post(PERSONS_URL, body, content_type="application/json", headers=headers)
    error = assert_error_shape(response, 422, "invalid")
    assert list(error["fields"]) == ["__all__"]
    assert not Person.objects.exists()


@pytest.mark.parametrize("value", [0, 1, "true", "yes"])
def test_a_yes_or_no_field_takes_only_true_or_false(
    client: Client, make_user: Callable[..., User], bearer: Bearer, value: Any
) -> None:
    """schemathesis found `"deceased": 0` accepted where the document says boolean."""
    headers = bearer(make_user(Role.DOCUMENTER))
    body = json.dumps({"given_name": "Test", "deceased": value})
    response = client.post(PERSONS_URL, body, content_type="application/json", headers=headers)
    error = assert_error_shape(response, 422, "invalid")
    assert list(error["fields"]) == ["deceased"]
    assert not Person.objects.exists()


@pytest.mark.parametrize("value", ["0", "1700000000", "2024-1-1"])
def test_a_date_is_only_ever_year_month_day(
    client: Client, make_user: Callable[..., User], bearer: Bearer, value: str
) -> None:
    """schemathesis found `GET /fund/entries?date_to=0` read as 1 January 1970."""
    headers = bearer(make_user(Role.FINANCE))
    response = client.get("/api/v1/fund/entries", {"date_to": value}, headers=headers)
    error = assert_error_shape(response, 422, "invalid")
    assert error["fields"] == {"date_to": ["Enter the date as YYYY-MM-DD."]}
    assert (
        client.get("/api/v1/fund/entries", {"date_to": "2024-01-01"}, headers=headers).status_code
        == 200
    )


def test_a_form_upload_without_a_boundary_is_a_bad_request(
    client: Client, make_user: Callable[..., User], bearer: Bearer
) -> None:
    """schemathesis found `Content-Type: multipart/form-data` with no boundary answered 500."""
    headers = bearer(make_user(Role.DOCUMENTER))
    response = client.post(
        "/api/v1/evidence",
        b"--x\r\nfile\r\n--x--",
        content_type="multipart/form-data",
        headers=headers,
    )
    assert_error_shape(response, 400, "bad_request")
