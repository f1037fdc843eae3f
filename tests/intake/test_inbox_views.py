"""The intake inbox's pages, asked by the owner (a documenter, a coordinator), colleagues with
other roles and an outsider."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from madad.accounts.models import Organisation, User
from madad.accounts.roles import Role
from madad.core.models import AuditEvent
from madad.incidents.models import Act, Incident, IncidentType
from madad.intake.models import IntakeItem
from madad.people.services import person_create
from madad.places.models import Place
from tests.intake.inbox_factories import (
    add_file,
    household_xml,
    make_item,
    png_bytes,
    tamper,
)

pytestmark = pytest.mark.django_db
SignedIn = Callable[[User], Client]


def _incident_post(item: IntakeItem, **extra: str) -> dict[str, str]:
    place = Place.objects.get(code="khi.south.saddar.clifton")
    data = {
        "version": str(item.version),
        "title": "Shopkeeper threatened for bhatta",
        "start_date": "2024-03-05",
        "start_precision": "day",
        "end_precision": "day",
        "place": str(place.pk),
        "location_precision": "neighbourhood",
        "types": str(IncidentType.objects.get(code="extortion-demand").pk),
        "confidentiality": "internal",
        "description": "Two men on a motorcycle demanded money.",
        "acts-TOTAL_FORMS": "1",
        "acts-INITIAL_FORMS": "0",
        "acts-0-given_name": "Ahmed Raza",
        "acts-0-sex": "male",
        "acts-0-act_type": "extorted",
        "sources-TOTAL_FORMS": "1",
        "sources-INITIAL_FORMS": "0",
        "sources-0-kind": "witness",
    }
    data.update(extra)
    return data


# --- the inbox -------------------------------------------------------------------------------
def test_the_inbox_lists_waiting_items_newest_first_with_counts(
    relief_org: Organisation, documenter: User, signed_in: SignedIn
) -> None:
    older = make_item(relief_org)
    IntakeItem.objects.filter(pk=older.pk).update(
        received_at=older.received_at - dt.timedelta(hours=1)
    )
    newer = make_item(relief_org, source=IntakeItem.Source.PUBLIC)
    done = make_item(relief_org, status=IntakeItem.Status.REJECTED)
    response = signed_in(documenter).get(reverse("intake:inbox"))
    assert response.status_code == 200
    page = response.context["page"]
    assert [i.pk for i in page.object_list] == [newer.pk, older.pk]
    counts = {c["value"]: c["count"] for c in response.context["counts"]}
    assert counts["new"] == 2 and counts["rejected"] == 1
    # the list never shows what an item says (that read would be audited)
    assert not AuditEvent.objects.filter(action="intake.payload.viewed").exists()
    assert done.pk not in [i.pk for i in page.object_list]


def test_the_inbox_filters_by_status_and_source(
    relief_org: Organisation, coordinator: User, signed_in: SignedIn
) -> None:
    device = make_item(relief_org)
    public = make_item(relief_org, source=IntakeItem.Source.PUBLIC)
    rejected = make_item(relief_org, status=IntakeItem.Status.REJECTED)
    client = signed_in(coordinator)
    listed = client.get(reverse("intake:inbox"), {"status": "", "source": "public"})
    assert [i.pk for i in listed.context["page"].object_list] == [public.pk]
    listed = client.get(reverse("intake:inbox"), {"status": "rejected"})
    assert [i.pk for i in listed.context["page"].object_list] == [rejected.pk]
    listed = client.get(reverse("intake:inbox"), {"status": ""})
    assert {i.pk for i in listed.context["page"].object_list} == {device.pk, public.pk, rejected.pk}


def test_the_inbox_of_another_organisation_does_not_show_ours(
    relief_org: Organisation, outsider: User, signed_in: SignedIn
) -> None:
    make_item(relief_org)
    response = signed_in(outsider).get(reverse("intake:inbox"), {"status": ""})
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == []


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.FINANCE, Role.VERIFIER])
def test_colleagues_who_do_not_review_find_no_inbox(
    make_user: Callable[..., User], signed_in: SignedIn, role: str
) -> None:
    assert signed_in(make_user(role)).get(reverse("intake:inbox")).status_code == 404


def test_the_menu_offers_the_inbox_to_reviewers_only(
    documenter: User, caseworker: User, signed_in: SignedIn
) -> None:
    inbox = reverse("intake:inbox")
    assert inbox in signed_in(documenter).get(reverse("home")).content.decode()
    assert inbox not in signed_in(caseworker).get(reverse("home")).content.decode()


# --- one item --------------------------------------------------------------------------------
def test_the_item_page_shows_the_submission_the_proposal_and_possible_matches(
    relief_org: Organisation, documenter: User, signed_in: SignedIn
) -> None:
    earlier = Incident.objects.create(
        organisation=relief_org,
        title="Bhatta demanded at a Clifton shop",
        start_date=dt.date(2024, 3, 5),
        place=Place.objects.get(code="khi.south.saddar.clifton"),
        created_by=documenter,
        updated_by=documenter,
    )
    earlier.types.set([IncidentType.objects.get(code="extortion-demand")])
    known = person_create(
        organisation=relief_org,
        created_by=documenter,
        given_name="Ahmed",
        family_name="Raza",
        sex="male",
        age=41,
    )
    item = make_item(relief_org)
    add_file(item, png_bytes())
    response = signed_in(documenter).get(reverse("intake:item", args=[item.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Two men on a motorcycle demanded money." in html  # as it came
    form = response.context["incident_form"]
    assert form.initial["title"] == "Shopkeeper threatened for bhatta"
    assert response.context["acts"].initial[0]["given_name"] == "Ahmed Raza"
    matches = response.context["matches"]
    assert [c.incident.pk for c in matches.get("incidents")] == [earlier.pk]
    assert known.pk in [r["candidate"].person.pk for e in matches["people"] for r in e["rows"]]
    assert html.index("Possible matches") < html.index("Record the incident")
    assert reverse("intake:file", args=[item.pk, item.attachments.get().pk]) in html
    assert AuditEvent.objects.filter(
        action="intake.payload.viewed", actor=documenter, object_id=str(item.pk)
    ).exists()


def test_a_household_item_offers_the_household_form_to_a_coordinator(
    relief_org: Organisation, coordinator: User, signed_in: SignedIn
) -> None:
    item = make_item(relief_org, payload=household_xml(), form_id="household_needs")
    response = signed_in(coordinator).get(reverse("intake:item", args=[item.pk]))
    assert response.status_code == 200
    rows = response.context["members"].initial
    assert [r["relation"] for r in rows] == ["head", "daughter"]
    html = response.content.decode()
    assert "Register the household" in html
    assert "Cash grant, School fees" in html and "Killed" in html


def test_a_coordinator_sees_an_incident_report_but_is_not_offered_to_record_it(
    relief_org: Organisation, coordinator: User, signed_in: SignedIn
) -> None:
    item = make_item(relief_org)
    response = signed_in(coordinator).get(reverse("intake:item", args=[item.pk]))
    assert response.status_code == 200
    assert "Record the incident" not in response.content.decode()
    assert "Reject this item" in response.content.decode()


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.FINANCE])
def test_an_item_does_not_exist_for_colleagues_who_do_not_review(
    relief_org: Organisation, make_user: Callable[..., User], signed_in: SignedIn, role: str
) -> None:
    item = make_item(relief_org)
    photo = add_file(item, png_bytes())
    client = signed_in(make_user(role))
    assert client.get(reverse("intake:item", args=[item.pk])).status_code == 404
    assert client.get(reverse("intake:file", args=[item.pk, photo.pk])).status_code == 404
    response = client.post(reverse("intake:reject", args=[item.pk]), {"reason": "x", "version": 1})
    assert response.status_code == 404
    assert IntakeItem.objects.get(pk=item.pk).status == IntakeItem.Status.NEW


def test_an_item_does_not_exist_for_an_outsider(
    relief_org: Organisation, outsider: User, signed_in: SignedIn
) -> None:
    item = make_item(relief_org)
    photo = add_file(item, png_bytes())
    client = signed_in(outsider)
    assert client.get(reverse("intake:item", args=[item.pk])).status_code == 404
    assert client.get(reverse("intake:file", args=[item.pk, photo.pk])).status_code == 404
    for name in ("incident", "attach", "household", "reject"):
        response = client.post(reverse(f"intake:{name}", args=[item.pk]), {"version": 1})
        assert response.status_code == 404, name
    assert not AuditEvent.objects.filter(action="intake.payload.viewed").exists()


# --- the actions -----------------------------------------------------------------------------
def test_a_documenter_makes_an_item_an_incident(
    relief_org: Organisation, documenter: User, signed_in: SignedIn
) -> None:
    item = make_item(relief_org)
    photo = add_file(item, png_bytes())
    response = signed_in(documenter).post(
        reverse("intake:incident", args=[item.pk]),
        _incident_post(item, attachments=str(photo.pk)),
    )
    item.refresh_from_db()
    assert item.status == IntakeItem.Status.ACCEPTED and item.incident is not None
    assert response.status_code == 302
    assert response["Location"] == reverse("incidents:detail", args=[item.incident.pk])
    assert Act.objects.get(incident=item.incident).victim.given_name == "Ahmed Raza"
    photo.refresh_from_db()
    assert photo.evidence is not None


def test_a_stale_form_is_refused_with_409_and_nothing_is_made(
    relief_org: Organisation, documenter: User, signed_in: SignedIn
) -> None:
    item = make_item(relief_org)
    data = _incident_post(item, version=str(item.version + 5))
    response = signed_in(documenter).post(reverse("intake:incident", args=[item.pk]), data)
    assert response.status_code == 409
    assert "reviewed already" in response.content.decode()
    assert not Incident.objects.exists()


def test_an_incomplete_incident_form_is_shown_again_with_its_errors(
    relief_org: Organisation, documenter: User, signed_in: SignedIn
) -> None:
    item = make_item(relief_org)
    data = _incident_post(item, title="")
    response = signed_in(documenter).post(reverse("intake:incident", args=[item.pk]), data)
    assert response.status_code == 422
    assert response.context["incident_form"].errors["title"]
    assert IntakeItem.objects.get(pk=item.pk).status == IntakeItem.Status.NEW


def test_a_coordinator_may_not_make_an_incident_of_an_item(
    relief_org: Organisation, coordinator: User, signed_in: SignedIn
) -> None:
    item = make_item(relief_org)
    response = signed_in(coordinator).post(
        reverse("intake:incident", args=[item.pk]), _incident_post(item)
    )
    assert response.status_code == 403
    assert not Incident.objects.exists()


def test_an_item_is_added_to_an_incident_by_its_number(
    relief_org: Organisation, documenter: User, signed_in: SignedIn
) -> None:
    incident = Incident.objects.create(
        organisation=relief_org,
        title="Earlier report",
        start_date=dt.date(2024, 3, 5),
        place=Place.objects.get(code="khi.south.saddar"),
        created_by=documenter,
        updated_by=documenter,
    )
    item = make_item(relief_org)
    client = signed_in(documenter)
    url = reverse("intake:attach", args=[item.pk])
    missing = client.post(url, {"record": str(incident.pk + 100), "version": str(item.version)})
    assert missing.status_code == 422
    assert "No incident with this number." in missing.content.decode()
    response = client.post(url, {"record": str(incident.pk), "version": str(item.version)})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == IntakeItem.Status.ATTACHED and item.incident == incident


def test_a_coordinator_registers_a_household_from_an_item(
    relief_org: Organisation, coordinator: User, signed_in: SignedIn
) -> None:
    item = make_item(relief_org, payload=household_xml(), form_id="household_needs")
    response = signed_in(coordinator).post(
        reverse("intake:household", args=[item.pk]),
        {
            "version": str(item.version),
            "address": "House 12, Block 3",
            "place": str(Place.objects.get(code="khi.central.liaquatabad").pk),
            "members-TOTAL_FORMS": "2",
            "members-INITIAL_FORMS": "0",
            "members-0-given_name": "Bilqees Bano",
            "members-0-sex": "female",
            "members-0-relation": "head",
            "members-1-given_name": "Sana",
            "members-1-sex": "female",
            "members-1-age": "12",
            "members-1-relation": "daughter",
        },
    )
    item.refresh_from_db()
    assert response.status_code == 302, response.content.decode()[:2000]
    assert item.status == IntakeItem.Status.ACCEPTED and item.household is not None
    assert item.household.members.count() == 2


def test_an_item_is_rejected_with_a_reason_and_then_shows_it(
    relief_org: Organisation, documenter: User, signed_in: SignedIn
) -> None:
    item = make_item(relief_org)
    client = signed_in(documenter)
    url = reverse("intake:reject", args=[item.pk])
    assert client.post(url, {"reason": "", "version": str(item.version)}).status_code == 422
    response = client.post(url, {"reason": "Test message", "version": str(item.version)})
    assert response.status_code == 302
    page = client.get(reverse("intake:item", args=[item.pk]))
    assert "Test message" in page.content.decode()
    assert "Reject this item" not in page.content.decode()


# --- files -----------------------------------------------------------------------------------
def test_an_image_is_shown_inline_as_received(
    relief_org: Organisation, documenter: User, signed_in: SignedIn
) -> None:
    item = make_item(relief_org)
    data = png_bytes()
    photo = add_file(item, data)
    response = signed_in(documenter).get(reverse("intake:file", args=[item.pk, photo.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "attachment" not in response.get("Content-Disposition", "")
    assert b"".join(response.streaming_content) == data  # type: ignore[attr-defined]
    assert AuditEvent.objects.filter(action="intake.attachment.viewed").exists()


def test_a_file_that_is_not_an_image_is_only_downloaded(
    relief_org: Organisation, documenter: User, signed_in: SignedIn
) -> None:
    item = make_item(relief_org)
    page = add_file(item, b"<html><script>alert(1)</script></html>", "x.png", "image/png")
    response = signed_in(documenter).get(reverse("intake:file", args=[item.pk, page.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")


def test_a_changed_file_is_not_served(
    relief_org: Organisation, documenter: User, signed_in: SignedIn
) -> None:
    item = make_item(relief_org)
    photo = add_file(item, png_bytes())
    tamper(photo)
    response = signed_in(documenter).get(reverse("intake:file", args=[item.pk, photo.pk]))
    assert response.status_code == 409


def test_a_file_of_another_item_is_not_found_under_this_one(
    relief_org: Organisation, documenter: User, signed_in: SignedIn
) -> None:
    item, other = make_item(relief_org), make_item(relief_org)
    theirs = add_file(other, png_bytes())
    response = signed_in(documenter).get(reverse("intake:file", args=[item.pk, theirs.pk]))
    assert response.status_code == 404


def test_a_reviewer_is_told_when_the_item_was_reviewed_meanwhile(
    relief_org: Organisation, documenter: User, signed_in: SignedIn
) -> None:
    item = make_item(relief_org)
    IntakeItem.objects.filter(pk=item.pk).update(
        status=IntakeItem.Status.ACCEPTED, version=item.version + 1
    )
    response = signed_in(documenter).post(
        reverse("intake:reject", args=[item.pk]), {"reason": "spam", "version": item.version}
    )
    assert response.status_code == 409
    assert "reviewed already" in response.content.decode()
    assert IntakeItem.objects.get(pk=item.pk).status == IntakeItem.Status.ACCEPTED


def test_an_item_nested_too_deep_is_shown_as_it_came_not_a_500(
    relief_org: Organisation, documenter: User, signed_in: Callable[[User], Client]
) -> None:
    # the OpenRosa door refuses such XML now; an item that holds it (an older one, another
    # door) must still open, so that somebody can reject it
    deep = "<a>" * 3000 + "x" + "</a>" * 3000
    item = make_item(
        relief_org,
        payload=f'<incident_report id="incident_report"><title>{deep}</title></incident_report>',
    )
    response = signed_in(documenter).get(reverse("intake:item", args=[item.pk]))
    assert response.status_code == 200
    assert "Submission as received" in response.content.decode()
