"""The referral pages, asked by the caseworker, a partner user, colleagues with other roles and
an outsider."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from madad.accounts.models import Organisation, User
from madad.cases.models import Case
from madad.referrals.models import Referral
from madad.referrals.selectors import referral_responses_for
from madad.referrals.services import referral_respond, referral_send
from tests.assistance.factories import give_referral_consent

pytestmark = pytest.mark.django_db


@pytest.fixture
def consented(case: Case, caseworker: User, partner_org: Organisation) -> Case:
    give_referral_consent(
        case.household.head, caseworker, partner_org, on=timezone.localdate() - dt.timedelta(days=1)
    )
    return case


@pytest.fixture
def referral(consented: Case, caseworker: User, partner_org: Organisation) -> Referral:
    return referral_send(
        case=consented,
        person=consented.household.head,
        partner=partner_org,
        service="Legal aid at the sessions court",
        shared_summary="Threatened after filing the FIR",
        sent_by=caseworker,
    )


def _send_data(case: Case, partner: Organisation, **extra: Any) -> dict[str, Any]:
    return {
        "person": case.household.head_id,
        "partner": partner.pk,
        "service": "Counselling",
        "shared_summary": "",
        **extra,
    }


def test_the_caseworker_sends_a_referral_from_the_case(
    signed_in: Callable[[User], Client],
    caseworker: User,
    consented: Case,
    partner_org: Organisation,
) -> None:
    client = signed_in(caseworker)
    page = client.get(reverse("cases:detail", args=[consented.pk])).content.decode()
    assert "Refer to a partner" in page
    choices = page.split('name="person"')[1].split("</select>")[0]
    assert "Nasreen" not in choices  # the choice lists numbers and relations, not names
    # the consent list names the partner the head of household consented to
    assert f'<span translate="no">{partner_org.name}</span>' in page
    response = client.post(
        reverse("referrals:send", args=[consented.pk]),
        _send_data(consented, partner_org, share_phone="on"),
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", args=[consented.pk]) + "#referrals"
    assert Referral.objects.get().shared_phone == "0399-1234567"


def test_without_consent_the_page_says_why_nothing_was_sent(
    signed_in: Callable[[User], Client], caseworker: User, case: Case, partner_org: Organisation
) -> None:
    response = signed_in(caseworker).post(
        reverse("referrals:send", args=[case.pk]), _send_data(case, partner_org)
    )
    assert response.status_code == 403
    assert "consent does not cover a referral" in response.content.decode()
    assert not Referral.objects.exists()


def test_a_partner_organisation_not_in_the_list_is_refused(
    signed_in: Callable[[User], Client],
    caseworker: User,
    consented: Case,
    other_relief_org: Organisation,
) -> None:
    response = signed_in(caseworker).post(
        reverse("referrals:send", args=[consented.pk]), _send_data(consented, other_relief_org)
    )
    assert response.status_code == 422
    assert not Referral.objects.exists()


@pytest.mark.parametrize("who", ["outsider", "other_caseworker", "partner_user", "finance"])
def test_others_cannot_send_for_the_case(
    request: pytest.FixtureRequest,
    signed_in: Callable[[User], Client],
    consented: Case,
    partner_org: Organisation,
    who: str,
) -> None:
    response = signed_in(request.getfixturevalue(who)).post(
        reverse("referrals:send", args=[consented.pk]), _send_data(consented, partner_org)
    )
    assert response.status_code == 404
    assert not Referral.objects.exists()


def test_the_partner_sees_its_referral_and_only_what_it_shares(
    signed_in: Callable[[User], Client], partner_user: User, referral: Referral
) -> None:
    client = signed_in(partner_user)
    listed = client.get(reverse("referrals:list")).content.decode()
    assert "Legal aid at the sessions court" in listed
    page = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "Nasreen" in page
    assert "Threatened after filing the FIR" in page
    for secret in ("Akhtar", "99999", "House 7", reverse("cases:detail", args=[referral.case_id])):
        assert secret not in page
    assert "0399" not in page  # the phone was not shared


def test_the_partner_answers_and_the_caseworker_sees_the_new_answer(
    signed_in: Callable[[User], Client],
    client: Client,
    partner_user: User,
    caseworker: User,
    referral: Referral,
) -> None:
    response = signed_in(partner_user).post(
        reverse("referrals:respond", args=[referral.pk]),
        {"decision": "accept", "note": "Hearing on the 12th", "version": referral.version},
    )
    assert response.status_code == 302
    assert Referral.objects.get(pk=referral.pk).status == "accepted"
    client.logout()
    assert list(referral_responses_for(caseworker)) == [referral]
    page = signed_in(caseworker).get(reverse("referrals:detail", args=[referral.pk]))
    assert "Hearing on the 12th" in page.content.decode()
    assert list(referral_responses_for(caseworker)) == []  # read now


def test_an_answer_to_a_stale_page_is_a_clear_conflict(
    signed_in: Callable[[User], Client], partner_user: User, referral: Referral
) -> None:
    referral_respond(referral=referral, responded_by=partner_user, decision="accept")
    response = signed_in(partner_user).post(
        reverse("referrals:respond", args=[referral.pk]),
        {"decision": "decline", "version": 1},
    )
    assert response.status_code == 409
    assert "changed meanwhile" in response.content.decode()
    assert Referral.objects.get(pk=referral.pk).status == "accepted"


def test_another_partner_gets_404(
    signed_in: Callable[[User], Client], make_user: Callable[..., User], referral: Referral
) -> None:
    clinic = Organisation.objects.create(name="A clinic (test)", kind="hospital")
    stranger = make_user("partner", organisation=clinic)
    client = signed_in(stranger)
    assert client.get(reverse("referrals:detail", args=[referral.pk])).status_code == 404
    assert (
        client.post(
            reverse("referrals:respond", args=[referral.pk]), {"decision": "accept", "version": 1}
        ).status_code
        == 404
    )


@pytest.mark.parametrize("who", ["outsider", "other_caseworker", "finance", "administrator"])
def test_staff_without_the_case_get_404(
    request: pytest.FixtureRequest,
    signed_in: Callable[[User], Client],
    referral: Referral,
    who: str,
) -> None:
    client = signed_in(request.getfixturevalue(who))
    assert client.get(reverse("referrals:detail", args=[referral.pk])).status_code == 404
    assert client.post(reverse("referrals:withdraw", args=[referral.pk])).status_code == 404


@pytest.mark.parametrize(
    "name,args",
    [
        ("cases:detail", "case"),
        ("people:detail", "person"),
        ("assistance:approvals", None),
        ("claims:list", None),
        ("incidents:list", None),
    ],
)
def test_partners_get_404_on_everything_else(
    signed_in: Callable[[User], Client],
    partner_user: User,
    referral: Referral,
    name: str,
    args: str | None,
) -> None:
    url_args = [] if args is None else [getattr(referral, f"{args}_id")]
    assert signed_in(partner_user).get(reverse(name, args=url_args)).status_code == 404


def test_the_coordinator_withdraws_a_referral(
    signed_in: Callable[[User], Client], coordinator: User, referral: Referral
) -> None:
    response = signed_in(coordinator).post(reverse("referrals:withdraw", args=[referral.pk]))
    assert response.status_code == 302
    assert Referral.objects.get(pk=referral.pk).status == "withdrawn"


def test_the_partner_cannot_withdraw(
    signed_in: Callable[[User], Client], partner_user: User, referral: Referral
) -> None:
    response = signed_in(partner_user).post(reverse("referrals:withdraw", args=[referral.pk]))
    assert response.status_code == 404
    assert Referral.objects.get(pk=referral.pk).status == "sent"


def test_the_case_page_shows_the_referrals_panel(
    signed_in: Callable[[User], Client], caseworker: User, referral: Referral
) -> None:
    page = signed_in(caseworker).get(reverse("cases:detail", args=[referral.case_id]))
    assert page.status_code == 200
    assert 'id="referrals"' in page.content.decode()
    assert "Legal aid at the sessions court" in page.content.decode()
