"""The internal CSV export: coordinators only, alleged perpetrators only with
perpetrator.view, audited, and never the restricted narrative or a source's identity."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from madad.access.roles import CAPABILITIES, Capability
from madad.accounts.models import User
from madad.accounts.roles import Role
from madad.core.models import AuditEvent
from madad.incidents.models import Incident
from tests.responses import streamed_body

pytestmark = pytest.mark.django_db

URL = "/incidents/export.csv"


def _rows(response: Any) -> list[dict[str, str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = streamed_body(response).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def test_a_coordinator_exports_incidents_with_alleged_perpetrators(
    incident: Incident, coordinator: User, signed_in: Callable[[User], Client]
) -> None:
    rows = _rows(signed_in(coordinator).get(URL))
    assert [r["id"] for r in rows] == [str(incident.pk)]
    row = rows[0]
    assert row["title"] == incident.title
    assert row["types"] == "targeted-killing"
    assert row["sources"] == "witness:B2"
    assert row["confidence"] == "high"
    assert "PERPETRATOR two unidentified men" in row["alleged_perpetrators"]
    event = AuditEvent.objects.get(action="incident.exported")
    assert event.actor_id == coordinator.pk
    assert "alleged_perpetrators" in event.fields


def test_the_export_leaves_out_perpetrators_without_perpetrator_view(
    incident: Incident,
    coordinator: User,
    signed_in: Callable[[User], Client],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(
        CAPABILITIES,
        Role.COORDINATOR,
        CAPABILITIES[Role.COORDINATOR] - {Capability.PERPETRATOR_VIEW},
    )
    rows = _rows(signed_in(coordinator).get(URL))
    assert len(rows) == 1
    assert "alleged_perpetrators" not in rows[0]
    assert not any("PERPETRATOR" in value for value in rows[0].values())
    assert "alleged_perpetrators" not in AuditEvent.objects.get(action="incident.exported").fields


def test_the_export_never_holds_the_narrative_or_a_sources_identity(
    incident: Incident, coordinator: User, signed_in: Callable[[User], Client]
) -> None:
    text = streamed_body(signed_in(coordinator).get(URL)).decode()
    for secret in (
        "RESTRICTED-NARRATIVE",
        "RESTRICTED-CONSEQUENCES",
        "SOURCE-NAME",
        "SOURCE-NOTES",
        "Bilal",
    ):
        assert secret not in text


def test_the_export_follows_the_list_filters(
    incident: Incident, coordinator: User, signed_in: Callable[[User], Client]
) -> None:
    assert _rows(signed_in(coordinator).get(URL, {"status": "verified"})) == []


def test_a_documenter_and_a_caseworker_cannot_export(
    incident: Incident,
    documenter: User,
    caseworker: User,
    client: Client,
    signed_in: Callable[[User], Client],
) -> None:
    assert signed_in(documenter).get(URL).status_code == 404
    client.logout()
    assert signed_in(caseworker).get(URL).status_code == 404
    assert not AuditEvent.objects.filter(action="incident.exported").exists()


def test_a_formula_in_a_title_is_exported_as_text(
    incident: Incident, coordinator: User, signed_in: Callable[[User], Client]
) -> None:
    Incident.objects.filter(pk=incident.pk).update(title='=HYPERLINK("http://x")')
    rows = _rows(signed_in(coordinator).get(URL))
    assert rows[0]["title"].startswith("'=")
