"""The demo relief fund: fictitious donors abroad (every one marked "(demo)"), donations in
several currencies over the last six months with fictitious daily rates, conversions into
rupees, and payment of the demo's approved assistance where the money allows. Loaded once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from madad.accounts.models import User
from madad.accounts.roles import Role
from madad.assistance.models import Assistance, DisbursementMethod
from madad.core.audit import audit_record
from madad.core.demo import DemoContext, scaled
from madad.core.refusals import Refused
from madad.fund import services
from madad.fund.currencies import fund_currency, quantize
from madad.fund.models import Account, Channel, Donation, Earmark, ExchangeRate
from madad.fund.selectors import balances

DEMO_DONATIONS = 60
DEMO_DONORS = 25
DAYS = 180
RATE_SOURCE = "Demo rates (fictitious)"
# fund-currency units for one unit, around which the demo's rates wander
START_RATES = {
    "USD": Decimal("279.50"),
    "GBP": Decimal("354.20"),
    "CAD": Decimal("205.10"),
    "EUR": Decimal("301.80"),
    "AED": Decimal("76.10"),
}
CURRENCY_WEIGHTS = {"USD": 5, "GBP": 3, "CAD": 2, "EUR": 1, "AED": 1, "PKR": 3}
DONOR_NAMES = [
    ("person", "Ayesha K. (demo)"),
    ("person", "Bilal R. (demo)"),
    ("person", "Sana M. (demo)"),
    ("person", "Omar F. (demo)"),
    ("person", "Hina S. (demo)"),
    ("person", "Tariq J. (demo)"),
    ("person", "Mariam A. (demo)"),
    ("person", "Kamran H. (demo)"),
    ("person", "Zara Q. (demo)"),
    ("person", "Faisal N. (demo)"),
    ("organisation", "Toronto Relief Circle (demo)"),
    ("organisation", "Manchester Community Fund (demo)"),
    ("organisation", "Dubai Friends of Karachi (demo)"),
    ("organisation", "Houston Neighbours Trust (demo)"),
]
PROGRAMMES = [
    ("education", "Education (demo)", "تعلیم (ڈیمو)", ["school_fees"]),
    ("medical", "Medical care (demo)", "طبی امداد (ڈیمو)", ["medical_bills"]),
]


def _accounts(finance: User) -> dict[str, Account]:
    accounts = {}
    for currency in [fund_currency(), *START_RATES]:
        accounts[currency] = services.account_open(
            opened_by=finance,
            kind=Account.Kind.BANK,
            name=f"Demo Bank {currency} (demo)",
            currency=currency,
        )
    accounts["cash"] = services.account_open(
        opened_by=finance,
        kind=Account.Kind.CASH,
        name=f"Cash box {fund_currency()} (demo)",
        currency=fund_currency(),
    )
    return accounts


def _rates(context: DemoContext, first_day: dt.date) -> None:
    rates = []
    for currency, start in START_RATES.items():
        rate = start
        for offset in range(DAYS + 1):
            rate = (rate * Decimal(1 + context.rng.uniform(-0.004, 0.0045))).quantize(
                Decimal("0.0001")
            )
            rates.append(
                ExchangeRate(
                    organisation=context.relief,
                    currency=currency,
                    date=first_day + dt.timedelta(days=offset),
                    rate=rate,
                    source=RATE_SOURCE,
                )
            )
    ExchangeRate.objects.bulk_create(rates)


def _donations(
    context: DemoContext,
    finance: User,
    accounts: dict[str, Account],
    earmarks: list[Earmark],
    first_day: dt.date,
) -> int:
    rng = context.rng
    donors = [
        services.donor_record(
            recorded_by=finance,
            kind=kind,
            name=name,
            contact=f"donor{n}@example.org (demo)",
            named_in_public=rng.random() < 0.35,
        )
        for n, (kind, name) in enumerate(DONOR_NAMES[: scaled(context, DEMO_DONORS)])
    ]
    currencies = [c for c, weight in CURRENCY_WEIGHTS.items() for _ in range(weight)]
    count = scaled(context, DEMO_DONATIONS)
    channels = (
        [Channel.BANK_TRANSFER] * 4
        + [Channel.CARD_ONLINE] * 3
        + [Channel.REMITTANCE] * 2
        + [Channel.CHEQUE, Channel.CASH]
    )
    for _n in range(count):
        currency = rng.choice(currencies)
        currency = fund_currency() if currency == "PKR" else currency
        amount = Decimal(rng.choice([25, 50, 100, 150, 250, 500, 1000]))
        if currency == fund_currency():
            amount *= 200
        fee = quantize(amount * Decimal(rng.choice([0, 0, 1, 2, 3])) / 100, currency)
        channel = rng.choice(channels)
        account = (
            accounts["cash"]
            if channel == Channel.CASH and currency == fund_currency()
            else accounts[currency]
        )
        services.donation_record(
            recorded_by=finance,
            amount=amount,
            currency=currency,
            received_on=first_day + dt.timedelta(days=rng.randint(0, DAYS - 30)),
            channel=channel,
            earmark=rng.choice(earmarks),
            account=account,
            donor=rng.choice(donors) if rng.random() < 0.85 else None,
            fee=fee,
        )
    return count


def _conversions(context: DemoContext, finance: User, accounts: dict[str, Account]) -> int:
    """Most of the foreign money is converted into rupees, a little under or over its
    carrying rate (an exchange gain or loss)."""
    made = 0
    day = timezone.localdate() - dt.timedelta(days=20)
    for held in balances(organisation=context.relief):
        currency = held.account.currency
        if currency == fund_currency() or held.amount <= 0:
            continue
        stored = (
            ExchangeRate.objects.filter(
                organisation=context.relief, currency=currency, date__lte=day
            )
            .order_by("-date")
            .first()
        )
        if stored is None:
            continue
        rate = (stored.rate * Decimal(1 + context.rng.uniform(-0.01, 0.01))).quantize(
            Decimal("0.0001")
        )
        services.conversion_record(
            recorded_by=finance,
            earmark=held.earmark,
            from_account=held.account,
            to_account=accounts[fund_currency()],
            amount=quantize(held.amount * Decimal("0.8"), currency),
            rate=rate,
            date=day,
            rate_source="Demo Bank (demo)",
        )
        made += 1
    return made


def _disbursements(
    context: DemoContext, finance: User, accounts: dict[str, Account], earmarks: list[Earmark]
) -> int:
    """Pays the demo's approved assistance from its programme's money, else the general
    fund's, while there is enough."""
    paid = 0
    items = Assistance.objects.filter(
        case__organisation=context.relief, status=Assistance.Status.APPROVED, amount__isnull=False
    ).select_related("case")
    for item in items.order_by("approved_at", "id"):
        if finance.pk in (item.requested_by_id, item.approved_by_id):
            continue
        candidates = sorted(earmarks, key=lambda e: (e.is_general, e.pk))
        for earmark in (e for e in candidates if e.pays(item.kind)):
            try:
                services.disbursement_make(
                    made_by=finance,
                    assistance=item,
                    earmark=earmark,
                    account=accounts[fund_currency()],
                    method=DisbursementMethod.BANK_TRANSFER,
                    reference=f"DEMO-{item.pk:05d}",
                    paid_on=timezone.localdate() - dt.timedelta(days=context.rng.randint(0, 15)),
                )
            except Refused:
                continue
            paid += 1
            break
    return paid


def load(context: DemoContext) -> None:
    if Donation.objects.filter(organisation=context.relief).exists():
        return
    finance = context.users[Role.FINANCE]
    today = timezone.localdate()
    first_day = today - dt.timedelta(days=DAYS)
    with transaction.atomic():
        general = services.earmark_general(organisation=context.relief)
        earmarks = [general] + [
            services.earmark_create(
                created_by=finance, code=code, name=name, name_ur=name_ur, kinds=kinds
            )
            for code, name, name_ur, kinds in PROGRAMMES
        ]
        accounts = _accounts(finance)
        _rates(context, first_day)
        donations = _donations(context, finance, accounts, earmarks, first_day)
        conversions = _conversions(context, finance, accounts)
        paid = _disbursements(context, finance, accounts, earmarks)
        audit_record(
            action="demo.fund.loaded",
            actor=finance,
            organisation=context.relief,
            object_type="fund.donation",
            object_id=str(donations),
        )
    context.report.append(
        f"{donations} donations, {conversions} conversions, {paid} disbursements (fund)"
    )
