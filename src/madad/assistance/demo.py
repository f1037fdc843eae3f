"""Synthetic demo assistance for the demo cases, at every stage, and the demo limits.

Runs after the cases loader and before the fund's: the demo caseworker requests help on the
cases whose plan is agreed (plan agreed, assisting), the demo coordinator approves most of it
(over the limit too: a coordinator may), cancels some, and leaves some waiting. Money is paid
later by the fund's loader, so that every rupee out is in the ledger; help in kind without an
amount is handed over here by the demo finance officer, and some of it confirmed received.
`demo_receipts` (after the fund's loader) confirms the receipt of some of what the fund paid.

Everything goes through the services; afterwards the timestamps are spread over the months
since each case was opened, in the order things happened.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from madad.accounts.models import User
from madad.accounts.roles import Role
from madad.assistance import services
from madad.assistance.models import Assistance, Kind
from madad.cases.models import Case
from madad.core.demo import DemoContext, scaled

LIMITS = {
    Kind.CASH_GRANT: "25000",
    Kind.MEDICAL_BILLS: "50000",
    Kind.SCHOOL_FEES: "30000",
    Kind.LEGAL_AID: "40000",
    Kind.FOOD: "15000",
    Kind.RENT: "30000",
    Kind.LIVELIHOOD_GRANT: "60000",
}
# kind: (smallest, largest) amount in rupees, in steps of 500
AMOUNTS = {
    Kind.CASH_GRANT: (8000, 35000),
    Kind.MEDICAL_BILLS: (5000, 90000),
    Kind.SCHOOL_FEES: (6000, 36000),
    Kind.LEGAL_AID: (15000, 60000),
    Kind.RENT: (10000, 36000),
    Kind.LIVELIHOOD_GRANT: (20000, 80000),
}
IN_KIND = [
    (Kind.FOOD, "(Demo) Monthly ration pack: flour, rice, lentils, oil, sugar, tea"),
    (Kind.FOOD, "(Demo) Two months of rations for a family of seven"),
    (Kind.OTHER, "(Demo) School uniforms, bags and books for three children"),
    (Kind.OTHER, "(Demo) Wheelchair and crutches"),
]
PURPOSES = [
    "(Demo) The family lost its only earner; the rent is two months behind.",
    "(Demo) Surgery and medicines for the injured son.",
    "(Demo) Fees so that the children can return to school this term.",
    "(Demo) A lawyer's fees for the hearings on the FIR.",
    "(Demo) A sewing machine and cloth to restart the mother's tailoring work.",
]
# what happens to an item after it is requested, with its share
FATES = [
    ("requested", 22),
    ("approved", 40),
    ("cancelled", 8),
    ("over_limit", 12),
    ("in_kind_handed_over", 8),
    ("in_kind_received", 10),
]
DEMO_ITEMS = 40


def _amount(rng: random.Random, kind: Kind, over_limit: bool) -> Decimal:
    low, high = AMOUNTS[kind]
    if over_limit:
        low = int(LIMITS[kind]) + 500
        high = max(high, low + 20000)
    return Decimal(rng.randrange(low, high + 1, 500))


def _request(rng: random.Random, case: Case, worker: User, fate: str) -> Assistance:
    if fate.startswith("in_kind"):
        kind, description = rng.choice(IN_KIND)
        return services.assistance_request(
            case=case,
            requested_by=worker,
            kind=kind,
            in_kind=description,
            purpose=rng.choice(PURPOSES),
        )
    kind = rng.choice(list(AMOUNTS))
    return services.assistance_request(
        case=case,
        requested_by=worker,
        kind=kind,
        amount=_amount(rng, kind, fate == "over_limit"),
        purpose=rng.choice(PURPOSES),
    )


def _spread(rng: random.Random, item: Assistance, case: Case) -> None:
    """Requested some time after the case was opened; each later step a few days after."""
    now = timezone.now()
    start = max(case.opened_at, now - dt.timedelta(days=120))
    span = max(dt.timedelta(days=3), (now - start) * 0.8)
    requested = start + span * rng.random()
    values = {"requested_at": requested}
    at = requested
    for field in ("approved_at", "cancelled_at", "disbursed_at", "receipt_confirmed_at"):
        if getattr(item, field) is not None:
            at = min(now, at + dt.timedelta(days=rng.randint(1, 5), hours=rng.randint(0, 8)))
            values[field] = at
    Assistance.objects.filter(pk=item.pk).update(**values)


def load(context: DemoContext) -> None:
    if Assistance.objects.filter(case__organisation=context.relief).exists():
        return
    cases = list(
        Case.objects.filter(
            organisation=context.relief, status__in=services.REQUESTABLE_CASE_STATUSES
        ).order_by("pk")
    )
    if not cases:
        context.report.append("no assistance (no cases with an agreed plan yet)")
        return
    rng = context.rng
    worker = context.users[Role.CASEWORKER]
    boss = context.users[Role.COORDINATOR]
    finance = context.users[Role.FINANCE]
    admin = context.users[Role.ADMINISTRATOR]
    fates = [f for f, _w in FATES]
    count = scaled(context, DEMO_ITEMS)
    # every fate at least once, then by their shares
    plan = fates[:count] + rng.choices(fates, [w for _f, w in FATES], k=max(0, count - len(fates)))
    with transaction.atomic():
        for kind, amount in LIMITS.items():
            services.limit_set(
                organisation=context.relief, kind=kind, max_amount=amount, set_by=admin
            )
        for n, fate in enumerate(plan):
            case = cases[n % len(cases)]
            item = _request(rng, case, worker, fate)
            if fate != "requested":
                services.assistance_approve(assistance=item, approver=boss)
            if fate == "cancelled":
                services.assistance_cancel(
                    assistance=item,
                    cancelled_by=boss,
                    reason="(Demo) Another organisation is already paying for this.",
                )
            if fate.startswith("in_kind_"):
                services.assistance_hand_over(
                    assistance=item,
                    handed_over_by=finance,
                    method="goods_delivered",
                    reference=f"DEMO-DN-{item.pk:05d}",
                )
            if fate == "in_kind_received":
                services.assistance_confirm_receipt(assistance=item, confirmed_by=worker)
            item.refresh_from_db()
            _spread(rng, item, case)
    context.report.append(f"{len(plan)} items of assistance at every stage")
