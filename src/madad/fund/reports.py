"""The fund's reports for finance officers and auditors, as tables: shown on a page and
exported as CSV. Each report is a function of the organisation and an optional period."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from madad.accounts.models import Organisation
from madad.assistance.models import Kind as AssistanceKind
from madad.fund.currencies import fund_currency, quantize
from madad.fund.ledger import exact_sum, thousandths
from madad.fund.models import Account, Channel, Donation, JournalLine
from madad.fund.selectors import balances, trial_balance

ZERO = Decimal(0)


@dataclass
class Table:
    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    totals: list[Any] | None = None
    # columns holding names people typed (accounts, earmarks), shown as they are
    user_data: frozenset[int] = frozenset()


def _fund(total: int | None) -> Decimal:
    return quantize(thousandths(total), fund_currency())


def _period(
    lines: Any, date_from: dt.date | None, date_to: dt.date | None, prefix: str = "entry__date"
) -> Any:
    if date_from:
        lines = lines.filter(**{f"{prefix}__gte": date_from})
    if date_to:
        lines = lines.filter(**{f"{prefix}__lte": date_to})
    return lines


def balances_table(
    organisation: Organisation, date_from: dt.date | None = None, date_to: dt.date | None = None
) -> Table:
    """Balances now, by account, currency and earmark (the period does not apply)."""
    table = Table(
        [
            _("Account"),
            _("Currency"),
            _("Earmark"),
            _("Amount"),
            _("Carrying value (%(currency)s)") % {"currency": fund_currency()},
        ],
        user_data=frozenset({0, 2}),
    )
    total_value = ZERO
    for balance in balances(organisation=organisation):
        table.rows.append(
            [
                balance.account.label,
                balance.account.currency,
                balance.earmark.label,
                balance.amount,
                balance.value,
            ]
        )
        total_value += balance.value
    table.totals = [_("Total"), "", "", "", total_value]
    return table


def by_currency_and_earmark(organisation: Organisation) -> dict[str, dict[str, Decimal]]:
    """currency → earmark label → amount held (for the overview page)."""
    result: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    for balance in balances(organisation=organisation):
        result[balance.account.currency][balance.earmark.label] += balance.amount
    return {currency: dict(by_earmark) for currency, by_earmark in sorted(result.items())}


def income_expenditure_table(
    organisation: Organisation, date_from: dt.date | None = None, date_to: dt.date | None = None
) -> Table:
    """Income and expenditure in the fund currency, month by month."""
    lines = _period(
        JournalLine.objects.filter(entry__organisation=organisation).exclude(
            account__kind__in=Account.MONEY_KINDS
        ),
        date_from,
        date_to,
    )
    rows = (
        lines.annotate(month=TruncMonth("entry__date"))
        .values("month", "account__kind")
        .annotate(total=exact_sum("base_amount"))
        .order_by("month")
    )
    months: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    for row in rows:
        month = row["month"].strftime("%Y-%m")
        months[month][row["account__kind"]] += _fund(row["total"])
    table = Table(
        [
            _("Month"),
            _("Donations"),
            _("Exchange gains and losses"),
            _("Assistance"),
            _("Administration (fees)"),
            _("Surplus"),
        ]
    )
    sums = [ZERO] * 5
    for month in sorted(months):
        values = months[month]
        donations = -values[Account.Kind.DONATIONS]
        exchange = -values[Account.Kind.EXCHANGE]
        assistance = values[Account.Kind.ASSISTANCE]
        admin = values[Account.Kind.ADMINISTRATION]
        row = [donations, exchange, assistance, admin, donations + exchange - assistance - admin]
        sums = [a + b for a, b in zip(sums, row, strict=True)]
        table.rows.append([month, *row])
    table.totals = [_("Total"), *sums]
    return table


def assistance_by_kind_table(
    organisation: Organisation, date_from: dt.date | None = None, date_to: dt.date | None = None
) -> Table:
    """Assistance paid, by kind: payments (less reversed ones) and the amount."""
    lines = _period(
        JournalLine.objects.filter(
            entry__organisation=organisation, account__kind=Account.Kind.ASSISTANCE
        ),
        date_from,
        date_to,
    )
    rows = (
        lines.values("account__assistance_kind")
        .annotate(
            total=exact_sum("base_amount"),
            paid=Count("id", filter=Q(base_amount__gt=0)),
            reversed=Count("id", filter=Q(base_amount__lt=0)),
        )
        .order_by("account__assistance_kind")
    )
    labels = dict(AssistanceKind.choices)
    table = Table(
        [_("Kind"), _("Payments"), _("Amount (%(currency)s)") % {"currency": fund_currency()}]
    )
    count, amount = 0, ZERO
    for row in rows:
        kind = row["account__assistance_kind"]
        table.rows.append(
            [str(labels.get(kind, kind)), row["paid"] - row["reversed"], _fund(row["total"])]
        )
        count += row["paid"] - row["reversed"]
        amount += _fund(row["total"])
    table.totals = [_("Total"), count, amount]
    return table


def donations_by_channel_table(
    organisation: Organisation, date_from: dt.date | None = None, date_to: dt.date | None = None
) -> Table:
    """Donations (not reversed) by channel and currency: how many, how much, fees, and their
    value in the fund currency."""
    donations = _period(
        Donation.objects.filter(organisation=organisation, entry__reversed_by__isnull=True),
        date_from,
        date_to,
        prefix="received_on",
    )
    rows = (
        donations.values("channel", "currency")
        .annotate(
            count=Count("id"),
            amount=exact_sum("amount"),
            fee=exact_sum("fee"),
            value=exact_sum("base_amount"),
        )
        .order_by("channel", "currency")
    )
    labels = dict(Channel.choices)
    table = Table(
        [
            _("Channel"),
            _("Currency"),
            _("Donations"),
            _("Amount"),
            _("Fees"),
            _("Value (%(currency)s)") % {"currency": fund_currency()},
        ]
    )
    count, value = 0, ZERO
    for row in rows:
        currency = row["currency"]
        table.rows.append(
            [
                str(labels.get(row["channel"], row["channel"])),
                currency,
                row["count"],
                quantize(thousandths(row["amount"]), currency),
                quantize(thousandths(row["fee"]), currency),
                _fund(row["value"]),
            ]
        )
        count += row["count"]
        value += _fund(row["value"])
    table.totals = [_("Total"), "", count, "", "", value]
    return table


def trial_balance_table(
    organisation: Organisation, date_from: dt.date | None = None, date_to: dt.date | None = None
) -> Table:
    """Debits and credits of every account in the fund currency, all time."""
    table = Table([_("Account"), _("Debits"), _("Credits"), _("Balance")], user_data=frozenset({0}))
    debits = credits = ZERO
    for row in trial_balance(organisation=organisation):
        table.rows.append(
            [row["account"].label, row["debit"], row["credit"], row["debit"] - row["credit"]]
        )
        debits += row["debit"]
        credits += row["credit"]
    table.totals = [_("Total"), debits, credits, debits - credits]
    return table


@dataclass(frozen=True)
class Report:
    title: Any
    build: Callable[..., Table]
    uses_period: bool = True


REPORTS: dict[str, Report] = {
    "balances": Report(
        gettext_lazy("Balances by account, currency and earmark"), balances_table, uses_period=False
    ),
    "income-expenditure": Report(
        gettext_lazy("Income and expenditure by month"), income_expenditure_table
    ),
    "assistance-by-kind": Report(gettext_lazy("Assistance by kind"), assistance_by_kind_table),
    "donations-by-channel": Report(
        gettext_lazy("Donations by channel"), donations_by_channel_table
    ),
    "trial-balance": Report(gettext_lazy("Trial balance"), trial_balance_table, uses_period=False),
}
