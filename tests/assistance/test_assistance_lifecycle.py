"""Requesting, cancelling, paying out and confirming receipt of assistance."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from madad.accounts.models import User
from madad.assistance.models import Assistance, Limit
from madad.assistance.services import (
    assistance_approve,
    assistance_cancel,
    assistance_confirm_receipt,
    assistance_disburse,
    assistance_hand_over,
    assistance_request,
)
from madad.cases.models import Case
from madad.core.models import AuditEvent
from madad.core.refusals import Conflict, Invalid, NotAllowed
from tests.assistance.factories import make_assistance, make_case
from tests.core.conftest import raw_row

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("status", ["plan_agreed", "assisting"])
def test_assistance_is_requested_once_the_plan_is_agreed(caseworker: User, status: str) -> None:
    case = make_case(caseworker=caseworker, status=status)
    item = assistance_request(
        case=case, requested_by=caseworker, kind="school_fees", amount="12,500"
    )
    assert (item.status, item.amount, item.requested_by) == (
        "requested",
        Decimal("12500.00"),
        caseworker,
    )
    assert AuditEvent.objects.get(action="case.assistance.requested").object_id == str(item.pk)


@pytest.mark.parametrize("status", ["open", "assessed", "follow_up", "closed"])
def test_assistance_is_refused_before_the_plan_is_agreed_or_after(
    caseworker: User, status: str
) -> None:
    case = make_case(caseworker=caseworker, status=status)
    with pytest.raises(Invalid) as refused:
        assistance_request(case=case, requested_by=caseworker, kind="food", amount="100")
    assert "case" in refused.value.fields
    assert not Assistance.objects.exists()


@pytest.mark.parametrize(
    ("amount", "in_kind", "field"),
    [
        (None, "", "amount"),
        ("0", "", "amount"),
        ("-5", "", "amount"),
        ("10.005", "", "amount"),
        ("lots", "", "amount"),
        ("NaN", "", "amount"),
        ("Infinity", "", "amount"),
        ("10000000000", "", "amount"),
        (10.5, "", "amount"),  # a float: refused, floats cannot hold rupees exactly
        (None, "x" * 301, "in_kind"),
        (None, "bad\x00text", "in_kind"),
    ],
)
def test_bad_input_is_refused_by_field_and_nothing_is_written(
    caseworker: User, case: Case, amount: Any, in_kind: str, field: str
) -> None:
    with pytest.raises(Invalid) as refused:
        assistance_request(
            case=case, requested_by=caseworker, kind="cash_grant", amount=amount, in_kind=in_kind
        )
    assert field in refused.value.fields
    assert not Assistance.objects.exists()


def test_an_unknown_kind_is_refused(caseworker: User, case: Case) -> None:
    with pytest.raises(Invalid) as refused:
        assistance_request(case=case, requested_by=caseworker, kind="bribe", amount="1")
    assert "kind" in refused.value.fields


def test_help_in_kind_needs_no_amount(caseworker: User, case: Case) -> None:
    item = assistance_request(
        case=case, requested_by=caseworker, kind="food", in_kind="Ration pack for a family of five"
    )
    assert item.amount is None


def test_a_caseworker_cannot_request_on_another_caseworkers_case(
    other_caseworker: User, case: Case
) -> None:
    with pytest.raises(NotAllowed):
        assistance_request(case=case, requested_by=other_caseworker, kind="food", amount="1")


@pytest.mark.parametrize("role_fixture", ["finance", "administrator", "partner_user", "outsider"])
def test_roles_without_the_case_cannot_request(
    request: pytest.FixtureRequest, case: Case, role_fixture: str
) -> None:
    user = request.getfixturevalue(role_fixture)
    with pytest.raises(NotAllowed):
        assistance_request(case=case, requested_by=user, kind="food", amount="1")


def test_the_purpose_is_encrypted_at_rest(caseworker: User, case: Case) -> None:
    item = assistance_request(
        case=case,
        requested_by=caseworker,
        kind="medical_bills",
        amount="4000",
        purpose="Surgery on the left leg",
    )
    assert "Surgery" not in str(raw_row(Assistance, item.pk)["purpose"])


def _approved(case: Case, caseworker: User, coordinator: User) -> Assistance:
    item = make_assistance(case=case, requested_by=caseworker, amount="8000")
    return assistance_approve(assistance=item, approver=coordinator)


def test_finance_records_the_disbursement_with_an_encrypted_reference(
    caseworker: User, coordinator: User, finance: User, case: Case, limits: dict[str, Limit]
) -> None:
    item = _approved(case, caseworker, coordinator)
    assistance_disburse(
        assistance=item, disbursed_by=finance, method="mobile_wallet", reference="TXN-88213-KHI"
    )
    item.refresh_from_db()
    assert (item.status, item.disbursed_by, item.disbursement_method) == (
        "disbursed",
        finance,
        "mobile_wallet",
    )
    assert item.disbursement_reference == "TXN-88213-KHI"
    assert "88213" not in str(raw_row(Assistance, item.pk)["disbursement_reference"])
    event = AuditEvent.objects.get(action="case.assistance.disbursed")
    assert "disbursement_reference" in event.fields


def test_a_disbursement_needs_a_method_and_a_reference(
    caseworker: User, coordinator: User, finance: User, case: Case, limits: dict[str, Limit]
) -> None:
    item = _approved(case, caseworker, coordinator)
    with pytest.raises(Invalid) as refused:
        assistance_disburse(assistance=item, disbursed_by=finance, method="gold", reference=" ")
    assert set(refused.value.fields) == {"method", "reference"}
    assert Assistance.objects.get(pk=item.pk).status == "approved"


def test_only_finance_records_a_disbursement(
    caseworker: User,
    coordinator: User,
    second_coordinator: User,
    case: Case,
    limits: dict[str, Limit],
) -> None:
    item = _approved(case, caseworker, coordinator)
    for user in (caseworker, second_coordinator):
        with pytest.raises(NotAllowed):
            assistance_disburse(assistance=item, disbursed_by=user, method="cash", reference="V-1")


def test_help_in_kind_is_handed_over_but_money_goes_through_the_fund(
    caseworker: User, coordinator: User, finance: User, case: Case, limits: dict[str, Limit]
) -> None:
    money = _approved(case, caseworker, coordinator)
    with pytest.raises(NotAllowed, match="pay it from the fund"):
        assistance_hand_over(
            assistance=money, handed_over_by=finance, method="cash", reference="V-3"
        )
    rations = assistance_approve(
        assistance=make_assistance(
            case=case, requested_by=caseworker, amount=None, kind="food", in_kind="Rations"
        ),
        approver=coordinator,
    )
    assistance_hand_over(
        assistance=rations, handed_over_by=finance, method="goods_delivered", reference="DN-4"
    )
    assert (money.status, rations.status) == ("approved", "disbursed")


def test_a_requested_item_cannot_be_disbursed(caseworker: User, finance: User, case: Case) -> None:
    item = make_assistance(case=case, requested_by=caseworker)
    with pytest.raises(NotAllowed):
        # finance does not even see an item that is only requested
        assistance_disburse(assistance=item, disbursed_by=finance, method="cash", reference="V-1")


def test_the_caseworker_confirms_receipt_after_disbursement(
    caseworker: User, coordinator: User, finance: User, case: Case, limits: dict[str, Limit]
) -> None:
    item = _approved(case, caseworker, coordinator)
    with pytest.raises(Conflict):
        assistance_confirm_receipt(assistance=item, confirmed_by=caseworker)
    assistance_disburse(assistance=item, disbursed_by=finance, method="cash", reference="V-9")
    assistance_confirm_receipt(assistance=item, confirmed_by=caseworker)
    assert (item.status, item.receipt_confirmed_by) == ("receipt_confirmed", caseworker)
    with pytest.raises(NotAllowed):
        assistance_confirm_receipt(assistance=item, confirmed_by=finance)


def test_the_requester_cancels_their_request_with_a_reason(caseworker: User, case: Case) -> None:
    item = make_assistance(case=case, requested_by=caseworker)
    with pytest.raises(Invalid):
        assistance_cancel(assistance=item, cancelled_by=caseworker, reason="  ")
    assistance_cancel(
        assistance=item, cancelled_by=caseworker, reason="The family moved to Hyderabad"
    )
    assert (item.status, item.cancelled_by) == ("cancelled", caseworker)
    with pytest.raises(Conflict):
        assistance_approve(assistance=item, approver=caseworker)


def test_a_disbursed_item_cannot_be_cancelled(
    caseworker: User, coordinator: User, finance: User, case: Case, limits: dict[str, Limit]
) -> None:
    item = _approved(case, caseworker, coordinator)
    assistance_disburse(assistance=item, disbursed_by=finance, method="cash", reference="V-2")
    with pytest.raises(Conflict):
        assistance_cancel(assistance=item, cancelled_by=coordinator, reason="Changed mind")
