"""testimony_record: what is written, what is refused, and that the transcript is encrypted."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from madad import access
from madad.accounts.models import Organisation, User
from madad.accounts.roles import Role
from madad.core.models import AuditEvent
from madad.core.refusals import Invalid
from madad.incidents.models import Incident
from madad.testimonies import models, services
from tests.evidence.factories import make_incident, make_person, make_testimony

pytestmark = pytest.mark.django_db

TRANSCRIPT = "دو آدمی موٹر سائیکل پر آئے اور دکان پر فائرنگ کی"


def test_a_testimony_is_recorded_and_audited(
    relief_org: Organisation, documenter: User, incident: Incident
) -> None:
    person = make_person(organisation=relief_org)
    testimony = make_testimony(
        person=person, user=documenter, incident=incident, transcript=TRANSCRIPT
    )
    assert (testimony.organisation, testimony.person, testimony.incident) == (
        relief_org,
        person,
        incident,
    )
    event = AuditEvent.objects.get(action="testimony.recorded")
    assert event.object_id == str(testimony.pk) and event.actor_id == documenter.pk
    assert "transcript" in event.fields


def test_the_transcript_is_encrypted_at_rest(relief_org: Organisation, documenter: User) -> None:
    testimony = make_testimony(
        person=make_person(organisation=relief_org), user=documenter, transcript=TRANSCRIPT
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT transcript FROM testimonies_testimony WHERE id = %s", [testimony.pk])
        [raw] = cursor.fetchone()
    assert raw.startswith("enc1:")
    assert "فائرنگ" not in raw and "motorbike" not in raw
    assert models.Testimony.objects.get(pk=testimony.pk).transcript == TRANSCRIPT


def test_reading_the_transcript_is_audited(
    relief_org: Organisation, documenter: User, make_user: Callable[..., User]
) -> None:
    testimony = make_testimony(person=make_person(organisation=relief_org), user=documenter)
    caseworker = make_user(Role.CASEWORKER)
    shown = access.reveal(
        caseworker, testimony, wanted=["transcript"], action="testimony.transcript.viewed"
    )
    assert shown == {"transcript": testimony.transcript}
    event = AuditEvent.objects.get(action="testimony.transcript.viewed")
    assert (event.actor_id, event.object_id, event.fields) == (
        caseworker.pk,
        str(testimony.pk),
        ["transcript"],
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"transcript": "   "}, "transcript"),
        ({"transcript": "a\x00b"}, "transcript"),
        ({"language": "klingon"}, "language"),
        ({"date": timezone.localdate() + dt.timedelta(days=1)}, "date"),
    ],
)
def test_bad_input_is_refused_by_field_and_nothing_is_written(
    relief_org: Organisation, documenter: User, change: dict[str, object], field: str
) -> None:
    values: dict[str, Any] = {  # a valid testimony's arguments, one replaced by `change`
        "date": dt.date(2012, 5, 10),
        "language": "ur",
        "transcript": TRANSCRIPT,
    }
    values.update(change)
    person = make_person(organisation=relief_org)
    with pytest.raises(Invalid) as refused:
        services.testimony_record(person=person, recorded_by=documenter, **values)
    assert field in refused.value.fields
    assert not models.Testimony.objects.exists()
    assert not AuditEvent.objects.filter(action="testimony.recorded").exists()


def test_a_person_or_incident_of_another_organisation_is_refused(
    relief_org: Organisation,
    other_relief_org: Organisation,
    documenter: User,
    make_user: Callable[..., User],
) -> None:
    outsider = make_user(Role.DOCUMENTER, other_relief_org)
    theirs = make_person(organisation=other_relief_org)
    their_incident = make_incident(organisation=other_relief_org, user=outsider)
    with pytest.raises(Invalid) as refused:
        services.testimony_record(
            person=theirs,
            recorded_by=documenter,
            incident=their_incident,
            date=dt.date(2012, 1, 1),
            language="en",
            transcript="x",
        )
    assert set(refused.value.fields) == {"person", "incident"}
    assert not models.Testimony.objects.exists()
