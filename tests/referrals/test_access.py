"""What a partner sees: only the referrals sent to its organisation, only what they share, and
nothing once the person's consent is withdrawn."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.http import Http404
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from madad import access
from madad.access.referrals import with_consent_in_force
from madad.accounts.models import Organisation, User
from madad.cases.models import Case
from madad.core.models import AuditEvent
from madad.referrals.models import Referral
from madad.referrals.services import referral_send
from madad.testimonies.models import ConsentRecord
from madad.testimonies.services import consent_covers
from tests.assistance.factories import (
    give_referral_consent,
    make_case,
    withdraw_referral_consent,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def referral(caseworker: User, case: Case, partner_org: Organisation) -> Referral:
    give_referral_consent(
        case.household.head, caseworker, partner_org, on=timezone.localdate() - dt.timedelta(days=2)
    )
    return referral_send(
        case=case,
        person=case.household.head,
        partner=partner_org,
        service="Trauma counselling",
        shared_summary="Lost her husband",
        share_phone=True,
        sent_by=caseworker,
    )


@pytest.fixture
def other_referral(caseworker: User, make_user: Callable[..., User]) -> Referral:
    """A referral of another case to another partner."""
    clinic = Organisation.objects.create(name="City clinic (test)", kind="hospital")
    case = make_case(caseworker=caseworker)
    give_referral_consent(case.household.head, caseworker, clinic)
    return referral_send(
        case=case,
        person=case.household.head,
        partner=clinic,
        service="Physiotherapy",
        sent_by=caseworker,
    )


def test_a_partner_sees_only_the_referral_sent_to_its_organisation(
    partner_user: User, referral: Referral, other_referral: Referral
) -> None:
    assert list(access.visible_to(partner_user, Referral)) == [referral]


def test_a_partner_reads_only_what_the_referral_shares(
    partner_user: User, referral: Referral
) -> None:
    shown = access.reveal(partner_user, referral, action="referral.shared.viewed")
    assert set(shown) == {
        "id",
        "organisation",
        "partner",
        "service",
        "shared_summary",
        "shared_given_name",
        "shared_phone",
        "status",
        "sent_at",
        "responded_by",
        "responded_at",
        "response_note",
        "withdrawn_at",
        "version",
    }
    assert (shown["shared_given_name"], shown["shared_phone"]) == ("Nasreen", "0399-1234567")
    event = AuditEvent.objects.get(action="referral.shared.viewed")
    # the partner's note is encrypted like what it is told, and its read is audited too
    assert set(event.fields) == {
        "response_note",
        "shared_given_name",
        "shared_phone",
        "shared_summary",
    }


def test_a_partner_sees_no_case_household_person_or_incident(
    partner_user: User, referral: Referral
) -> None:
    from madad.households.models import Household
    from madad.incidents.models import Incident
    from madad.people.models import Person

    for model in (Case, Household, Person, Incident):
        assert not access.visible_to(partner_user, model).exists(), model


def test_after_consent_is_withdrawn_the_partner_no_longer_sees_the_referral(
    caseworker: User, partner_user: User, referral: Referral, signed_in: Callable[[User], Client]
) -> None:
    client = signed_in(partner_user)
    url = reverse("referrals:detail", args=[referral.pk])
    assert client.get(url).status_code == 200
    assert url in client.get(reverse("referrals:list")).content.decode()
    withdraw_referral_consent(referral.person, caseworker, referral.partner)
    assert client.get(url).status_code == 404
    listed = client.get(reverse("referrals:list")).content.decode()
    assert url not in listed
    assert "Trauma counselling" not in listed
    assert (
        client.post(
            reverse("referrals:respond", args=[referral.pk]), {"decision": "accept", "version": 1}
        ).status_code
        == 404
    )
    assert Referral.objects.get(pk=referral.pk).status == "sent"
    # the referring organisation still sees its own record of it
    assert access.visible_to(caseworker, Referral).filter(pk=referral.pk).exists()


def test_consent_given_again_restores_the_sharing(
    caseworker: User, partner_user: User, referral: Referral
) -> None:
    withdraw_referral_consent(
        referral.person,
        caseworker,
        referral.partner,
        on=timezone.localdate() - dt.timedelta(days=1),
    )
    assert not access.visible_to(partner_user, Referral).exists()
    give_referral_consent(referral.person, caseworker, referral.partner)
    assert access.visible_to(partner_user, Referral).exists()


def test_a_withdrawn_referral_is_gone_for_the_partner(
    caseworker: User, partner_user: User, referral: Referral
) -> None:
    from madad.referrals.services import referral_withdraw

    referral_withdraw(referral=referral, withdrawn_by=caseworker)
    with pytest.raises(Http404):
        access.get_visible_or_404(partner_user, Referral, pk=referral.pk)


@pytest.mark.parametrize(
    "history",
    [
        [],
        [("given", 0)],
        [("given", 5), ("withdrawn", 1)],
        [("given", 5), ("withdrawn", 3), ("given", 0)],
        [("given", -1)],  # decided for tomorrow: not yet in force
        [("withdrawn", 2), ("given", 2)],  # same day: the later record wins
        [("given", 3, "other")],  # consent names another partner
        [("given", 3), ("withdrawn", 1, "other")],  # withdrawn for another partner only
    ],
)
def test_the_list_filter_agrees_with_consent_covers(
    caseworker: User, case: Case, partner_org: Organisation, history: list[tuple[Any, ...]]
) -> None:
    person = case.household.head
    other = Organisation.objects.create(name="Another partner (test)", kind="ngo")
    referral = Referral.objects.create(
        organisation=case.organisation,
        case=case,
        partner=partner_org,
        person=person,
        service="Shelter",
        sent_by=caseworker,
    )
    for decision, days_ago, *whom in history:
        ConsentRecord.objects.create(
            organisation=case.organisation,
            person=person,
            purpose="referral",
            recipient=other if whom else partner_org,
            decision=decision,
            date=timezone.localdate() - dt.timedelta(days=days_ago),
            recorded_by=caseworker,
        )
    in_list = with_consent_in_force(Referral.objects.filter(pk=referral.pk)).exists()
    assert in_list == consent_covers(purpose="referral", person=person, recipient=partner_org)
