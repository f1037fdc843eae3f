"""Who sees assistance, and who sees how it was paid out."""

from __future__ import annotations

import pytest
from django.http import Http404
from pytest_django import Settings

from madad import access
from madad.accounts.models import User
from madad.assistance.models import Assistance, Limit
from madad.assistance.services import (
    assistance_approve,
    assistance_disburse,
)
from madad.cases.models import Case
from madad.core.models import AuditEvent
from tests.assistance.factories import make_assistance

pytestmark = pytest.mark.django_db

DETAILS = ["disbursement_method", "disbursement_reference"]


@pytest.fixture
def disbursed(
    caseworker: User, coordinator: User, finance: User, case: Case, limits: dict[str, Limit]
) -> Assistance:
    item = make_assistance(
        case=case, requested_by=caseworker, amount="8000", purpose="Hospital bill"
    )
    assistance_approve(assistance=item, approver=coordinator)
    return assistance_disburse(
        assistance=item,
        disbursed_by=finance,
        method="bank_transfer",
        reference="IBAN-PK00-TEST-0001",
    )


def test_the_cases_caseworker_sees_the_disbursement_details_and_the_read_is_audited(
    caseworker: User, disbursed: Assistance
) -> None:
    shown = access.reveal(
        caseworker, disbursed, wanted=DETAILS, action="assistance.disbursement.viewed"
    )
    assert shown == {
        "disbursement_method": "bank_transfer",
        "disbursement_reference": "IBAN-PK00-TEST-0001",
    }
    event = AuditEvent.objects.get(action="assistance.disbursement.viewed")
    assert event.actor == caseworker
    assert set(event.fields) == set(DETAILS)


def test_finance_sees_the_disbursement_details_but_not_why_the_family_needs_it(
    finance: User, disbursed: Assistance
) -> None:
    shown = access.reveal(finance, disbursed, wanted=[*DETAILS, "purpose", "amount"])
    assert shown["disbursement_reference"] == "IBAN-PK00-TEST-0001"
    assert shown["amount"] == disbursed.amount
    assert "purpose" not in shown


def test_a_coordinator_sees_the_item_but_not_the_disbursement_details(
    coordinator: User, disbursed: Assistance
) -> None:
    shown = access.reveal(coordinator, disbursed, wanted=[*DETAILS, "amount", "purpose"])
    assert set(shown) == {"amount", "purpose"}


def test_a_caseworker_covering_the_case_in_a_team_does_not_see_the_details(
    settings: Settings, other_caseworker: User, caseworker: User, disbursed: Assistance
) -> None:
    from madad.cases.models import Team

    settings.CASE_VISIBILITY = "team"
    team = Team.objects.create(organisation=caseworker.organisation, name="Lyari")
    team.members.set([caseworker, other_caseworker])
    assert access.visible_to(other_caseworker, Assistance).filter(pk=disbursed.pk).exists()
    shown = access.reveal(other_caseworker, disbursed, wanted=[*DETAILS, "amount"])
    assert set(shown) == {"amount"}


@pytest.mark.parametrize("who", ["other_caseworker", "partner_user", "outsider", "administrator"])
def test_others_do_not_see_the_item_at_all(
    request: pytest.FixtureRequest, who: str, disbursed: Assistance
) -> None:
    user = request.getfixturevalue(who)
    assert not access.visible_to(user, Assistance).exists()
    with pytest.raises(Http404):
        access.reveal(user, disbursed, wanted=DETAILS)


def test_finance_sees_approved_items_but_not_mere_requests(
    caseworker: User, coordinator: User, finance: User, case: Case, limits: dict[str, Limit]
) -> None:
    requested = make_assistance(case=case, requested_by=caseworker, amount="10")
    approved = assistance_approve(
        assistance=make_assistance(case=case, requested_by=caseworker, amount="20"),
        approver=coordinator,
    )
    assert list(access.visible_to(finance, Assistance)) == [approved]
    assert requested not in access.visible_to(finance, Assistance)
