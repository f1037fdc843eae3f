"""Every API error, whoever answers it, has one shape: {"error": {"code", "message", "fields"}}."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from madad.accounts.models import User
from madad.core.models import AuditEvent
from tests.api.helpers import PERSONS_URL, TOKEN_URL, assert_error_shape

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "body",
    [
        "{not json",
        '{"email": ',
        '"unterminated',
        "[1, 2",
        "nul",
        "\x00",
        "{'single': 1}",
    ],
)
def test_a_malformed_json_body_is_a_bad_request(client: Client, body: str) -> None:
    response = client.post(TOKEN_URL, body, content_type="application/json")
    assert_error_shape(response, 400, "malformed_json")
    assert not AuditEvent.objects.exists()


def test_a_body_that_is_not_utf8_is_a_bad_request(client: Client) -> None:
    response = client.post(TOKEN_URL, b"\xff\xfe{\x00", content_type="application/json")
    assert_error_shape(response, 400, "malformed_json")


@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain",
        "application/x-www-form-urlencoded",
        "application/xml",
        "",
    ],
)
def test_a_body_in_another_format_is_refused(client: Client, content_type: str) -> None:
    body = json.dumps({"email": "a@test.madad", "password": "x"})
    response = client.post(TOKEN_URL, body, content_type=content_type)
    assert_error_shape(response, 415, "unsupported_media_type")
    assert not AuditEvent.objects.exists()


def test_json_with_a_charset_is_accepted(client: Client) -> None:
    body = json.dumps({"email": "nobody@test.madad", "password": "x"})
    response = client.post(TOKEN_URL, body, content_type="application/json; charset=utf-8")
    assert_error_shape(response, 401, "invalid_credentials")


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({}, {"email", "password"}),
        ({"email": 5, "password": None}, {"email", "password"}),
        ({"email": "a@test.madad", "password": "x", "totp": 123456}, {"totp"}),
        ({"email": "a" * 300 + "@test.madad", "password": "x"}, {"email"}),
        # a body that is no JSON object is refused as a whole, never read as {}
        ([1, 2], {"__all__"}),
        ("just a string", {"__all__"}),
        (None, {"__all__"}),
    ],
)
def test_wrong_types_are_named_by_field(client: Client, body: Any, fields: set[str]) -> None:
    response = client.post(TOKEN_URL, json.dumps(body), content_type="application/json")
    error = assert_error_shape(response, 422, "invalid")
    assert set(error["fields"]) == fields


def test_an_empty_body_is_a_field_error(client: Client) -> None:
    response = client.post(TOKEN_URL, "", content_type="application/json")
    error = assert_error_shape(response, 422, "invalid")
    assert error["fields"]


def test_field_messages_are_translated(client: Client) -> None:
    response = client.post(
        TOKEN_URL, "{}", content_type="application/json", headers={"Accept-Language": "ur"}
    )
    error = assert_error_shape(response, 422)
    assert error["fields"]["email"] != ["This field is required."]
    assert error["fields"]["email"] != ["Field required"]


@pytest.mark.parametrize("text", ["nul\u0000", "\ud800 alone"])
def test_text_no_database_can_store_is_a_field_error(client: Client, text: str) -> None:
    body = json.dumps({"email": "a@test.madad", "password": text})  # escapes \u0000 and \ud800
    error = assert_error_shape(
        client.post(TOKEN_URL, body, content_type="application/json"), 422, "invalid"
    )
    assert list(error["fields"]) == ["password"]
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/nowhere",
        "/api/v1/",
        "/api/v1/auth/",
        "/api/v2/persons",
        "/api/v1/persons/1/secrets",
    ],
)
def test_an_unknown_route_is_not_found_in_the_shape(client: Client, path: str) -> None:
    assert_error_shape(client.get(path), 404, "not_found")


def test_an_unknown_route_outside_the_api_is_still_a_page(client: Client) -> None:
    response = client.get("/nowhere/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("put", TOKEN_URL),
        ("get", TOKEN_URL),
        ("patch", PERSONS_URL),
        ("delete", PERSONS_URL),
    ],
)
def test_a_method_a_route_does_not_take_is_refused_in_the_shape(
    client: Client, method: str, path: str
) -> None:
    response = getattr(client, method)(path)
    assert_error_shape(response, 405, "method_not_allowed")
    assert response["Allow"]


def test_an_unexpected_error_is_a_500_in_the_shape_that_tells_nothing(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(**kwargs: Any) -> None:
        raise RuntimeError("internal detail 42101-1234567-1")

    monkeypatch.setattr("madad.accounts.api.token_issue", broken)
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.ERROR, logger="madad.api"):
        response = client.post(
            TOKEN_URL, {"email": "a@test.madad", "password": "x"}, content_type="application/json"
        )
    assert_error_shape(response, 500, "server_error")
    assert b"internal detail" not in response.content
    assert b"RuntimeError" not in response.content
    logged = [r for r in caplog.records if r.name == "madad.api"]
    assert logged and logged[0].exc_info is not None
    assert "POST /api/v1/auth/token" in logged[0].getMessage()


def test_a_refused_token_says_how_to_authenticate(client: Client) -> None:
    response = client.get(PERSONS_URL)
    assert_error_shape(response, 401, "unauthenticated")
    assert response["WWW-Authenticate"] == "Bearer"


def test_the_openapi_document_lists_bearer_authentication(client: Client) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    assert spec["openapi"].startswith("3.1")
    schemes = spec["components"]["securitySchemes"]
    assert {"type": "http", "scheme": "bearer"}.items() <= schemes["BearerToken"].items()
    persons = spec["paths"]["/api/v1/persons"]["get"]
    assert persons["security"] == [{"BearerToken": []}]
    token = spec["paths"]["/api/v1/auth/token"]["post"]
    assert "security" not in token
    assert "ErrorOut" in spec["components"]["schemas"]
    assert set(token["responses"]) >= {"200", "401", "422", "423"}


def test_the_api_documentation_is_served_without_a_cdn(client: Client) -> None:
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()


def test_an_error_after_a_token_keeps_the_no_store_header(
    client: Client, make_user: Callable[..., User], bearer: Callable[[User], dict[str, str]]
) -> None:
    response = client.get(f"{PERSONS_URL}/12345", headers=bearer(make_user()))
    assert_error_shape(response, 404)
    assert "no-store" in response["Cache-Control"]
