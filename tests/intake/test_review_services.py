"""The review of intake items (madad.intake.review) and the reading of what they say
(madad.intake.reading)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from madad.accounts.models import Organisation, User
from madad.accounts.roles import Role
from madad.core.models import AuditEvent
from madad.core.refusals import Conflict, Invalid, NotAllowed, NotVisible
from madad.evidence.models import CustodyEntry, EvidenceFile
from madad.evidence.services import evidence_storage
from madad.households.models import Household
from madad.incidents.models import Act, Incident, IncidentType
from madad.intake import review
from madad.intake.models import IntakeAttachment, IntakeItem
from madad.intake.reading import item_proposal, read_payload
from madad.people.models import Person
from madad.places.models import Place
from tests.intake.inbox_factories import (
    add_file,
    household_xml,
    incident_xml,
    make_item,
    png_bytes,
    tamper,
)

pytestmark = pytest.mark.django_db


def _incident_fields(**extra: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "title": "Shopkeeper threatened for bhatta",
        "start_date": dt.date(2024, 3, 5),
        "place": Place.objects.get(code="khi.south.saddar.clifton"),
        "types": [IncidentType.objects.get(code="extortion-demand")],
        "description": "Two men on a motorcycle demanded money.",
        "acts": [
            {"act_type": "extorted", "new_victim": {"given_name": "Ahmed Raza", "sex": "male"}}
        ],
    }
    fields.update(extra)
    return fields


def _an_incident(organisation: Organisation, user: User) -> Incident:
    return Incident.objects.create(
        organisation=organisation,
        title="Earlier report",
        start_date=dt.date(2024, 3, 5),
        place=Place.objects.get(code="khi.south.saddar"),
        created_by=user,
        updated_by=user,
    )


# --- reading ---------------------------------------------------------------------------------
def test_a_device_report_reads_as_an_incident_with_its_most_precise_place(
    relief_org: Organisation,
) -> None:
    item = make_item(relief_org)
    proposal = read_payload(item, item.payload)
    assert proposal.kind == "incident"
    assert proposal.title == "Shopkeeper threatened for bhatta"
    assert proposal.start_date == dt.date(2024, 3, 5)
    assert proposal.place is not None and proposal.place.code == "khi.south.saddar.clifton"
    assert [t.code for t in proposal.types] == ["extortion-demand"]
    assert str(proposal.latitude) == "24.81400"
    assert proposal.victims == [{"name": "Ahmed Raza", "act": "extorted", "sex": "male", "age": 41}]
    assert proposal.source_kind == "witness"
    assert ("Victim 1: Name", "Ahmed Raza") in proposal.fields


def test_unknown_codes_are_kept_as_text_and_a_missing_neighbourhood_falls_back_to_the_town(
    relief_org: Organisation,
) -> None:
    payload = incident_xml(
        neighbourhood="khi.nowhere", types="arson no-such-type", omit=("location", "title")
    )
    proposal = read_payload(make_item(relief_org, payload=payload), payload)
    assert proposal.place is not None and proposal.place.code == "khi.south.saddar"
    assert proposal.unknown_places == ["khi.nowhere"]
    assert [t.code for t in proposal.types] == ["arson"]
    assert proposal.unknown_types == ["no-such-type"]
    assert proposal.latitude is None
    # no title in an older form: the description's first words stand in
    assert proposal.title == "Two men on a motorcycle demanded money."


@pytest.mark.parametrize(
    "payload",
    [
        "<incident_report><title>unclosed",
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e "boom">]><incident_report>'
        "<title>&e;</title></incident_report>",
        "",
    ],
    ids=["malformed", "entity", "empty"],
)
def test_a_payload_that_cannot_be_read_is_shown_as_it_came(
    relief_org: Organisation, payload: str
) -> None:
    proposal = read_payload(make_item(relief_org, payload=payload or "x"), payload)
    assert not proposal.readable
    assert proposal.fields[0][1] == payload
    assert proposal.title == ""


def test_a_household_form_reads_as_a_household(relief_org: Organisation) -> None:
    payload = household_xml()
    item = make_item(relief_org, payload=payload, form_id="household_needs")
    proposal = read_payload(item, payload)
    assert proposal.kind == "household"
    assert proposal.head_name == "Bilqees Bano"
    assert [m["relation"] for m in proposal.members] == ["head", "daughter"]
    assert proposal.needs == ["cash_grant", "school_fees"]
    assert proposal.acts_wanted == ["killed"]
    assert proposal.place is not None and proposal.place.code == "khi.central.liaquatabad"


def test_a_public_report_and_its_addition_read_as_incident_proposals(
    relief_org: Organisation,
) -> None:
    item = make_item(relief_org, source=IntakeItem.Source.PUBLIC)
    proposal = read_payload(item, item.payload)
    assert proposal.place is not None and proposal.place.code == "khi.south.saddar"
    assert proposal.title == "A man was shot outside his shop in Saddar."
    assert ("Contact given", "0300 1234567") in proposal.fields
    payload = '{"what": "He died in hospital.", "adds_to_receipt": true}'
    addition = make_item(relief_org, source=IntakeItem.Source.PUBLIC, payload=payload, follows=item)
    assert read_payload(addition, payload).adds_to_receipt


def test_reading_the_payload_for_a_reviewer_is_audited(
    relief_org: Organisation, documenter: User
) -> None:
    item = make_item(relief_org)
    item_proposal(item=item, user=documenter)
    event = AuditEvent.objects.filter(action="intake.payload.viewed").get()
    assert event.actor == documenter and event.object_id == str(item.pk)
    assert event.fields == ["payload"]


def test_the_payload_of_another_organisations_item_is_not_read(
    relief_org: Organisation, outsider: User
) -> None:
    from django.http import Http404

    with pytest.raises(Http404):
        item_proposal(item=make_item(relief_org), user=outsider)
    assert not AuditEvent.objects.filter(action="intake.payload.viewed").exists()


# --- making an incident ----------------------------------------------------------------------
def test_an_item_becomes_an_incident_with_its_victim_and_its_photo_as_evidence(
    relief_org: Organisation, documenter: User, make_user: Callable[..., User]
) -> None:
    holder = make_user(Role.DOCUMENTER)
    item = make_item(relief_org, holder=holder)
    photo = add_file(item, png_bytes())
    photo.received_at = photo.received_at - dt.timedelta(days=2)
    photo.save()

    incident = review.item_create_incident(
        item=item,
        by=documenter,
        expected_version=item.version,
        attachments=[photo],
        **_incident_fields(),
    )

    item.refresh_from_db()
    assert item.status == IntakeItem.Status.ACCEPTED
    assert item.incident == incident and item.reviewed_by == documenter
    act = Act.objects.get(incident=incident)
    assert act.act_type == "extorted" and act.victim.given_name == "Ahmed Raza"
    photo.refresh_from_db()
    evidence = photo.evidence
    assert evidence is not None and evidence.incident == incident
    assert evidence.sha256 == photo.sha256
    chain = list(CustodyEntry.objects.filter(evidence=evidence).order_by("at", "id"))
    assert [e.action for e in chain] == ["received", "uploaded"]
    assert chain[0].at == photo.received_at and chain[0].by == holder
    assert chain[0].sha256 == photo.sha256
    assert chain[1].by == documenter
    # the received file stays where it was: the evidence is a copy
    assert evidence.storage_name != photo.storage_name
    assert evidence_storage().exists(photo.storage_name)
    accepted = AuditEvent.objects.get(action="intake.item.accepted")
    assert "incident" in accepted.fields and "attachments" in accepted.fields


def test_an_urdu_name_becomes_the_victims_urdu_name(
    relief_org: Organisation, documenter: User
) -> None:
    item = make_item(relief_org)
    fields = _incident_fields(
        acts=[{"act_type": "killed", "new_victim": {"full_name_ur": "احمد رضا", "sex": "male"}}]
    )
    incident = review.item_create_incident(
        item=item, by=documenter, expected_version=item.version, **fields
    )
    assert Act.objects.get(incident=incident).victim.full_name_ur == "احمد رضا"


def test_a_file_changed_since_its_receipt_is_refused_and_nothing_is_written(
    relief_org: Organisation, documenter: User
) -> None:
    item = make_item(relief_org)
    photo = add_file(item, png_bytes())
    tamper(photo)
    with pytest.raises(Conflict) as caught:
        review.item_create_incident(
            item=item,
            by=documenter,
            expected_version=item.version,
            attachments=[photo],
            **_incident_fields(),
        )
    assert caught.value.code == "integrity_failed"
    item.refresh_from_db()
    assert item.status == IntakeItem.Status.NEW and item.incident_id is None
    assert not Incident.objects.exists() and not EvidenceFile.objects.exists()


def test_a_file_of_a_type_evidence_does_not_take_is_refused(
    relief_org: Organisation, documenter: User
) -> None:
    item = make_item(relief_org)
    odd = add_file(item, b"\x00\x01\x02binary", name="blob.bin", content_type="image/png")
    with pytest.raises(Invalid):
        review.item_create_incident(
            item=item,
            by=documenter,
            expected_version=item.version,
            attachments=[odd],
            **_incident_fields(),
        )
    assert not Incident.objects.exists()


def test_bad_incident_fields_are_refused_by_field_and_the_item_stays_new(
    relief_org: Organisation, documenter: User
) -> None:
    item = make_item(relief_org)
    with pytest.raises(Invalid) as caught:
        review.item_create_incident(
            item=item, by=documenter, expected_version=item.version, **_incident_fields(title="")
        )
    assert "title" in caught.value.fields
    item.refresh_from_db()
    assert item.status == IntakeItem.Status.NEW


def test_of_two_reviewers_acting_on_one_version_only_the_first_succeeds(
    relief_org: Organisation, documenter: User, make_user: Callable[..., User]
) -> None:
    item = make_item(relief_org)
    colleague = make_user(Role.DOCUMENTER)
    first = IntakeItem.objects.get(pk=item.pk)
    second = IntakeItem.objects.get(pk=item.pk)
    review.item_create_incident(
        item=first, by=documenter, expected_version=item.version, **_incident_fields()
    )
    with pytest.raises(Conflict):
        review.item_create_incident(
            item=second, by=colleague, expected_version=item.version, **_incident_fields()
        )
    with pytest.raises(Conflict):
        review.item_reject(item=second, by=colleague, expected_version=item.version, reason="x")
    assert Incident.objects.count() == 1
    item.refresh_from_db()
    assert item.status == IntakeItem.Status.ACCEPTED and item.reviewed_by == documenter


def test_a_stale_version_is_refused_even_when_the_item_is_still_new(
    relief_org: Organisation, documenter: User
) -> None:
    item = make_item(relief_org)
    with pytest.raises(Conflict):
        review.item_create_incident(
            item=item, by=documenter, expected_version=item.version + 1, **_incident_fields()
        )
    assert not Incident.objects.exists()


def test_the_compare_and_swap_refuses_an_item_reviewed_behind_the_readers_back(
    relief_org: Organisation, documenter: User
) -> None:
    item = make_item(relief_org)
    # somebody rejected it after this reviewer read it: the copy in hand still says "new"
    IntakeItem.objects.filter(pk=item.pk).update(status=IntakeItem.Status.REJECTED)
    with pytest.raises(Conflict):
        review.item_create_incident(
            item=item, by=documenter, expected_version=item.version, **_incident_fields()
        )
    assert not Incident.objects.exists()


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.FINANCE, Role.VERIFIER])
def test_a_colleague_who_does_not_review_intake_is_refused(
    relief_org: Organisation, make_user: Callable[..., User], role: str
) -> None:
    item = make_item(relief_org)
    with pytest.raises(NotAllowed):
        review.item_reject(
            item=item, by=make_user(role), expected_version=item.version, reason="spam"
        )


def test_another_organisations_reviewer_does_not_find_the_item(
    relief_org: Organisation, outsider: User
) -> None:
    item = make_item(relief_org)
    with pytest.raises(NotVisible):
        review.item_reject(item=item, by=outsider, expected_version=item.version, reason="spam")
    with pytest.raises(NotVisible):
        review.item_create_incident(
            item=item, by=outsider, expected_version=item.version, **_incident_fields()
        )


def test_a_coordinator_reviews_but_does_not_record_incidents(
    relief_org: Organisation, coordinator: User
) -> None:
    item = make_item(relief_org)
    with pytest.raises(NotAllowed):
        review.item_create_incident(
            item=item, by=coordinator, expected_version=item.version, **_incident_fields()
        )


def test_files_of_another_item_are_refused(relief_org: Organisation, documenter: User) -> None:
    item, other = make_item(relief_org), make_item(relief_org)
    foreign = add_file(other, png_bytes())
    with pytest.raises(Invalid) as caught:
        review.item_create_incident(
            item=item,
            by=documenter,
            expected_version=item.version,
            attachments=[foreign],
            **_incident_fields(),
        )
    assert "attachments" in caught.value.fields


# --- adding to an incident -------------------------------------------------------------------
def test_an_item_is_added_to_an_incident_with_its_files(
    relief_org: Organisation, documenter: User
) -> None:
    incident = _an_incident(relief_org, documenter)
    item = make_item(relief_org)
    photo = add_file(item, png_bytes())
    review.item_attach_to_incident(
        item=item,
        by=documenter,
        expected_version=item.version,
        incident=incident,
        attachments=[photo],
    )
    item.refresh_from_db()
    photo.refresh_from_db()
    assert item.status == IntakeItem.Status.ATTACHED and item.incident == incident
    assert photo.evidence is not None and photo.evidence.incident == incident
    assert AuditEvent.objects.filter(action="intake.item.attached").exists()


def test_a_public_addition_goes_to_its_originals_incident(
    relief_org: Organisation, documenter: User
) -> None:
    original = make_item(relief_org, source=IntakeItem.Source.PUBLIC)
    incident = review.item_create_incident(
        item=original, by=documenter, expected_version=original.version, **_incident_fields()
    )
    addition = make_item(
        relief_org,
        source=IntakeItem.Source.PUBLIC,
        payload='{"what": "He died in hospital.", "adds_to_receipt": true}',
        follows=original,
    )
    review.item_attach_to_incident(
        item=addition, by=documenter, expected_version=addition.version, incident=incident
    )
    addition.refresh_from_db()
    assert addition.incident == incident


def test_an_incident_the_reviewer_cannot_see_is_refused(
    relief_org: Organisation,
    other_relief_org: Organisation,
    documenter: User,
    make_user: Callable[..., User],
) -> None:
    theirs = _an_incident(other_relief_org, make_user(Role.DOCUMENTER, other_relief_org))
    item = make_item(relief_org)
    with pytest.raises(NotVisible):
        review.item_attach_to_incident(
            item=item, by=documenter, expected_version=item.version, incident=theirs
        )
    item.refresh_from_db()
    assert item.status == IntakeItem.Status.NEW


# --- households ------------------------------------------------------------------------------
def test_a_household_form_becomes_a_household(relief_org: Organisation, coordinator: User) -> None:
    item = make_item(relief_org, payload=household_xml(), form_id="household_needs")
    household = review.item_create_household(
        item=item,
        by=coordinator,
        expected_version=item.version,
        members=[
            {"relation": "head", "new_person": {"given_name": "Bilqees Bano", "sex": "female"}},
            {"relation": "daughter", "new_person": {"given_name": "Sana", "age": 12}},
        ],
        address="House 12, Block 3",
        place=Place.objects.get(code="khi.central.liaquatabad"),
    )
    item.refresh_from_db()
    assert item.status == IntakeItem.Status.ACCEPTED and item.household == household
    assert household.head is not None and household.head.given_name == "Bilqees Bano"


def test_a_household_form_is_added_to_a_household(
    relief_org: Organisation, coordinator: User
) -> None:
    existing = Household.objects.create(organisation=relief_org, created_by=coordinator)
    item = make_item(relief_org, payload=household_xml(), form_id="household_needs")
    review.item_attach_to_household(
        item=item, by=coordinator, expected_version=item.version, household=existing
    )
    item.refresh_from_db()
    assert item.status == IntakeItem.Status.ATTACHED and item.household == existing


def test_an_incident_report_is_not_made_a_household_nor_the_other_way(
    relief_org: Organisation, coordinator: User, documenter: User
) -> None:
    report = make_item(relief_org)
    with pytest.raises(Conflict):
        review.item_create_household(
            item=report,
            by=coordinator,
            expected_version=report.version,
            members=[{"relation": "head", "new_person": {"given_name": "X"}}],
        )
    needs = make_item(relief_org, payload=household_xml(), form_id="household_needs")
    with pytest.raises(Conflict):
        review.item_create_incident(
            item=needs, by=documenter, expected_version=needs.version, **_incident_fields()
        )


def test_a_documenter_does_not_register_households(
    relief_org: Organisation, documenter: User
) -> None:
    item = make_item(relief_org, payload=household_xml(), form_id="household_needs")
    with pytest.raises(NotAllowed):
        review.item_create_household(
            item=item,
            by=documenter,
            expected_version=item.version,
            members=[{"relation": "head", "new_person": {"given_name": "X"}}],
        )


# --- rejection -------------------------------------------------------------------------------
def test_a_rejection_needs_a_reason(relief_org: Organisation, documenter: User) -> None:
    item = make_item(relief_org)
    with pytest.raises(Invalid) as caught:
        review.item_reject(item=item, by=documenter, expected_version=item.version, reason="  ")
    assert "reason" in caught.value.fields
    item.refresh_from_db()
    assert item.status == IntakeItem.Status.NEW


def test_a_rejected_item_keeps_everything_it_held(
    relief_org: Organisation, documenter: User
) -> None:
    item = make_item(relief_org)
    payload = item.payload
    photo = add_file(item, png_bytes())
    review.item_reject(
        item=item, by=documenter, expected_version=item.version, reason="A duplicate of #12"
    )
    item.refresh_from_db()
    assert item.status == IntakeItem.Status.REJECTED
    assert item.reason == "A duplicate of #12" and item.payload == payload
    assert IntakeAttachment.objects.filter(pk=photo.pk).exists()
    assert evidence_storage().exists(photo.storage_name)
    event = AuditEvent.objects.get(action="intake.item.rejected")
    assert "reason" in event.fields and "A duplicate" not in str(event.fields)


def test_a_new_person_is_not_made_when_the_review_is_refused(
    relief_org: Organisation, documenter: User
) -> None:
    item = make_item(relief_org)
    review.item_reject(item=item, by=documenter, expected_version=item.version, reason="spam")
    with pytest.raises(Conflict):
        review.item_create_incident(
            item=item, by=documenter, expected_version=item.version, **_incident_fields()
        )
    assert not Person.objects.exists()
