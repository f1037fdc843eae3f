"""Findings of the review of the sharing feature, each with the test that failed before its
fix: confidential incidents shared (one by one and through a filter), grantee events filed
under the grantee's organisation, a meeting arranged through an ended grant, two requests
waiting at once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from madad import access
from madad.core.models import AuditEvent
from madad.core.refusals import Conflict, Invalid
from madad.incidents.models import Incident
from madad.sharing import services
from madad.sharing.models import Grant, GrantedRecord, MeetingRequest
from tests.sharing.conftest import World

pytestmark = pytest.mark.django_db

CONFIDENTIAL = Incident.Confidentiality.CONFIDENTIAL


def _shown(world: World) -> set[str]:
    return set(access.visible_to(world.delegate, GrantedRecord).values_list("kind", flat=True))


def test_a_confidential_incident_cannot_be_granted(
    world: World, make_grant: Callable[..., Grant]
) -> None:
    Incident.objects.filter(pk=world.incident.pk).update(confidentiality=CONFIDENTIAL)
    with pytest.raises(Invalid) as refused:
        make_grant(approve=False)  # the incident and its testimony
    assert refused.value.code == "confidential"
    with pytest.raises(Invalid):
        make_grant(approve=False, incidents=[])  # its testimony alone
    assert not Grant.objects.exists()


def test_a_filter_never_picks_a_confidential_incident(world: World) -> None:
    Incident.objects.filter(pk=world.incident.pk).update(confidentiality=CONFIDENTIAL)
    today = timezone.localdate()
    with pytest.raises(Invalid) as refused:
        services.grant_create(
            actor=world.coordinator,
            grantee=world.delegation,
            users=[world.delegate],
            purpose="Visit (test)",
            valid_from=today,
            valid_until=today + dt.timedelta(days=7),
            chosen=services.Chosen(
                by_filter=services.IncidentFilter(date_from=dt.date(2024, 1, 1))
            ),
        )
    assert "filter_date_from" in refused.value.fields  # nothing matched
    assert not Grant.objects.exists()


def test_an_incident_marked_confidential_after_the_grant_disappears_with_its_testimony(
    world: World, make_grant: Callable[..., Grant]
) -> None:
    make_grant()
    assert _shown(world) == {"testimony", "incident"}
    Incident.objects.filter(pk=world.incident.pk).update(confidentiality=CONFIDENTIAL)
    assert _shown(world) == set()


def test_a_grantees_reads_are_filed_under_the_organisation_whose_records_they_are(
    world: World, make_grant: Callable[..., Grant]
) -> None:
    grant = make_grant()
    record = grant.records.get(kind="testimony")
    access.reveal_granted(world.delegate, record)
    access.reveal_granted_list(world.delegate, grant, {"testimony": ["date"]})
    services.download_record(granted=record, user=world.delegate)
    events = AuditEvent.objects.filter(actor=world.delegate)
    assert events.count() == 3
    assert set(events.values_list("organisation_id", flat=True)) == {world.org.pk}


def test_no_meeting_is_arranged_through_a_revoked_grant(
    world: World, make_grant: Callable[..., Grant]
) -> None:
    grant = make_grant()
    incident = grant.records.get(kind="incident")
    meeting = services.meeting_request(granted=incident, user=world.delegate, message="May we?")
    services.grant_revoke(grant=grant, actor=world.coordinator, reason="Called off")
    with pytest.raises(Conflict) as refused:
        services.meeting_answer(
            meeting=meeting,
            actor=world.caseworker,
            family_agrees=True,
            meeting_at=timezone.now() + dt.timedelta(days=1),
            meeting_place="Community hall (test)",
        )
    assert refused.value.code == "grant_not_in_force"
    meeting.refresh_from_db()
    assert meeting.status == MeetingRequest.Status.ASKED
    # the family's refusal can still be recorded
    services.meeting_answer(meeting=meeting, actor=world.caseworker, family_agrees=False)
    meeting.refresh_from_db()
    assert meeting.status == MeetingRequest.Status.DECLINED


def test_only_one_meeting_request_waits_per_record(
    world: World, make_grant: Callable[..., Grant]
) -> None:
    grant = make_grant()
    incident = grant.records.get(kind="incident")
    services.meeting_request(granted=incident, user=world.delegate, message="May we?")
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingRequest.objects.create(
            granted_record=incident, requested_by=world.delegate, message="Twice"
        )


def test_a_grantees_read_of_a_meeting_request_is_the_owners_to_audit(
    world: World, make_grant: Callable[..., Grant]
) -> None:
    grant = make_grant()
    incident = grant.records.get(kind="incident")
    meeting = services.meeting_request(granted=incident, user=world.delegate, message="May we?")
    access.reveal(world.delegate, meeting, wanted=["message"], action="meeting.viewed")
    viewed = AuditEvent.objects.get(action="meeting.viewed", actor=world.delegate)
    assert viewed.organisation_id == world.org.pk
