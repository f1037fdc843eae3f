"""The OpenAPI document describes the errors any operation can answer, in the one shape."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def spec(client: Client) -> dict[str, Any]:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return dict(response.json())


def _operations(spec: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [
        (f"{method.upper()} {path}", operation)
        for path, methods in spec["paths"].items()
        for method, operation in methods.items()
    ]


def test_every_operation_that_needs_a_token_documents_401(spec: dict[str, Any]) -> None:
    missing = [
        name
        for name, op in _operations(spec)
        if op.get("security") and "401" not in op["responses"]
    ]
    assert missing == []


def test_every_operation_naming_a_record_documents_404(spec: dict[str, Any]) -> None:
    missing = [
        name
        for name, op in _operations(spec)
        if any(p["in"] == "path" for p in op.get("parameters", [])) and "404" not in op["responses"]
    ]
    assert missing == []


def test_every_operation_with_a_body_documents_what_a_body_can_be_refused_for(
    spec: dict[str, Any],
) -> None:
    for name, op in _operations(spec):
        if "requestBody" in op:
            assert {"400", "413", "415", "422"} <= set(op["responses"]), name


def test_the_common_errors_have_the_one_error_shape(spec: dict[str, Any]) -> None:
    token = spec["paths"]["/api/v1/persons"]["post"]["responses"]
    schema = token["415"]["content"]["application/json"]["schema"]
    assert schema == {"$ref": "#/components/schemas/ErrorOut"}
    assert "ErrorOut" in spec["components"]["schemas"]


def test_every_vocabulary_is_its_own_component_with_its_own_values() -> None:
    """Incident.Status and Claim.Status (and the many Kinds) were one component "Status" in
    the document, the last one built: a client following it sent values the server refused."""
    from madad.api.router import api
    from madad.claims.models import Claim
    from madad.core.vocabularies import QUALIFIED
    from madad.incidents.models import Incident

    components = api.get_openapi_schema()["components"]["schemas"]
    assert not {"Status", "Kind", "Type", "Decision"} & set(components)
    assert QUALIFIED["IncidentStatus"] is Incident.Status
    assert QUALIFIED["ClaimStatus"] is Claim.Status
    used = [name for name in QUALIFIED if name in components]
    assert len(used) >= 10
    for name in used:
        assert components[name]["enum"] == list(QUALIFIED[name].values), name
