"""Referrals under consent: refused without it, stopped after its withdrawal."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from madad.accounts.models import Organisation, User
from madad.accounts.roles import Role
from madad.cases.models import Case
from madad.core.models import AuditEvent
from madad.core.refusals import Conflict, Invalid, NotAllowed
from madad.referrals.models import Referral
from madad.referrals.services import (
    referral_respond,
    referral_send,
    referral_withdraw,
)
from tests.assistance.factories import (
    give_referral_consent,
    make_case,
    make_person,
    withdraw_referral_consent,
)
from tests.core.conftest import raw_row

pytestmark = pytest.mark.django_db


def _send(
    case: Case,
    user: User,
    partner: Organisation,
    *,
    shared_summary: str = "",
    share_phone: bool = False,
) -> Referral:
    return referral_send(
        case=case,
        person=case.household.head,
        partner=partner,
        service="Legal representation",
        sent_by=user,
        shared_summary=shared_summary,
        share_phone=share_phone,
    )


def test_a_referral_without_consent_is_refused_and_nothing_is_written(
    caseworker: User, case: Case, partner_org: Organisation
) -> None:
    with pytest.raises(NotAllowed, match="consent does not cover"):
        _send(case, caseworker, partner_org)
    assert not Referral.objects.exists()
    assert not AuditEvent.objects.filter(action="case.referral.sent").exists()


def test_consent_given_for_a_later_date_does_not_cover_today(
    caseworker: User, case: Case, partner_org: Organisation
) -> None:
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    from madad.testimonies.models import ConsentRecord

    ConsentRecord.objects.create(
        organisation=case.organisation,
        person=case.household.head,
        purpose="referral",
        recipient=partner_org,
        decision="given",
        date=tomorrow,
        recorded_by=caseworker,
    )
    with pytest.raises(NotAllowed):
        _send(case, caseworker, partner_org)


def test_with_consent_the_referral_is_sent_with_only_what_it_shares(
    caseworker: User, case: Case, partner_org: Organisation
) -> None:
    give_referral_consent(case.household.head, caseworker, partner_org)
    referral = _send(case, caseworker, partner_org, shared_summary="Needs a lawyer for the FIR")
    assert (referral.status, referral.partner, referral.organisation) == (
        "sent",
        partner_org,
        caseworker.organisation,
    )
    assert referral.shared_given_name == "Nasreen"
    assert referral.shared_phone == ""  # not shared unless ticked
    row = raw_row(Referral, referral.pk)
    assert "Nasreen" not in str(row["shared_given_name"])
    assert "lawyer" not in str(row["shared_summary"])
    event = AuditEvent.objects.get(action="case.referral.sent")
    assert set(event.fields) == {"service", "shared_given_name", "shared_summary"}


def test_the_phone_number_is_shared_only_when_ticked(
    caseworker: User, case: Case, partner_org: Organisation
) -> None:
    give_referral_consent(case.household.head, caseworker, partner_org)
    assert _send(case, caseworker, partner_org, share_phone=True).shared_phone == "0399-1234567"


def test_after_consent_is_withdrawn_no_new_referral_can_be_sent(
    caseworker: User, case: Case, partner_org: Organisation
) -> None:
    person = case.household.head
    give_referral_consent(
        person, caseworker, partner_org, on=timezone.localdate() - dt.timedelta(days=3)
    )
    _send(case, caseworker, partner_org)
    withdraw_referral_consent(person, caseworker, partner_org)
    with pytest.raises(NotAllowed):
        _send(case, caseworker, partner_org)
    assert Referral.objects.count() == 1


@pytest.fixture
def clinic() -> Organisation:
    return Organisation.objects.create(name="City clinic (test)", kind="hospital")


def test_a_referral_is_refused_when_consent_names_another_partner(
    caseworker: User, case: Case, partner_org: Organisation, clinic: Organisation
) -> None:
    give_referral_consent(case.household.head, caseworker, clinic)
    with pytest.raises(NotAllowed, match="consent does not cover"):
        _send(case, caseworker, partner_org)
    assert not Referral.objects.exists()
    assert _send(case, caseworker, clinic).partner == clinic


def test_withdrawing_consent_for_one_partner_stops_referrals_to_it_but_not_to_another(
    caseworker: User,
    case: Case,
    partner_org: Organisation,
    clinic: Organisation,
    partner_user: User,
    make_user: Callable[..., User],
    signed_in: Callable[[User], Client],
) -> None:
    person = case.household.head
    for partner in (partner_org, clinic):
        give_referral_consent(
            person, caseworker, partner, on=timezone.localdate() - dt.timedelta(days=3)
        )
    to_lawyers, to_clinic = _send(case, caseworker, partner_org), _send(case, caseworker, clinic)
    clinic_user = make_user(Role.PARTNER, organisation=clinic)

    withdraw_referral_consent(person, caseworker, partner_org)

    with pytest.raises(NotAllowed):
        _send(case, caseworker, partner_org)
    assert _send(case, caseworker, clinic).partner == clinic
    client = signed_in(partner_user)
    assert client.get(reverse("referrals:detail", args=[to_lawyers.pk])).status_code == 404
    assert (
        client.post(
            reverse("referrals:respond", args=[to_lawyers.pk]), {"decision": "accept", "version": 1}
        ).status_code
        == 404
    )
    client = signed_in(clinic_user)
    assert client.get(reverse("referrals:detail", args=[to_clinic.pk])).status_code == 200
    referral_respond(referral=to_clinic, responded_by=clinic_user, decision="accept")
    assert Referral.objects.get(pk=to_lawyers.pk).status == "sent"


def test_only_a_member_of_the_households_case_is_referred(
    caseworker: User, case: Case, partner_org: Organisation, relief_org: Organisation
) -> None:
    stranger = make_person(relief_org, given_name="Other")
    give_referral_consent(stranger, caseworker, partner_org)
    with pytest.raises(Invalid) as refused:
        referral_send(
            case=case, person=stranger, partner=partner_org, service="Shelter", sent_by=caseworker
        )
    assert "person" in refused.value.fields


@pytest.mark.parametrize(
    "field,value", [("service", ""), ("service", "x" * 201), ("shared_summary", "nul\x00")]
)
def test_bad_input_is_refused_by_field(
    caseworker: User, case: Case, partner_org: Organisation, field: str, value: str
) -> None:
    give_referral_consent(case.household.head, caseworker, partner_org)
    data = {"service": "Counselling", "shared_summary": "", field: value}
    with pytest.raises(Invalid) as refused:
        referral_send(
            case=case,
            person=case.household.head,
            partner=partner_org,
            sent_by=caseworker,
            service=data["service"],
            shared_summary=data["shared_summary"],
        )
    assert field in refused.value.fields


def test_a_case_is_not_referred_to_a_relief_organisation(
    caseworker: User, case: Case, partner_org: Organisation, other_relief_org: Organisation
) -> None:
    give_referral_consent(case.household.head, caseworker, partner_org)
    with pytest.raises(Invalid) as refused:
        _send(case, caseworker, other_relief_org)
    assert "partner" in refused.value.fields


def test_a_closed_case_is_not_referred(caseworker: User, partner_org: Organisation) -> None:
    case = make_case(caseworker=caseworker, status=Case.Status.CLOSED)
    give_referral_consent(case.household.head, caseworker, partner_org)
    with pytest.raises(Invalid):
        _send(case, caseworker, partner_org)


@pytest.mark.parametrize("who", ["other_caseworker", "finance", "partner_user", "outsider"])
def test_only_those_who_see_the_case_refer_it(
    request: pytest.FixtureRequest,
    caseworker: User,
    case: Case,
    partner_org: Organisation,
    who: str,
) -> None:
    give_referral_consent(case.household.head, caseworker, partner_org)
    with pytest.raises(NotAllowed):
        _send(case, request.getfixturevalue(who), partner_org)


def test_the_partner_accepts_then_completes(
    caseworker: User, case: Case, partner_org: Organisation, partner_user: User
) -> None:
    give_referral_consent(case.household.head, caseworker, partner_org)
    referral = _send(case, caseworker, partner_org)
    referral_respond(
        referral=referral,
        responded_by=partner_user,
        decision="accept",
        note="A lawyer will call on Monday",
    )
    assert (referral.status, referral.responded_by) == ("accepted", partner_user)
    with pytest.raises(Conflict):
        referral_respond(referral=referral, responded_by=partner_user, decision="accept")
    referral_respond(referral=referral, responded_by=partner_user, decision="complete")
    assert referral.status == "completed"
    assert list(
        AuditEvent.objects.filter(action__startswith="case.referral.")
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["case.referral.sent", "case.referral.accepted", "case.referral.completed"]


def test_the_partner_may_decline(
    caseworker: User, case: Case, partner_org: Organisation, partner_user: User
) -> None:
    give_referral_consent(case.household.head, caseworker, partner_org)
    referral = _send(case, caseworker, partner_org)
    referral_respond(
        referral=referral,
        responded_by=partner_user,
        decision="decline",
        note="No capacity this month",
    )
    assert referral.status == "declined"
    with pytest.raises(Conflict):
        referral_respond(referral=referral, responded_by=partner_user, decision="complete")


def test_another_partner_and_staff_cannot_answer(
    caseworker: User, case: Case, partner_org: Organisation, make_user: Callable[..., User]
) -> None:
    give_referral_consent(case.household.head, caseworker, partner_org)
    referral = _send(case, caseworker, partner_org)
    other_partner = Organisation.objects.create(name="Another clinic", kind="hospital")
    stranger = make_user("partner", organisation=other_partner)
    for user in (stranger, caseworker):
        with pytest.raises(NotAllowed):
            referral_respond(referral=referral, responded_by=user, decision="accept")
    assert Referral.objects.get(pk=referral.pk).status == "sent"


def test_the_referring_caseworker_withdraws_an_open_referral(
    caseworker: User, case: Case, partner_org: Organisation, partner_user: User
) -> None:
    give_referral_consent(case.household.head, caseworker, partner_org)
    referral = _send(case, caseworker, partner_org)
    referral_withdraw(referral=referral, withdrawn_by=caseworker)
    assert referral.status == "withdrawn"
    with pytest.raises(NotAllowed):  # the partner no longer sees it at all
        referral_respond(referral=referral, responded_by=partner_user, decision="accept")


def test_the_partners_note_is_not_stored_in_plaintext(
    caseworker: User, case: Case, partner_org: Organisation, partner_user: User
) -> None:
    give_referral_consent(case.household.head, caseworker, partner_org)
    referral = _send(case, caseworker, partner_org)
    referral_respond(
        referral=referral,
        responded_by=partner_user,
        decision="accept",
        note="Advocate Imran Qureshi will call 0300-7654321",
    )
    stored = str(raw_row(Referral, referral.pk)["response_note"])
    assert "Imran" not in stored and "0300" not in stored
    referral.refresh_from_db()
    assert referral.response_note == "Advocate Imran Qureshi will call 0300-7654321"
