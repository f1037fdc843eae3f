"""Households, cases and consent for the assistance, referral and claim tests.

Rows are created directly (not through the households and cases services, which another part of
Madad owns and tests), in the states these tests need.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from madad.accounts.models import Organisation, User
from madad.assistance.models import Assistance, Limit
from madad.cases.models import Case
from madad.households.models import Household, Member
from madad.incidents.models import Incident
from madad.people.models import Person
from madad.people.services import person_create
from madad.places.models import Place
from madad.testimonies.models import ConsentPurpose
from madad.testimonies.services import consent_give, consent_withdraw


def make_person(organisation: Organisation, **values: Any) -> Person:
    data = {
        "given_name": "Nasreen",
        "family_name": "Akhtar",
        "phone": "0399-1234567",
        "cnic": "99999-1234567-2",
        "address": "House 7, Street 3 (test)",
        "sex": "female",
        "age": 38,
        **values,
    }
    return person_create(organisation=organisation, created_by=None, **data)


def make_household(
    organisation: Organisation, created_by: User, head: Person | None = None
) -> Household:
    head = head or make_person(organisation)
    household = Household.objects.create(
        organisation=organisation, created_by=created_by, head=head
    )
    Member.objects.create(household=household, person=head, relation=Member.Relation.HEAD)
    return household


def make_case(
    *, caseworker: User, status: str = Case.Status.PLAN_AGREED, household: Household | None = None
) -> Case:
    organisation = caseworker.organisation
    household = household or make_household(organisation, caseworker)
    return Case.objects.create(
        organisation=organisation,
        household=household,
        caseworker=caseworker,
        status=status,
        closed_at=timezone.now() if status == Case.Status.CLOSED else None,
    )


def make_assistance(
    *,
    case: Case,
    requested_by: User,
    amount: str | None = "15000.00",
    kind: str = "cash_grant",
    **values: Any,
) -> Assistance:
    return Assistance.objects.create(
        case=case,
        requested_by=requested_by,
        kind=kind,
        amount=Decimal(amount) if amount is not None else None,
        **values,
    )


def set_limit(organisation: Organisation, kind: str, amount: str) -> Limit:
    return Limit.objects.update_or_create(
        organisation=organisation, kind=kind, defaults={"max_amount": Decimal(amount)}
    )[0]


def give_referral_consent(
    person: Person, recorded_by: User, partner: Organisation, on: dt.date | None = None
) -> None:
    """The person consents to referral to `partner` (and to no other)."""
    consent_give(
        purpose=ConsentPurpose.REFERRAL,
        person=person,
        recipient=partner,
        recorded_by=recorded_by,
        date=on or timezone.localdate(),
    )


def withdraw_referral_consent(
    person: Person, recorded_by: User, partner: Organisation, on: dt.date | None = None
) -> None:
    consent_withdraw(
        purpose=ConsentPurpose.REFERRAL,
        person=person,
        recipient=partner,
        recorded_by=recorded_by,
        date=on or timezone.localdate(),
    )


def make_incident(organisation: Organisation, user: User, **values: Any) -> Incident:
    place, _ = Place.objects.get_or_create(
        code="test-assistance-city",
        defaults={
            "name": "Test City",
            "level": Place.Level.CITY,
            "latitude": "24.86000",
            "longitude": "67.01000",
        },
    )
    data = {"title": "Shop set on fire (test)", "start_date": dt.date(2024, 3, 2), **values}
    return Incident.objects.create(
        organisation=organisation, place=place, created_by=user, updated_by=user, **data
    )


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
