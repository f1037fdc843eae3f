"""Assertions about the books, shared by the invariant and reconciliation tests. Each reads the
database directly (exact sums), not through the code under test."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from madad.accounts.models import Organisation
from madad.assistance.models import Assistance
from madad.fund.models import Account, Disbursement, Donation, JournalLine

ZERO = Decimal(0)


def _lines(organisation: Organisation) -> list[JournalLine]:
    # summed in Python from exact per-row Decimals: independent of the ledger's own sums
    return list(
        JournalLine.objects.filter(entry__organisation=organisation).select_related(
            "account", "entry"
        )
    )


def assert_books_balance(organisation: Organisation) -> None:
    """Every entry balances in the fund currency for each earmark; so does the whole ledger;
    no account holds less than nothing of an earmark's money; fund-currency money is worth its
    amount; an emptied foreign account has no value left."""
    lines = _lines(organisation)
    by_entry: dict[tuple[int, int], Decimal] = defaultdict(lambda: ZERO)
    held: dict[tuple[int, int], list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    for line in lines:
        by_entry[(line.entry_id, line.earmark_id)] += line.base_amount
        if line.account.holds_money:
            held[(line.account_id, line.earmark_id)][0] += line.amount
            held[(line.account_id, line.earmark_id)][1] += line.base_amount
            if line.currency == "PKR":
                assert line.amount == line.base_amount
    assert {key: total for key, total in by_entry.items() if total} == {}
    assert sum((line.base_amount for line in lines), ZERO) == 0
    debits = sum((line.base_amount for line in lines if line.base_amount > 0), ZERO)
    credits = -sum((line.base_amount for line in lines if line.base_amount < 0), ZERO)
    assert debits == credits
    for (_account, _earmark), (amount, value) in held.items():
        assert amount >= 0
        if amount == 0:
            assert value == 0


def assert_books_reconcile(organisation: Organisation) -> None:
    """Ledger totals equal the sums of the donations and disbursements standing (not
    reversed), and the money held is what came in less what went out."""
    totals: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for line in _lines(organisation):
        totals[line.account.kind] += line.base_amount
    donations = Donation.objects.filter(organisation=organisation, entry__reversed_by__isnull=True)
    disbursements = Disbursement.objects.filter(organisation=organisation, reversed_at__isnull=True)
    assert -totals[Account.Kind.DONATIONS] == sum((d.base_amount for d in donations), ZERO)
    assert totals[Account.Kind.ASSISTANCE] == sum((d.amount for d in disbursements), ZERO)
    money = totals[Account.Kind.BANK] + totals[Account.Kind.CASH]
    assert money == (
        -totals[Account.Kind.DONATIONS]
        - totals[Account.Kind.ADMINISTRATION]
        - totals[Account.Kind.EXCHANGE]
        - totals[Account.Kind.ASSISTANCE]
    )
    # and what the families' side says: every standing payment is of a disbursed item, and
    # no item is disbursed by the fund without one
    paid = {d.assistance_id for d in disbursements}
    assert len(paid) == disbursements.count()
    for item in Assistance.objects.filter(case__organisation=organisation):
        assert (item.pk in paid) == (item.status == Assistance.Status.DISBURSED), item
