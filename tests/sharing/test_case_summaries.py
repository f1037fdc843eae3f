"""A case as a granted record: its summary (status, the months it was opened and closed, counts
of assistance, referrals and claims) shown to the grantee on the page, in the API and in the
download, never its plan, names, partners or amounts; shown only while every person of the
household consents; chosen only from the coordinator's own organisation. Asked as the
grantee, the owner coordinator, a colleague with another role and an outsider."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from madad.accounts.models import Organisation, User
from madad.cases.models import Case
from madad.claims.models import Claim
from madad.core.models import AuditEvent
from madad.core.refusals import Conflict, NotVisible
from madad.households.models import Household, Member
from madad.incidents.models import Act
from madad.people.models import Person
from madad.referrals.models import Referral
from madad.sharing import services
from madad.sharing.models import Grant, GrantedRecord
from madad.testimonies.models import ConsentPurpose
from madad.testimonies.services import consent_give
from tests.assistance.factories import (
    make_assistance,
    make_case,
    make_household,
    make_incident,
    make_person,
)
from tests.factories import OrganisationFactory
from tests.sharing.conftest import TODAY, World, withdraw

pytestmark = pytest.mark.django_db

Signed = Callable[[User], Client]
Bearer = Callable[[User], dict[str, str]]
MakeGrant = Callable[..., Grant]

PLAN = "Pay the rent to the landlord Ghulam Rasool for six months (test plan)"
AMOUNT = "48213.00"
CLAIMED = "777666.00"
PARTNER = "Fictitious Legal Aid Partner"
SCHEME = "Shuhada Package (test scheme)"
OPENED = dt.datetime(2025, 3, 17, 10, 0)


@pytest.fixture
def helped(world: World) -> Case:
    """The world's case, opened on 17 March 2025, with a plan, assistance (one approved cash
    grant with an amount, one delivered food parcel, one only asked for, one cancelled), a
    referral to a partner and a compensation claim."""
    case = world.case
    Case.objects.filter(pk=case.pk).update(
        plan=PLAN, opened_at=timezone.make_aware(OPENED), risk=Case.Risk.CRITICAL
    )
    case.refresh_from_db()
    by = world.caseworker
    now = timezone.now()
    approved: dict[str, Any] = {"approved_by": world.coordinator, "approved_at": now}
    make_assistance(case=case, requested_by=by, amount=AMOUNT, status="approved", **approved)
    make_assistance(
        case=case,
        requested_by=by,
        amount=None,
        kind="food",
        in_kind="Flour",
        status="disbursed",
        disbursed_by=by,
        disbursed_at=now,
        disbursement_method="goods_delivered",
        **approved,
    )
    make_assistance(case=case, requested_by=by, amount="13579.00", kind="rent")
    make_assistance(
        case=case,
        requested_by=by,
        amount="24680.00",
        kind="rent",
        status="cancelled",
        cancelled_by=by,
        cancelled_at=now,
    )
    partner = OrganisationFactory.create(kind=Organisation.Kind.LEGAL_AID, name=PARTNER)
    Referral.objects.create(
        organisation=world.org,
        case=case,
        partner=partner,
        person=world.victim,
        service="Legal aid",
        sent_by=by,
    )
    Claim.objects.create(
        case=case,
        scheme=SCHEME,
        authority="Deputy Commissioner (test)",
        filed_on=TODAY(),
        amount_claimed=CLAIMED,
        created_by=by,
    )
    return case


def case_record(grant: Grant) -> GrantedRecord:
    return grant.records.get(kind=GrantedRecord.Kind.CASE)


def record_url(granted: GrantedRecord) -> str:
    return reverse("shared:record", args=[granted.pk])


def assert_nothing_that_identifies(text: str, world: World) -> None:
    for secret in (
        PLAN,
        "Ghulam",
        "48213",
        "48,213",
        "777666",
        "777,666",
        "13579",
        "24680",
        PARTNER,
        SCHEME,
        "Zarina",
        "Testwali",
        "Critical",
        world.caseworker.full_name,
        "17 Mar 2025",
        "2025-03-17",
    ):
        assert secret not in text, secret


def make_member(world: World, household: Household, **values: str) -> Person:
    person = make_person(world.org, given_name="Bilal", **values)
    Member.objects.create(household=household, person=person, relation=Member.Relation.SON)
    return person


# --- What the grantee reads ------------------------------------------------------------------
def test_the_delegate_reads_the_case_summary_and_never_the_plan_names_or_amounts(
    world: World, helped: Case, make_grant: MakeGrant, signed_in: Signed
) -> None:
    grant = make_grant(incidents=[], cases=[helped])
    granted = case_record(grant)
    client = signed_in(world.delegate)

    grant_page = client.get(reverse("shared:grant", args=[grant.pk]))
    assert grant_page.status_code == 200
    listing = grant_page.content.decode()
    assert "<h2>Case summaries</h2>" in listing
    assert "Case opened in March 2025, Plan agreed" in listing
    assert record_url(granted) in listing
    assert_nothing_that_identifies(listing, world)

    response = client.get(record_url(granted))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Case summary" in page
    assert "Plan agreed" in page and "March 2025" in page and "Not closed" in page
    assert response.context["summary"] == {
        "assistance": [("Cash grant", 1), ("Food", 1)],
        "referrals": [("Sent", 1)],
        "claims": [("Filed", 1)],
    }
    assert "Assistance approved or delivered" in page and "Government compensation claims" in page
    # the family under the pseudonym its head has on every page of the grant
    assert response.context["people"] == ["Person A"]
    assert "Rent" not in page  # only asked for, or cancelled: not counted
    assert_nothing_that_identifies(page, world)

    read = AuditEvent.objects.filter(
        action="grant.record.viewed", actor=world.delegate, object_id=str(granted.pk)
    )
    assert [sorted(event.fields) for event in read.order_by("at", "id")] == [
        ["case.closed_at", "case.opened_at", "case.status"],
    ]
    listed = AuditEvent.objects.get(action="grant.records.listed", actor=world.delegate)
    assert {"case.opened_at", "case.status"} <= set(listed.fields)
    assert "case.closed_at" not in listed.fields


def test_a_closed_case_shows_the_month_it_closed(
    world: World, helped: Case, make_grant: MakeGrant, signed_in: Signed
) -> None:
    closed = timezone.make_aware(dt.datetime(2025, 11, 4, 9, 30))
    Case.objects.filter(pk=helped.pk).update(status=Case.Status.CLOSED, closed_at=closed)
    grant = make_grant(incidents=[], cases=[helped])
    response = signed_in(world.delegate).get(record_url(case_record(grant)))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Closed" in page and "November 2025" in page
    assert "4 Nov 2025" not in page and "Not closed" not in page


def test_the_api_answers_months_and_counts_only(
    client: Client, bearer: Bearer, world: World, helped: Case, make_grant: MakeGrant
) -> None:
    grant = make_grant(incidents=[], cases=[helped])
    granted = case_record(grant)
    response = client.get(f"/api/v1/grants/records/{granted.pk}", headers=bearer(world.delegate))
    assert response.status_code == 200
    body = response.json()
    assert body == {
        "id": granted.pk,
        "grant": grant.pk,
        "kind": "case",
        "status": "plan_agreed",
        "opened_at": "2025-03",
        "closed_at": None,
        "summary": {
            "assistance": {"cash_grant": 1, "food": 1},
            "referrals": {"sent": 1},
            "claims": {"filed": 1},
        },
    }
    assert_nothing_that_identifies(response.content.decode(), world)
    listed = client.get(f"/api/v1/grants/{grant.pk}", headers=bearer(world.delegate))
    assert listed.status_code == 200
    assert {item["kind"] for item in listed.json()["items"]} == {"testimony", "case"}


def test_the_case_summary_downloads_as_a_stamped_pdf_without_the_plan_or_amounts(
    client: Client, world: World, helped: Case, make_grant: MakeGrant
) -> None:
    grant = make_grant(incidents=[], cases=[helped])
    granted = case_record(grant)
    client.force_login(world.delegate)
    response = client.get(reverse("shared:download", args=[granted.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="grant-{grant.pk}-record-{granted.pk}.pdf"'
    )
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Case summary" in text
    assert "March 2025" in text and "Plan agreed" in text
    assert "Cash grant: 1" in text and "Sent: 1" in text and "Filed: 1" in text
    assert "Delegate (test)" in text  # the stamp names who took it
    assert_nothing_that_identifies(text, world)
    downloaded = AuditEvent.objects.filter(action="grant.record.downloaded", actor=world.delegate)
    assert [event.object_id for event in downloaded] == [str(granted.pk)]


# --- Consent ---------------------------------------------------------------------------------
def test_a_case_whose_head_withdraws_consent_answers_404_from_the_next_request(
    client: Client,
    bearer: Bearer,
    world: World,
    helped: Case,
    make_grant: MakeGrant,
    signed_in: Signed,
) -> None:
    grant = make_grant(incidents=[], cases=[helped])
    granted = case_record(grant)
    headers = bearer(world.delegate)
    assert client.get(f"/api/v1/grants/records/{granted.pk}", headers=headers).status_code == 200
    withdraw(world)
    api = client.get(f"/api/v1/grants/records/{granted.pk}", headers=headers)
    assert api.status_code == 404
    signed_in(world.delegate)
    assert client.get(record_url(granted)).status_code == 404
    assert client.get(reverse("shared:download", args=[granted.pk])).status_code == 404
    grant_page = client.get(reverse("shared:grant", args=[grant.pk]))
    assert grant_page.status_code == 200
    assert record_url(granted) not in grant_page.content.decode()


def test_a_case_whose_head_withdrew_is_left_out_at_creation_and_counted(
    world: World, helped: Case
) -> None:
    withdraw(world)
    # an incident whose victim still consents, so that the grant keeps something
    neighbour = make_person(world.org, given_name="Rukhsana")
    consent_give(
        purpose=ConsentPurpose.DELEGATION_VIEWING,
        person=neighbour,
        recorded_by=world.caseworker,
        date=TODAY(),
    )
    incident = make_incident(world.org, world.documenter)
    Act.objects.create(incident=incident, victim=neighbour, act_type=Act.Type.PROPERTY_DESTROYED)
    grant = create(world, services.Chosen(incidents=[incident.pk], cases=[helped.pk]))
    assert grant.left_out == 1
    assert list(grant.records.values_list("kind", flat=True)) == ["incident"]


def test_a_household_member_without_consent_keeps_the_case_out(
    world: World, helped: Case, make_grant: MakeGrant, signed_in: Signed
) -> None:
    grant = make_grant(incidents=[], cases=[helped])
    granted = case_record(grant)
    client = signed_in(world.delegate)
    assert client.get(record_url(granted)).status_code == 200

    make_member(world, helped.household)  # a son, who has not consented
    assert client.get(record_url(granted)).status_code == 404

    later = create(world, services.Chosen(testimonies=[world.testimony.pk], cases=[helped.pk]))
    assert later.left_out == 1
    assert list(later.records.values_list("kind", flat=True)) == ["testimony"]


def test_a_case_whose_every_member_consents_is_shared_and_the_family_is_named_by_letters(
    world: World, helped: Case, make_grant: MakeGrant, signed_in: Signed
) -> None:
    son = make_member(world, helped.household)
    consent_give(
        purpose=ConsentPurpose.DELEGATION_VIEWING,
        person=son,
        recorded_by=world.caseworker,
        date=TODAY(),
    )
    grant = make_grant(incidents=[], cases=[helped])
    assert grant.left_out == 0
    response = signed_in(world.delegate).get(record_url(case_record(grant)))
    assert response.status_code == 200
    assert response.context["people"] == ["Person A", "Person B"]
    assert "Bilal" not in response.content.decode()


def test_a_household_with_no_person_has_nobody_to_consent_and_is_not_shared(
    world: World,
) -> None:
    household = Household.objects.create(organisation=world.org, created_by=world.caseworker)
    empty = Case.objects.create(
        organisation=world.org, household=household, caseworker=world.caseworker
    )
    with pytest.raises(Conflict):
        create(world, services.Chosen(cases=[empty.pk]))
    assert Grant.objects.count() == 0
    grant = create(world, services.Chosen(testimonies=[world.testimony.pk], cases=[empty.pk]))
    assert grant.left_out == 1


# --- Choosing cases --------------------------------------------------------------------------
def create(world: World, chosen: services.Chosen) -> Grant:
    return services.grant_create(
        actor=world.coordinator,
        grantee=world.delegation,
        users=[world.delegate],
        purpose="Fact-finding visit (test)",
        valid_from=TODAY(),
        valid_until=TODAY() + dt.timedelta(days=7),
        chosen=chosen,
    )


def test_a_case_of_another_organisation_is_not_visible_and_nothing_is_saved(
    world: World, outsider: User, signed_in: Signed
) -> None:
    theirs = make_case(
        caseworker=outsider, household=make_household(outsider.organisation, outsider)
    )
    with pytest.raises(NotVisible):
        create(world, services.Chosen(testimonies=[world.testimony.pk], cases=[theirs.pk]))
    assert Grant.objects.count() == 0
    response = signed_in(world.coordinator).post(
        reverse("sharing:new"),
        {
            "grantee": world.delegation.pk,
            "users": [world.delegate.pk],
            "purpose": "Fact-finding visit (test)",
            "valid_from": TODAY().isoformat(),
            "valid_until": (TODAY() + dt.timedelta(days=7)).isoformat(),
            "cases": [theirs.pk],
        },
    )
    assert response.status_code == 422
    assert "cases" in response.context["form"].errors
    assert Grant.objects.count() == 0


def test_the_coordinators_form_offers_the_case_and_creates_the_grant(
    world: World, helped: Case, signed_in: Signed, outsider: User
) -> None:
    theirs = make_case(
        caseworker=outsider, household=make_household(outsider.organisation, outsider)
    )
    client = signed_in(world.coordinator)
    form = client.get(reverse("sharing:new"))
    assert form.status_code == 200
    offered = form.content.decode()
    label = f"Case #{helped.pk}, opened March 2025, Plan agreed"
    assert label in offered
    assert f"Case #{theirs.pk}," not in offered
    assert "Zarina" not in offered and "Testwali" not in offered and PLAN not in offered

    response = client.post(
        reverse("sharing:new"),
        {
            "grantee": world.delegation.pk,
            "users": [world.delegate.pk],
            "purpose": "Fact-finding visit (test)",
            "valid_from": TODAY().isoformat(),
            "valid_until": (TODAY() + dt.timedelta(days=7)).isoformat(),
            "downloads_allowed": "on",
            "cases": [helped.pk],
        },
    )
    assert response.status_code == 302
    grant = Grant.objects.get()
    assert response["Location"] == reverse("sharing:detail", args=[grant.pk])
    assert [(r.kind, r.case_id) for r in grant.records.all()] == [("case", helped.pk)]
    assert grant.left_out == 0
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert label in page.content.decode()
    assert "Holds: shown to the readers" in page.content.decode()


# --- Who else asks ---------------------------------------------------------------------------
def test_only_the_grantee_reads_the_case_summary(
    world: World,
    helped: Case,
    make_grant: MakeGrant,
    signed_in: Signed,
    outsider: User,
    client: Client,
) -> None:
    granted = case_record(make_grant(incidents=[], cases=[helped]))
    url = record_url(granted)
    # the owner coordinator sees the record on their own pages, not in the grantee's area
    assert signed_in(world.coordinator).get(url).status_code == 403
    # the family's caseworker (another role) and a coordinator of another organisation: none
    assert signed_in(world.caseworker).get(url).status_code == 404
    assert signed_in(outsider).get(url).status_code == 404
    assert signed_in(world.rights_reader).get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


# --- The database's rules --------------------------------------------------------------------
def test_a_granted_case_names_its_case_and_nothing_else_once_per_grant(
    world: World, helped: Case, make_grant: MakeGrant
) -> None:
    grant = make_grant(incidents=[])
    bad: list[dict[str, Any]] = [
        {"kind": "case"},
        {"kind": "case", "case": helped, "incident": world.incident},
        {"kind": "incident", "case": helped},
    ]
    for values in bad:
        with pytest.raises(IntegrityError), transaction.atomic():
            GrantedRecord.objects.create(grant=grant, **values)
    GrantedRecord.objects.create(grant=grant, kind="case", case=helped)
    with pytest.raises(IntegrityError), transaction.atomic():
        GrantedRecord.objects.create(grant=grant, kind="case", case=helped)
    assert case_record(grant).record == helped
