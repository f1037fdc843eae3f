"""The trial balance is an invariant: no sequence of donations, conversions, disbursements and
reversals, allowed or refused, ever unbalances the books or overdraws an earmark."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from madad.accounts.models import Organisation, User
from madad.core.refusals import Refused
from madad.fund import services
from madad.fund.models import JournalEntry, JournalLine
from madad.fund.selectors import balances, trial_balance
from tests.fund.factories import Books, approved_assistance, give
from tests.fund.ledger_checks import assert_books_balance, assert_books_reconcile

pytestmark = pytest.mark.django_db

# round amounts, and any amount in cents (so that fractions of a rupee or a dollar come up)
cents = st.one_of(
    st.sampled_from(["500", "2000", "10000", "60000"]).map(Decimal),
    st.integers(min_value=1, max_value=5_000_000).map(lambda c: Decimal(c).scaleb(-2)),
)
rates = st.decimals(min_value=Decimal("150"), max_value=Decimal("400"), places=4)

donate = st.tuples(
    st.just("donate"),
    st.sampled_from(["usd", "pkr", "cash"]),
    st.sampled_from(["general", "education"]),
    cents,
    st.integers(min_value=0, max_value=99),
    rates,
)
# money an account holds (chosen among those holding some, by index), converted in part or in
# whole, or, at 0 %, more than it holds
convert = st.tuples(
    st.just("convert"),
    st.integers(min_value=0, max_value=50),
    st.integers(min_value=0, max_value=3),
    st.integers(min_value=0, max_value=100),
    rates,
)
# an item paid from an earmark and account chosen blindly (mostly refused) ...
pay = st.tuples(
    st.just("pay"),
    st.integers(min_value=0, max_value=5),
    st.sampled_from(["general", "education"]),
    st.sampled_from(["pkr", "cash"]),
)
# ... or from rupees some account holds
pay_funded = st.tuples(
    st.just("pay_funded"),
    st.integers(min_value=0, max_value=5),
    st.integers(min_value=0, max_value=50),
)
reverse = st.tuples(st.just("reverse"), st.integers(min_value=0, max_value=50))
operations = st.lists(
    st.one_of(donate, convert, pay_funded, donate, convert, pay_funded, pay, reverse),
    min_size=1,
    max_size=20,
)


def _apply(op: tuple[Any, ...], finance: User, books: Books, items: list[Any]) -> None:
    kind = op[0]
    if kind == "donate":
        _kind, account, earmark, amount, fee_percent, rate = op
        account = getattr(books, account)
        fee = (amount * fee_percent / 100).quantize(Decimal("0.01"))
        give(
            finance,
            account=account,
            earmark=getattr(books, earmark),
            amount=str(amount),
            fee=str(fee),
            rate=str(rate) if account.currency != "PKR" else None,
        )
    elif kind == "convert":
        _kind, which, target, percent, rate = op
        held = [b for b in balances(organisation=books.pkr.organisation) if b.amount > 0]
        if not held:
            return
        source = held[which % len(held)]
        targets = [
            a for a in (books.usd, books.pkr, books.cash) if a.currency != source.account.currency
        ]
        amount = (
            (source.amount * percent / 100).quantize(Decimal("0.01"))
            if percent
            else source.amount + 1
        )
        if source.account.currency == "PKR":
            rate = (1 / rate).quantize(Decimal("0.0000000001"))
        services.conversion_record(
            recorded_by=finance,
            earmark=source.earmark,
            from_account=source.account,
            to_account=targets[target % len(targets)],
            amount=str(amount),
            rate=str(rate),
            date="2025-02-01",
        )
    elif kind == "pay":
        _kind, index, earmark, account = op
        services.disbursement_make(
            made_by=finance,
            assistance=items[index],
            earmark=getattr(books, earmark),
            account=getattr(books, account),
            method="bank_transfer",
            reference="TX-1",
        )
    elif kind == "pay_funded":
        _kind, index, which = op
        held = [
            b
            for b in balances(organisation=books.pkr.organisation)
            if b.amount > 0 and b.account.currency == "PKR"
        ]
        if held:
            source = held[which % len(held)]
            services.disbursement_make(
                made_by=finance,
                assistance=items[index],
                earmark=source.earmark,
                account=source.account,
                method="cash",
                reference="V-2",
            )
    else:
        entries = list(JournalEntry.objects.exclude(kind=JournalEntry.Kind.REVERSAL).order_by("id"))
        if entries:
            services.entry_reverse(
                entry=entries[op[1] % len(entries)],
                reversed_by=finance,
                reason="Entered by mistake",
            )


@settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(sequence=operations)
def test_no_sequence_of_money_events_unbalances_the_books(
    sequence: list[tuple[Any, ...]], finance: User, books: Books, relief_org: Organisation
) -> None:
    with transaction.atomic():
        items = [
            approved_assistance(relief_org, amount=amount, kind=kind)
            for amount, kind in (
                ("1000", "cash_grant"),
                ("2500.50", "school_fees"),
                ("4000", "rent"),
                ("750", "school_fees"),
                ("15000", "medical_bills"),
                ("99.99", "food"),
            )
        ]
        for op in sequence:
            lines_before = JournalLine.objects.count()
            try:
                _apply(op, finance, books, items)
            except Refused:
                # refused: nothing was written
                assert JournalLine.objects.count() == lines_before
            assert_books_balance(relief_org)
            rows = trial_balance(organisation=relief_org)
            assert sum(r["debit"] for r in rows) == sum(r["credit"] for r in rows)
        assert_books_reconcile(relief_org)
        transaction.set_rollback(True)
