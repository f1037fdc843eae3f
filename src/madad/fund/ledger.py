"""Posting to the ledger: the one place journal entries and lines are written.

`post()` guarantees, for every entry it writes:
- the lines sum to zero in the fund currency, for each earmark separately (so also in total);
- no bank or cash account ends with less than nothing of an earmark's money;
- a foreign-currency account emptied of an earmark's money keeps no value in the fund currency
  (what is left of its carrying value is booked as an exchange gain or loss);
- the entry and its lines are written together or not at all.

Callers lock the earmarks they read balances of (`lock_earmarks`) before reading, so that two
transactions never decide on the same money. On PostgreSQL that is SELECT ... FOR UPDATE on
the earmark rows, in id order; on SQLite every transaction is IMMEDIATE (settings), so writers
already queue one at a time.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import BigIntegerField, F, Sum
from django.db.models.functions import Cast, Round
from django.utils.translation import gettext as _

from madad.accounts.models import Organisation, User
from madad.core.refusals import Conflict
from madad.fund.currencies import format_amount, fund_currency
from madad.fund.models import Account, Earmark, JournalEntry, JournalLine

ZERO = Decimal(0)


def exact_sum(field: str, **extra: object) -> Sum:
    """The sum of a money column, exact on every database: SQLite keeps decimals as binary
    floating point and would add them as such (0.1 + 0.2 != 0.3), so the sum is taken in whole
    thousandths (every money column has three places). Read the result with `thousandths`."""
    return Sum(Cast(Round(F(field) * 1000), BigIntegerField()), **extra)  # type: ignore[arg-type]


def thousandths(value: int | None) -> Decimal:
    """An `exact_sum` as a Decimal amount."""
    return Decimal(value or 0).scaleb(-3)


@dataclass(frozen=True)
class Line:
    account: Account
    earmark: Earmark
    currency: str
    amount: Decimal  # debit positive, credit negative
    base_amount: Decimal


def lock_earmarks(earmark_ids: Iterable[int]) -> None:
    """Serialise every transaction that spends or moves the money of these earmarks."""
    ids = sorted(set(earmark_ids))
    if not ids:
        return
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Earmarks are locked inside a transaction.")
    if connection.vendor != "sqlite":
        list(
            Earmark.objects.select_for_update()
            .filter(pk__in=ids)
            .order_by("pk")
            .values_list("pk", flat=True)
        )


def money_balance(account: Account, earmark: Earmark) -> tuple[Decimal, Decimal]:
    """What the account holds of the earmark's money: (amount in its currency, carrying value
    in the fund currency)."""
    totals = JournalLine.objects.filter(account=account, earmark=earmark).aggregate(
        amount=exact_sum("amount"), base=exact_sum("base_amount")
    )
    return thousandths(totals["amount"]), thousandths(totals["base"])


def system_account(
    organisation: Organisation,
    kind: str,
    *,
    earmark: Earmark | None = None,
    assistance_kind: str = "",
) -> Account:
    """The income or expense account of this kind (created on first use)."""
    if kind == Account.Kind.DONATIONS:
        if earmark is None:
            raise ValueError("A donations account is an earmark's.")
        name = f"system:donations:{earmark.code}"
    elif kind == Account.Kind.ASSISTANCE:
        name = f"system:assistance:{assistance_kind}"
    else:
        name = f"system:{kind}"
    account, _created = Account.objects.get_or_create(
        organisation=organisation,
        name=name,
        defaults={"kind": kind, "earmark": earmark, "assistance_kind": assistance_kind},
    )
    return account


def _refuse_negative(account: Account, earmark: Earmark, amount: Decimal) -> Conflict:
    return Conflict(
        code="insufficient_funds",
        message=_(
            "%(account)s does not hold enough of the %(earmark)s money for this: it would be left "
            "with %(amount)s %(currency)s. Nothing was recorded."
        )
        % {
            "account": account.label,
            "earmark": earmark.name,
            "amount": format_amount(amount, account.currency),
            "currency": account.currency,
        },
    )


def _with_clearing_lines(organisation: Organisation, lines: list[Line]) -> list[Line]:
    """Refuses lines that would overdraw a money account, and clears the carrying value left
    in a foreign-currency account the lines empty."""
    moves: dict[tuple[int, int], list[Line]] = defaultdict(list)
    for line in lines:
        if line.account.holds_money:
            moves[(line.account.pk, line.earmark.pk)].append(line)
    extra: list[Line] = []
    for group in moves.values():
        account, earmark = group[0].account, group[0].earmark
        amount, base = money_balance(account, earmark)
        amount += sum((line.amount for line in group), ZERO)
        base += sum((line.base_amount for line in group), ZERO)
        if amount < 0:
            raise _refuse_negative(account, earmark, amount)
        if amount == 0 and base != 0:
            exchange = system_account(organisation, Account.Kind.EXCHANGE)
            extra += [
                Line(account, earmark, account.currency, ZERO, -base),
                Line(exchange, earmark, fund_currency(), base, base),
            ]
    return lines + extra


def _check(organisation: Organisation, lines: list[Line]) -> None:
    if len(lines) < 2:
        raise ValueError("An entry has at least two lines.")
    by_earmark: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for line in lines:
        account = line.account
        if (
            account.organisation_id != organisation.pk
            or line.earmark.organisation_id != organisation.pk
        ):
            raise ValueError("Every line of an entry belongs to the entry's organisation.")
        if account.holds_money and line.currency != account.currency:
            raise ValueError(f"{account.name} holds {account.currency}, not {line.currency}.")
        if (
            account.holds_money
            and line.currency == fund_currency()
            and line.amount != line.base_amount
        ):
            raise ValueError("Fund-currency money is worth its own amount.")
        if account.kind == Account.Kind.DONATIONS and account.earmark_id != line.earmark.pk:
            raise ValueError("A donations account takes only its own earmark's lines.")
        if line.amount == 0 and line.base_amount == 0:
            raise ValueError("A line moves something.")
        if (line.amount > 0 and line.base_amount < 0) or (line.amount < 0 and line.base_amount > 0):
            raise ValueError("A line's value has the sign of its amount.")
        by_earmark[line.earmark.pk] += line.base_amount
    unbalanced = {pk: total for pk, total in by_earmark.items() if total != 0}
    if unbalanced:
        raise ValueError(f"Unbalanced entry (fund-currency totals by earmark): {unbalanced}")


def post(
    *,
    organisation: Organisation,
    kind: str,
    date: dt.date,
    posted_by: User,
    lines: list[Line],
    memo: str = "",
    reverses: JournalEntry | None = None,
    reason: str = "",
) -> JournalEntry:
    """Writes one balanced entry, or raises (Conflict "insufficient_funds" for money that is
    not there, ValueError for a programming error) and writes nothing."""
    with transaction.atomic():
        lock_earmarks(line.earmark.pk for line in lines)
        lines = _with_clearing_lines(organisation, lines)
        _check(organisation, lines)
        entry = JournalEntry.objects.create(
            organisation=organisation,
            kind=kind,
            date=date,
            memo=memo[:200],
            posted_by=posted_by,
            reverses=reverses,
            reason=reason,
        )
        JournalLine.objects.bulk_create(
            JournalLine(
                entry=entry,
                account=line.account,
                earmark=line.earmark,
                currency=line.currency,
                amount=line.amount,
                base_amount=line.base_amount,
            )
            for line in lines
        )
    return entry
