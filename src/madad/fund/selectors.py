"""Reads of the relief fund: lists filtered by the user's access, balances, and the public
account (`public_account`, read by the public portal)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from madad import access
from madad.access.roles import Capability
from madad.accounts.models import Organisation, User
from madad.assistance.models import Assistance
from madad.assistance.models import Kind as AssistanceKind
from madad.fund.currencies import fund_currency, quantize
from madad.fund.ledger import exact_sum, thousandths
from madad.fund.models import (
    Account,
    Conversion,
    Disbursement,
    Donation,
    Donor,
    Earmark,
    ExchangeRate,
    JournalEntry,
    JournalLine,
)

ZERO = Decimal(0)


# --- lists ----------------------------------------------------------------------------------
def donation_list(*, user: User, filters: dict[str, Any] | None = None) -> QuerySet[Donation]:
    filters = filters or {}
    items = (
        access.visible_to(user, Donation)
        .select_related("earmark", "account", "donor", "entry")
        .annotate(reversed=Count("entry__reversed_by"))
    )
    for name, lookup in (
        ("earmark", "earmark"),
        ("channel", "channel"),
        ("currency", "currency"),
        ("date_from", "received_on__gte"),
        ("date_to", "received_on__lte"),
    ):
        if filters.get(name):
            items = items.filter(**{lookup: filters[name]})
    return items.order_by("-received_on", "-id")


def donor_list(*, user: User) -> QuerySet[Donor]:
    return (
        access.visible_to(user, Donor)
        .annotate(donations_count=Count("donations"))
        .order_by("-created_at", "-id")
    )


def earmark_list(*, user: User) -> QuerySet[Earmark]:
    return access.visible_to(user, Earmark).order_by("-is_general", "name", "id")


def money_account_list(*, user: User) -> QuerySet[Account]:
    return (
        access.visible_to(user, Account)
        .filter(kind__in=Account.MONEY_KINDS)
        .order_by("currency", "name", "id")
    )


def rate_list(*, user: User) -> QuerySet[ExchangeRate]:
    return access.visible_to(user, ExchangeRate).order_by("-date", "currency")


def conversion_list(*, user: User) -> QuerySet[Conversion]:
    return (
        access.visible_to(user, Conversion)
        .select_related("earmark", "from_account", "to_account", "entry")
        .order_by("-date", "-id")
    )


def disbursement_list(*, user: User) -> QuerySet[Disbursement]:
    return (
        access.visible_to(user, Disbursement)
        .select_related("assistance", "account", "earmark", "entry")
        .order_by("-paid_on", "-id")
    )


def entry_list(*, user: User, filters: dict[str, Any] | None = None) -> QuerySet[JournalEntry]:
    filters = filters or {}
    items = (
        access.visible_to(user, JournalEntry)
        .select_related("posted_by", "reverses")
        .annotate(reversed=Count("reversed_by"))
    )
    if filters.get("kind"):
        items = items.filter(kind=filters["kind"])
    if filters.get("date_from"):
        items = items.filter(date__gte=filters["date_from"])
    if filters.get("date_to"):
        items = items.filter(date__lte=filters["date_to"])
    return items.order_by("-date", "-id")


def entry_lines(entry: JournalEntry) -> QuerySet[JournalLine]:
    return entry.lines.select_related("account", "account__earmark", "earmark").order_by("id")


def assistance_to_pay(*, user: User) -> QuerySet[Assistance]:
    """Approved items with an amount, waiting for the fund to pay them, oldest approval first
    (only the fields finance needs: kind, amount, case number; never the family)."""
    if not access.can(user, Capability.FUND_EDIT):
        return Assistance.objects.none()
    return (
        access.visible_to(user, Assistance)
        .filter(
            status=Assistance.Status.APPROVED,
            amount__isnull=False,
            case__organisation_id=user.organisation_id,
        )
        .only("id", "kind", "amount", "approved_at", "case_id", "version")
        .order_by("approved_at", "id")
    )


# --- balances -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Balance:
    account: Account
    earmark: Earmark
    amount: Decimal  # in the account's currency
    value: Decimal  # carrying value in the fund currency


def balances(*, organisation: Organisation) -> list[Balance]:
    """What each bank and cash account holds of each earmark's money (non-zero only)."""
    rows = (
        JournalLine.objects.filter(
            entry__organisation=organisation, account__kind__in=Account.MONEY_KINDS
        )
        .values("account", "earmark")
        .annotate(amount=exact_sum("amount"), value=exact_sum("base_amount"))
        .order_by()
    )
    accounts = Account.objects.in_bulk({r["account"] for r in rows})
    earmarks = Earmark.objects.in_bulk({r["earmark"] for r in rows})
    result = [
        Balance(
            accounts[r["account"]],
            earmarks[r["earmark"]],
            quantize(thousandths(r["amount"]), accounts[r["account"]].currency),
            quantize(thousandths(r["value"]), fund_currency()),
        )
        for r in rows
        if r["amount"] or r["value"]
    ]
    return sorted(
        result,
        key=lambda b: (
            b.account.currency,
            b.account.name,
            not b.earmark.is_general,
            b.earmark.name,
        ),
    )


def unspent(*, earmark: Earmark, currency: str | None = None) -> Decimal:
    """The earmark's money in bank and cash accounts of one currency (the fund currency by
    default): what it can still pay out."""
    currency = currency or fund_currency()
    total = JournalLine.objects.filter(
        earmark=earmark, account__kind__in=Account.MONEY_KINDS, currency=currency
    ).aggregate(total=exact_sum("amount"))["total"]
    return quantize(thousandths(total), currency)


def trial_balance(*, organisation: Organisation) -> list[dict[str, Any]]:
    """Every account's debits and credits in the fund currency. Their totals are equal: the
    ledger's invariant."""
    rows = (
        JournalLine.objects.filter(entry__organisation=organisation)
        .values("account")
        .annotate(
            debit=exact_sum("base_amount", filter=Q(base_amount__gt=0)),
            credit=exact_sum("base_amount", filter=Q(base_amount__lt=0)),
        )
        .order_by()
    )
    accounts = Account.objects.select_related("earmark").in_bulk({r["account"] for r in rows})
    currency = fund_currency()
    result = [
        {
            "account": accounts[r["account"]],
            "debit": quantize(thousandths(r["debit"]), currency),
            "credit": quantize(-thousandths(r["credit"]), currency),
        }
        for r in rows
    ]
    return sorted(result, key=lambda r: (r["account"].kind, r["account"].name))


# --- the public account ---------------------------------------------------------------------
def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _published_before(delay_days: int) -> dt.date:
    """The first day after the last month that may be published: a month is published once
    its last day is at least `delay_days` old."""
    until = timezone.localdate() - dt.timedelta(days=delay_days)
    return _month_start(until + dt.timedelta(days=1))


def _assistance_cells(
    cells: dict[str, list[Any]], carried: list[Any], min_payments: int
) -> tuple[list[tuple[str, str, Decimal]], list[Any]]:
    """Assistance totals by kind, merged until each published total combines at least
    `min_payments` payments. What cannot be published yet is carried to the next month."""
    groups = [[key, amount, count] for key, (amount, count) in cells.items()]
    if carried[1] or carried[0]:
        groups.append(["combined", carried[0], carried[1]])
    groups.sort(key=lambda g: (g[2], g[0]))
    while len(groups) > 1 and groups[0][2] < min_payments:
        first, second = groups.pop(0), groups.pop(0)
        groups.append(["combined", first[1] + second[1], first[2] + second[2]])
        groups.sort(key=lambda g: (g[2], g[0]))
    if len(groups) == 1 and groups[0][2] < min_payments:
        return [], [groups[0][1], groups[0][2]]
    labels = dict(AssistanceKind.choices)
    published = []
    for key, amount, _count in sorted(groups, key=lambda g: g[0]):
        label = (
            _("Other assistance (kinds combined)")
            if key == "combined"
            else str(labels.get(key, key))
        )
        published.append((f"assistance:{key}", label, amount))
    return published, [ZERO, 0]


def public_account(
    *,
    delay_days: int | None = None,
    organisation: Organisation | None = None,
    min_payments: int | None = None,
) -> dict[str, Any]:
    """The fund's account for the public: monthly totals in and out (in the fund currency) by
    category, for months that ended at least `delay_days` ago (MADAD_FUND_PUBLIC_DELAY_DAYS,
    60 by default), and the names of donors who asked to be named.

    It never contains an individual payment or anything about a family: assistance is a total
    per kind and month, and a total is shown only if it combines at least `min_payments`
    payments (MADAD_FUND_PUBLIC_MIN_PAYMENTS); smaller ones are combined, and a month whose
    payments are still too few is carried into the next month's figures. Donors who did not
    opt in are never named. Without `organisation`, the figures of every relief organisation
    are added up.

    Returns {"currency", "published_until", "months": [{"month": "YYYY-MM", "in": [...],
    "out": [...], "total_in", "total_out"}], "donors": [names]}; each in/out item is
    {"category", "label", "amount"} with a Decimal amount.
    """
    delay = settings.MADAD_FUND_PUBLIC_DELAY_DAYS if delay_days is None else delay_days
    threshold = settings.MADAD_FUND_PUBLIC_MIN_PAYMENTS if min_payments is None else min_payments
    before = _published_before(max(0, delay))
    lines = JournalLine.objects.filter(
        entry__date__lt=before, entry__organisation__kind=Organisation.Kind.RELIEF
    )
    donations = Donation.objects.filter(
        received_on__lt=before,
        organisation__kind=Organisation.Kind.RELIEF,
        entry__reversed_by__isnull=True,
    )
    if organisation is not None:
        lines = lines.filter(entry__organisation=organisation)
        donations = donations.filter(organisation=organisation)
    rows = (
        lines.exclude(account__kind__in=Account.MONEY_KINDS)
        .annotate(month=TruncMonth("entry__date"))
        .values("month", "account__kind", "account__assistance_kind", "earmark__code")
        .annotate(total=exact_sum("base_amount"), payments=Count("id", filter=Q(base_amount__gt=0)))
        .order_by("month")
    )
    earmark_labels = {
        e.code: e.label for e in Earmark.objects.filter(organisation__kind=Organisation.Kind.RELIEF)
    }
    months: dict[dt.date, dict[str, Any]] = defaultdict(
        lambda: {
            "in": defaultdict(lambda: ZERO),
            "out": defaultdict(lambda: ZERO),
            "assistance": {},
            "exchange": ZERO,
        }
    )
    for row in rows:
        month = row["month"]
        month = month.date() if isinstance(month, dt.datetime) else month
        data = months[month]
        kind, total = row["account__kind"], quantize(thousandths(row["total"]), fund_currency())
        if kind == Account.Kind.DONATIONS:
            data["in"][f"donations:{row['earmark__code']}"] += -total
        elif kind == Account.Kind.ADMINISTRATION:
            data["out"]["administration"] += total
        elif kind == Account.Kind.EXCHANGE:
            data["exchange"] += -total
        elif kind == Account.Kind.ASSISTANCE:
            cell = data["assistance"].setdefault(row["account__assistance_kind"], [ZERO, 0])
            cell[0] += total
            cell[1] += row["payments"]
    result = []
    carried: list[Any] = [ZERO, 0]
    for month in sorted(months):
        data = months[month]
        incoming = [
            (
                key,
                _("Donations: %(earmark)s")
                % {"earmark": earmark_labels.get(key.split(":", 1)[1], key)},
                amount,
            )
            for key, amount in sorted(data["in"].items())
            if amount
        ]
        outgoing = [
            ("administration", _("Administration (bank and transfer fees)"), amount)
            for amount in [data["out"]["administration"]]
            if amount
        ]
        if data["exchange"] > 0:
            incoming.append(("exchange_gains", _("Exchange gains"), data["exchange"]))
        elif data["exchange"] < 0:
            outgoing.append(("exchange_losses", _("Exchange losses"), -data["exchange"]))
        assistance, carried = _assistance_cells(data["assistance"], carried, threshold)
        outgoing = assistance + outgoing
        result.append(
            {
                "month": month.strftime("%Y-%m"),
                "in": [
                    {"category": c, "label": str(label), "amount": a} for c, label, a in incoming
                ],
                "out": [
                    {"category": c, "label": str(label), "amount": a} for c, label, a in outgoing
                ],
                "total_in": sum((a for _c, _l, a in incoming), ZERO),
                "total_out": sum((a for _c, _l, a in outgoing), ZERO),
            }
        )
    named = Donor.objects.filter(named_in_public=True, donations__in=donations).distinct()
    return {
        "currency": fund_currency(),
        "published_until": before - dt.timedelta(days=1),
        "months": result,
        "donors": sorted({donor.name for donor in named}, key=str.casefold),
    }
