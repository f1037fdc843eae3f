"""The trial balance is an invariant: no sequence of donations, conversions, disbursements and
reversals, allowed or refused, ever unbalances the books or overdraws an earmark."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from madad.accounts.models import Organisation, User
from madad.fund import services
from madad.fund.errors import FundRefused
from madad.fund.ledger import money_balance
from madad.fund.models import JournalEntry, JournalLine
from madad.fund.selectors import trial_balance
from tests.fund.factories import approved_assistance, give
from tests.fund.ledger_checks import assert_books_balance, assert_books_reconcile

pytestmark = pytest.mark.django_db
STATS = {}
import atexit
atexit.register(lambda: print(STATS))

# amounts in cents, so that fractions of a rupee or a dollar come up
cents = st.integers(min_value=1, max_value=5_000_000).map(lambda c: Decimal(c).scaleb(-2))
rates = st.decimals(min_value=Decimal("150"), max_value=Decimal("400"), places=4)

donate = st.tuples(st.just("donate"), st.sampled_from(["usd", "pkr", "cash"]),
                   st.sampled_from(["general", "education"]), cents,
                   st.integers(min_value=0, max_value=99), rates)
# a share of what the source account holds (so that most conversions can happen), or, at
# zero, more than it holds
convert = st.tuples(st.just("convert"), st.sampled_from(["general", "education"]),
                    st.sampled_from([("usd", "pkr"), ("pkr", "usd"), ("usd", "cash")]),
                    st.integers(min_value=0, max_value=100), rates)
pay = st.tuples(st.just("pay"), st.integers(min_value=0, max_value=5),
                st.sampled_from(["general", "education"]), st.sampled_from(["pkr", "cash"]))
reverse = st.tuples(st.just("reverse"), st.integers(min_value=0, max_value=50))
operations = st.lists(st.one_of(donate, convert, pay, reverse), min_size=1, max_size=20)


def _apply(op: tuple[Any, ...], finance: User, books: SimpleNamespace,
           items: list[Any]) -> None:
    kind = op[0]
    if kind == "donate":
        _kind, account, earmark, amount, fee_percent, rate = op
        account = getattr(books, account)
        fee = (amount * fee_percent / 100).quantize(Decimal("0.01"))
        give(finance, account=account, earmark=getattr(books, earmark), amount=str(amount),
             fee=str(fee), rate=str(rate) if account.currency != "PKR" else None)
    elif kind == "convert":
        _kind, earmark, (source, target), percent, rate = op
        source, target, earmark = getattr(books, source), getattr(books, target), \
            getattr(books, earmark)
        if source.currency == "PKR":
            rate = (1 / rate).quantize(Decimal("0.0000000001"))
        held, _value = money_balance(source, earmark)
        amount = (held * percent / 100).quantize(Decimal("0.01")) if percent else held + 1
        services.conversion_record(recorded_by=finance, earmark=earmark,
                                   from_account=source, to_account=target, amount=str(amount),
                                   rate=str(rate), date="2025-02-01")
    elif kind == "pay":
        _kind, index, earmark, account = op
        services.disbursement_make(made_by=finance, assistance=items[index],
                                   earmark=getattr(books, earmark),
                                   account=getattr(books, account), method="bank_transfer",
                                   reference="TX-1")
    else:
        entries = list(JournalEntry.objects.exclude(kind=JournalEntry.Kind.REVERSAL)
                       .order_by("id"))
        if entries:
            services.entry_reverse(entry=entries[op[1] % len(entries)], reversed_by=finance,
                                   reason="Entered by mistake")


@settings(max_examples=40, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(sequence=operations)
def test_no_sequence_of_money_events_unbalances_the_books(
    sequence: list[tuple[Any, ...]], finance: User, books: SimpleNamespace,
    relief_org: Organisation
) -> None:
    with transaction.atomic():
        items = [approved_assistance(relief_org, amount=amount, kind=kind) for amount, kind in
                 (("1000", "cash_grant"), ("2500.50", "school_fees"), ("40000", "rent"),
                  ("750", "school_fees"), ("15000", "medical_bills"), ("99.99", "food"))]
        for op in sequence:
            lines_before = JournalLine.objects.count()
            try:
                _apply(op, finance, books, items)
                STATS[op[0] + ":ok"] = STATS.get(op[0] + ":ok", 0) + 1
            except (FundRefused, ValidationError) as exc:
                STATS[op[0] + ":" + getattr(exc, "code", "invalid")] = STATS.get(op[0] + ":" + getattr(exc, "code", "invalid"), 0) + 1
                # refused: nothing was written
                assert JournalLine.objects.count() == lines_before
            assert_books_balance(relief_org)
            rows = trial_balance(organisation=relief_org)
            assert sum(r["debit"] for r in rows) == sum(r["credit"] for r in rows)
        assert_books_reconcile(relief_org)
        transaction.set_rollback(True)
