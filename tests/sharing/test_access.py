"""What a grantee sees of a grant, asked at every stage of its life: before it starts, while
it is in force, after its end, after revocation and after the family withdraws consent — and
what the owner, a colleague with another role and an outsider see of it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.http import Http404
from django.utils import timezone

from madad import access
from madad.accounts.models import User
from madad.accounts.roles import Role
from madad.core.models import AuditEvent
from madad.core.refusals import Conflict, Invalid, NotAllowed, NotVisible
from madad.sharing import services
from madad.sharing.models import Grant, GrantedRecord, MeetingRequest
from madad.testimonies.models import ConsentPurpose
from tests.sharing.conftest import World, give, withdraw

pytestmark = pytest.mark.django_db


def shown(user: User) -> set[str]:
    return set(access.visible_to(user, GrantedRecord).values_list("kind", flat=True))


def test_a_grant_in_force_shows_its_records_to_the_named_reader(
    world: World, make_grant: Callable[..., Grant]
) -> None:
    grant = make_grant()
    assert grant.status == Grant.Status.APPROVED
    assert shown(world.delegate) == {"testimony", "incident"}
    assert list(access.visible_to(world.delegate, Grant)) == [grant]


def test_a_pending_grant_shows_nothing(world: World, make_grant: Callable[..., Grant]) -> None:
    make_grant(approve=False)
    assert shown(world.delegate) == set()


def test_before_its_first_day_and_after_its_last_the_grant_shows_nothing(
    world: World, make_grant: Callable[..., Grant]
) -> None:
    today = timezone.localdate()
    make_grant(valid_from=today + dt.timedelta(days=1), valid_until=today + dt.timedelta(days=3))
    assert shown(world.delegate) == set()
    grant = make_grant(valid_from=today - dt.timedelta(days=3), valid_until=today)
    assert shown(world.delegate) == {"testimony", "incident"}
    # the day after its last day, the same grant shows nothing, before any task has run
    Grant.objects.filter(pk=grant.pk).update(valid_until=today - dt.timedelta(days=1))
    assert shown(world.delegate) == set()
    ended = services.grants_close_expired()
    assert [g.pk for g in ended] == [grant.pk]
    grant.refresh_from_db()
    assert grant.status == Grant.Status.EXPIRED
    assert AuditEvent.objects.filter(action="grant.expired", object_id=str(grant.pk)).exists()


def test_revocation_takes_effect_at_the_next_request(
    world: World, make_grant: Callable[..., Grant]
) -> None:
    grant = make_grant()
    record = grant.records.get(kind="testimony")
    assert access.reveal_granted(world.delegate, record)["transcript"].startswith("They came")
    services.grant_revoke(grant=grant, actor=world.coordinator, reason="Visit cancelled")
    with pytest.raises(Http404):
        access.reveal_granted(world.delegate, record)
    assert shown(world.delegate) == set()


def test_withdrawn_consent_removes_the_records_from_every_grant_at_once(
    world: World, make_grant: Callable[..., Grant]
) -> None:
    make_grant()
    make_grant()
    assert access.visible_to(world.delegate, GrantedRecord).count() == 4
    withdraw(world)
    assert access.visible_to(world.delegate, GrantedRecord).count() == 0


def test_consent_to_a_delegation_does_not_cover_a_human_rights_organisation(
    world: World, make_grant: Callable[..., Grant]
) -> None:
    with pytest.raises(Conflict) as refused:
        make_grant(grantee=world.rights_org, users=[world.rights_reader])
    assert refused.value.code == "no_consent"
    assert not Grant.objects.filter(grantee=world.rights_org).exists()
    # consent naming another organisation does not cover it either
    other = type(world.rights_org).objects.create(name="Another Rights Body", kind="human_rights")
    give(world, ConsentPurpose.HUMAN_RIGHTS_SHARING, recipient=other)
    with pytest.raises(Conflict):
        make_grant(grantee=world.rights_org, users=[world.rights_reader])
    give(world, ConsentPurpose.HUMAN_RIGHTS_SHARING, recipient=world.rights_org)
    grant = make_grant(grantee=world.rights_org, users=[world.rights_reader])
    assert shown(world.rights_reader) == {"testimony", "incident"}
    assert shown(world.delegate) == set()
    assert grant.left_out == 0


def test_records_without_consent_are_left_out_and_counted_never_named(
    world: World, make_grant: Callable[..., Grant]
) -> None:
    from madad.testimonies.services import testimony_record
    from tests.assistance.factories import make_person

    stranger = make_person(world.org, given_name="Other", cnic="99999-7654321-1")
    unconsented = testimony_record(
        person=stranger,
        recorded_by=world.documenter,
        date=timezone.localdate(),
        language="ur",
        transcript="Not to be shared (test).",
    )
    grant = make_grant(testimonies=[world.testimony, unconsented])
    assert grant.left_out == 1
    assert set(grant.records.values_list("testimony_id", flat=True)) - {None} == {
        world.testimony.pk
    }


def test_a_reader_not_named_in_the_grant_sees_nothing(
    world: World, make_grant: Callable[..., Grant], make_user: Callable[..., User]
) -> None:
    make_grant()
    colleague = make_user(Role.PARTNER, organisation=world.delegation)
    assert shown(colleague) == set()


@pytest.mark.parametrize("who", ["caseworker", "documenter", "outsider"])
def test_staff_without_grant_management_see_no_grant(
    world: World, make_grant: Callable[..., Grant], who: str, outsider: User
) -> None:
    make_grant()
    user = outsider if who == "outsider" else getattr(world, who)
    assert not access.visible_to(user, Grant).exists()
    assert not access.visible_to(user, GrantedRecord).exists()


def test_the_owner_coordinator_sees_the_grant_and_an_outsider_coordinator_gets_404(
    world: World, make_grant: Callable[..., Grant], outsider: User
) -> None:
    grant = make_grant()
    assert access.get_visible_or_404(world.coordinator, Grant, pk=grant.pk) == grant
    with pytest.raises(Http404):
        access.get_visible_or_404(outsider, Grant, pk=grant.pk)


def test_the_grantee_reads_only_the_fields_the_grant_opens(
    world: World, make_grant: Callable[..., Grant]
) -> None:
    grant = make_grant(share_transcripts=False)
    testimony = grant.records.get(kind="testimony")
    incident = grant.records.get(kind="incident")
    assert set(access.reveal_granted(world.delegate, testimony)) == {"date", "language"}
    values = access.reveal_granted(world.delegate, incident)
    assert "description" not in values and "title" not in values
    assert values["public_summary"] == "A shop was burnt (test)."
    read = AuditEvent.objects.filter(action="grant.record.viewed", actor=world.delegate)
    assert read.count() == 2


def test_a_grant_is_approved_by_a_second_coordinator_only(
    world: World, make_grant: Callable[..., Grant]
) -> None:
    grant = make_grant(approve=False)
    with pytest.raises(NotAllowed):
        services.grant_approve(grant=grant, actor=world.coordinator)
    grant.refresh_from_db()
    assert grant.status == Grant.Status.PENDING


def test_bad_grants_are_refused_and_nothing_is_saved(
    world: World, make_grant: Callable[..., Grant], make_user: Callable[..., User], outsider: User
) -> None:
    today = timezone.localdate()
    no_totp = make_user(Role.PARTNER, organisation=world.delegation, totp=False)
    cases: list[dict[str, object]] = [
        {"valid_from": today + dt.timedelta(days=5), "valid_until": today + dt.timedelta(days=1)},
        {"users": [no_totp]},
        {"users": [world.caseworker]},
        {"grantee": world.org},
    ]
    for case in cases:
        with pytest.raises(Invalid):
            make_grant(approve=False, **case)
    with pytest.raises(Invalid):
        services.grant_create(
            actor=world.coordinator,
            grantee=world.delegation,
            users=[world.delegate],
            purpose="   ",
            valid_from=today,
            valid_until=today,
            chosen=services.Chosen(testimonies=[world.testimony.pk]),
        )
    # a record of another organisation answers as if it did not exist
    from madad.incidents.models import Incident
    from tests.assistance.factories import make_incident

    theirs = make_incident(outsider.organisation, outsider)
    with pytest.raises(NotVisible):
        make_grant(incidents=[theirs], testimonies=[world.testimony])
    assert not Grant.objects.exists()
    assert Incident.objects.filter(pk=theirs.pk).exists()


def test_a_meeting_goes_to_the_familys_caseworker_and_is_set_only_with_consent(
    world: World, make_grant: Callable[..., Grant], make_user: Callable[..., User]
) -> None:
    grant = make_grant()
    incident = grant.records.get(kind="incident")
    meeting = services.meeting_request(
        granted=incident, user=world.delegate, message="We would like to hear from the family."
    )
    assert access.visible_to(world.caseworker, MeetingRequest).get() == meeting
    other_caseworker = make_user(Role.CASEWORKER)
    assert not access.visible_to(other_caseworker, MeetingRequest).exists()
    with pytest.raises(Invalid):
        services.meeting_answer(meeting=meeting, actor=world.caseworker, family_agrees=True)
    when = timezone.now() + dt.timedelta(days=2)
    services.meeting_answer(
        meeting=meeting,
        actor=world.caseworker,
        family_agrees=True,
        meeting_at=when,
        meeting_place="Community hall (test)",
    )
    meeting.refresh_from_db()
    assert meeting.status == MeetingRequest.Status.ARRANGED
    assert access.visible_to(world.delegate, MeetingRequest).get() == meeting
