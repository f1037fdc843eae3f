"""The incident services: all or nothing, clear errors by field, every change audited by
field name only."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from madad.accounts.models import User
from madad.core.models import AuditEvent
from madad.core.refusals import Invalid
from madad.incidents import services
from madad.incidents.models import (
    Incident,
    IncidentRelation,
    IncidentTitleKey,
    Involvement,
    overall_confidence,
)
from madad.incidents.models import Source as S
from madad.people.models import Person
from tests.core.conftest import raw_row
from tests.incidents.factories import Gazetteer, incident_type, record_incident

pytestmark = pytest.mark.django_db


def _create(documenter: User, places: Gazetteer, **changes: Any) -> Incident:
    """incident_create with a valid incident's arguments, some replaced by `changes`."""
    data: dict[str, Any] = {
        "organisation": documenter.organisation,
        "created_by": documenter,
        "title": "Trader's shop set on fire",
        "start_date": dt.date(2010, 7, 1),
        "place": places.harbour,
        "types": [incident_type("arson")],
    }
    data.update(changes)
    return services.incident_create(**data)


def test_a_bad_second_victim_rolls_back_the_incident_and_the_first_victim(
    documenter: User, places: Gazetteer
) -> None:
    with pytest.raises(Invalid) as invalid:
        _create(
            documenter,
            places,
            acts=[
                {"new_victim": {"given_name": "Asif"}, "act_type": "property_destroyed"},
                {"new_victim": {"given_name": "Zahid", "cnic": "12"}, "act_type": "displaced"},
            ],
        )
    assert "acts.1.cnic" in invalid.value.fields
    assert not Incident.objects.exists()
    assert not Person.objects.exists()
    assert not AuditEvent.objects.exists()


def test_every_problem_is_reported_at_once_by_field(documenter: User, places: Gazetteer) -> None:
    with pytest.raises(Invalid) as invalid:
        _create(
            documenter,
            places,
            title=" ",
            end_date=dt.date(2010, 6, 1),
            types=[],
            latitude="24.9",
            acts=[{"act_type": "vanished"}],
            sources=[{"kind": "news", "url": "javascript:alert(1)", "reliability": "B"}],
        )
    assert set(invalid.value.fields) >= {
        "title",
        "end_date",
        "types",
        "longitude",
        "acts.0.act_type",
        "acts.0.victim",
        "sources.0.url",
        "sources.0.credibility",
    }


def test_a_month_precision_date_is_stored_as_the_first_of_the_month(
    documenter: User, places: Gazetteer
) -> None:
    incident = _create(documenter, places, start_date=dt.date(2010, 7, 19), start_precision="month")
    assert incident.start_date == dt.date(2010, 7, 1)
    assert incident.when == "July 2010"


def test_recording_an_incident_audits_each_part(documenter: User, places: Gazetteer) -> None:
    record_incident(by=documenter, place=places.orchard)
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "incident.created",
        "incident.act.added",
        "incident.source.added",
        "incident.involvement.added",
        "person.created",
    } <= actions


def test_an_involvement_needs_a_person_or_a_description(
    incident: Incident, documenter: User
) -> None:
    act = incident.acts.get()
    with pytest.raises(Invalid) as invalid:
        services.involvement_add(act=act, added_by=documenter, degree="ordered")
    assert "described_group" in invalid.value.fields
    assert Involvement.objects.count() == 1


def test_a_source_is_graded_on_both_scales_or_not_at_all(
    incident: Incident, documenter: User
) -> None:
    with pytest.raises(Invalid) as invalid:
        services.source_add(incident=incident, added_by=documenter, kind="witness", reliability="A")
    assert "credibility" in invalid.value.fields
    with pytest.raises(Invalid):
        services.source_grade(
            source=incident.sources.get(), graded_by=documenter, reliability="G", credibility=9
        )
    assert incident.sources.get().grading == "B2"


@pytest.mark.parametrize(
    ("gradings", "expected"),
    [
        ([], "none"),
        ([("", None)], "none"),
        ([("E", 5)], "low"),
        ([("C", 3)], "medium"),
        ([("B", 2)], "high"),
        ([("C", 3), ("C", 2)], "high"),
        ([("D", 2), ("C", 4)], "low"),
    ],
)
def test_overall_confidence_from_the_gradings(
    gradings: list[tuple[str, int | None]], expected: str
) -> None:
    sources = [S(reliability=r, credibility=c) for r, c in gradings]
    assert overall_confidence(sources) == expected


def test_relating_incidents_once_and_not_to_themselves(
    incident: Incident, documenter: User, places: Gazetteer
) -> None:
    other = record_incident(by=documenter, place=places.orchard, title="Follow-up threat")
    services.incident_relate(
        incident=other, other=incident, kind="follow_up", related_by=documenter
    )
    with pytest.raises(Invalid):
        services.incident_relate(
            incident=incident, other=other, kind="related", related_by=documenter
        )
    with pytest.raises(Invalid):
        services.incident_relate(
            incident=incident, other=incident, kind="related", related_by=documenter
        )
    assert IncidentRelation.objects.count() == 1


def test_an_incident_of_another_organisation_cannot_be_related(
    incident: Incident, outsider: User, places: Gazetteer, documenter: User
) -> None:
    theirs = record_incident(by=outsider, place=places.orchard)
    with pytest.raises(Invalid):
        services.incident_relate(
            incident=incident, other=theirs, kind="related", related_by=documenter
        )


def test_the_working_title_is_not_stored_in_plaintext(documenter: User, places: Gazetteer) -> None:
    """A title may name people (issue 18): encrypted at rest, searched by keyed hashes."""
    incident = _create(documenter, places, title="Imran Qureshi shot, call 0300-7654321")
    services.incident_update(
        incident=incident,
        updated_by=documenter,
        expected_version=incident.version,
        title="Imran Qureshi shot at 0300-7654321",
    )
    stored = str(raw_row(Incident, incident.pk)["title"])
    assert "Imran" not in stored and "0300" not in stored and stored.startswith("enc1:")
    keys = set(IncidentTitleKey.objects.filter(incident=incident).values_list("key", flat=True))
    assert keys and not any("imran" in key.casefold() for key in keys)
    incident.refresh_from_db()
    assert incident.title == "Imran Qureshi shot at 0300-7654321"
