"""Disbursements pay only approved assistance, from an earmark with enough unspent money."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from madad.accounts.models import Organisation, User
from madad.assistance.models import Assistance
from madad.core.models import AuditEvent
from madad.core.refusals import Invalid, Refused
from madad.fund import services
from madad.fund.models import Disbursement, JournalLine
from madad.fund.selectors import unspent
from tests.fund.factories import Books, approved_assistance, give

pytestmark = pytest.mark.django_db
S = Assistance.Status


def _pay(finance: User, item: Assistance, books: Books, **changes: Any) -> Disbursement:
    """disbursement_make with a valid payment's arguments, some replaced by `changes`."""
    data: dict[str, Any] = {
        "made_by": finance,
        "assistance": item,
        "earmark": books.general,
        "account": books.pkr,
        "method": "bank_transfer",
        "reference": "TX-4411",
        **changes,
    }
    return services.disbursement_make(**data)


@pytest.fixture
def funded(finance: User, books: Books) -> Books:
    give(finance, account=books.pkr, earmark=books.general, amount="10000")
    give(finance, account=books.pkr, earmark=books.education, amount="3000")
    return books


def test_paying_approved_assistance_posts_the_expense_and_marks_it_disbursed(
    finance: User, funded: Books, relief_org: Organisation
) -> None:
    item = approved_assistance(relief_org, amount="2500.50", kind="rent")
    disbursement = _pay(finance, item, funded)
    item.refresh_from_db()
    assert item.status == S.DISBURSED and item.disbursed_by == finance
    assert item.disbursement_method == "bank_transfer"
    assert item.disbursement_reference == "TX-4411"
    assert {
        (line.account.name, line.amount)
        for line in JournalLine.objects.filter(entry=disbursement.entry).select_related("account")
    } == {("system:assistance:rent", Decimal("2500.50")), ("Bank PKR", Decimal("-2500.50"))}
    assert unspent(earmark=funded.general) == Decimal("7499.50")
    assert AuditEvent.objects.filter(action="fund.disbursement.made").exists()
    assert AuditEvent.objects.filter(action="case.assistance.disbursed").exists()


@pytest.mark.parametrize("status", [S.REQUESTED, S.CANCELLED])
def test_assistance_that_is_not_approved_is_refused_with_the_reason_and_nothing_is_written(
    finance: User, funded: Books, relief_org: Organisation, status: str
) -> None:
    item = approved_assistance(relief_org, amount="1000", status=S.REQUESTED)
    if status == S.CANCELLED:
        Assistance.objects.filter(pk=item.pk).update(
            status=S.CANCELLED, cancelled_at=item.requested_at
        )
    lines = JournalLine.objects.count()
    with pytest.raises(Refused) as refused:
        _pay(finance, item, funded)
    assert refused.value.code == "not_approved"
    assert "Only approved assistance is paid" in refused.value.message
    assert JournalLine.objects.count() == lines and not Disbursement.objects.exists()
    item.refresh_from_db()
    assert item.status == status


def test_an_amount_beyond_the_earmarks_unspent_money_is_refused_saying_how_much_there_is(
    finance: User, funded: Books, relief_org: Organisation
) -> None:
    item = approved_assistance(relief_org, amount="3000.01", kind="school_fees")
    with pytest.raises(Refused) as refused:
        _pay(finance, item, funded, earmark=funded.education)
    assert refused.value.code == "insufficient_funds"
    assert "3,000.00" in refused.value.message and "3,000.01" in refused.value.message
    item.refresh_from_db()
    assert item.status == S.APPROVED
    assert unspent(earmark=funded.education) == Decimal("3000.00")
    # exactly what is there can be paid
    exact = approved_assistance(relief_org, amount="3000", kind="school_fees")
    _pay(finance, exact, funded, earmark=funded.education)
    assert unspent(earmark=funded.education) == 0


def test_money_in_another_account_of_the_same_earmark_is_not_spent_from_this_one(
    finance: User, funded: Books, relief_org: Organisation
) -> None:
    item = approved_assistance(relief_org, amount="100")
    with pytest.raises(Refused) as refused:
        _pay(finance, item, funded, account=funded.cash)
    assert refused.value.code == "insufficient_funds"


def test_a_programme_pays_only_its_own_kinds_of_assistance(
    finance: User, funded: Books, relief_org: Organisation
) -> None:
    item = approved_assistance(relief_org, amount="100", kind="rent")
    with pytest.raises(Refused) as refused:
        _pay(finance, item, funded, earmark=funded.education)
    assert refused.value.code == "wrong_earmark"
    assert not Disbursement.objects.exists()


def test_help_in_kind_without_an_amount_is_not_paid_from_the_fund(
    finance: User, funded: Books, relief_org: Organisation
) -> None:
    item = approved_assistance(relief_org, amount=None, in_kind="Two months of rations")
    with pytest.raises(Refused) as refused:
        _pay(finance, item, funded)
    assert refused.value.code == "no_amount"


def test_an_item_is_paid_once(finance: User, funded: Books, relief_org: Organisation) -> None:
    item = approved_assistance(relief_org, amount="1000")
    _pay(finance, item, funded)
    with pytest.raises(Refused) as refused:
        _pay(finance, item, funded)
    assert refused.value.code == "already_paid"
    assert Disbursement.objects.count() == 1
    assert unspent(earmark=funded.general) == Decimal("9000")


def test_whoever_approved_the_assistance_does_not_also_pay_it(
    funded: Books, relief_org: Organisation, make_user: Callable[..., User], finance: User
) -> None:
    item = approved_assistance(relief_org, amount="1000")
    Assistance.objects.filter(pk=item.pk).update(approved_by=finance)
    item.refresh_from_db()
    with pytest.raises(Refused) as refused:
        _pay(finance, item, funded)
    assert refused.value.code == "forbidden"
    assert not Disbursement.objects.exists() and unspent(earmark=funded.general) == 10000


def test_another_organisations_assistance_is_not_paid(
    finance: User, funded: Books, other_relief_org: Organisation
) -> None:
    item = approved_assistance(other_relief_org, amount="1000")
    with pytest.raises(Invalid) as refused:
        _pay(finance, item, funded)
    assert "assistance" in refused.value.fields
    assert not Disbursement.objects.exists()


def test_reversing_a_payment_puts_the_money_back_and_the_item_back_to_be_paid(
    finance: User, funded: Books, relief_org: Organisation
) -> None:
    item = approved_assistance(relief_org, amount="4000")
    disbursement = _pay(finance, item, funded)
    services.entry_reverse(
        entry=disbursement.entry, reversed_by=finance, reason="The transfer bounced"
    )
    item.refresh_from_db()
    disbursement.refresh_from_db()
    assert item.status == S.APPROVED and item.disbursed_at is None
    assert item.disbursement_reference == ""
    assert disbursement.reversed_at is not None
    assert unspent(earmark=funded.general) == Decimal("10000")
    # and it can be paid again
    _pay(finance, item, funded, account=funded.pkr)
    assert unspent(earmark=funded.general) == Decimal("6000")


def test_a_payment_the_family_confirmed_receiving_is_not_reversed(
    finance: User, funded: Books, relief_org: Organisation
) -> None:
    item = approved_assistance(relief_org, amount="4000")
    disbursement = _pay(finance, item, funded)
    Assistance.objects.filter(pk=item.pk).update(
        status=S.RECEIPT_CONFIRMED, receipt_confirmed_at=item.approved_at
    )
    with pytest.raises(Refused) as refused:
        services.entry_reverse(entry=disbursement.entry, reversed_by=finance, reason="Oops")
    assert refused.value.code == "receipt_confirmed"
    assert unspent(earmark=funded.general) == Decimal("6000")
