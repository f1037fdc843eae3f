"""Test data for the fund. Approved assistance is built as rows directly (household, case,
assistance): the fund pays what the cases app approved, however it got there."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from madad.accounts.models import Organisation, User
from madad.accounts.roles import Role
from madad.assistance.models import Assistance
from madad.cases.models import Case
from madad.fund import services
from madad.fund.models import Account, Channel, Donation, Donor, Earmark
from madad.households.models import Household
from tests.factories import UserFactory

DAY = dt.date(2025, 1, 15)


def staff(organisation: Organisation, role: str) -> User:
    # unique across processes too (the concurrency tests set up in one process after another)
    return UserFactory.create(
        role=role, organisation=organisation, email=f"{role}-{uuid.uuid4().hex[:12]}@test.madad"
    )


def approved_assistance(
    organisation: Organisation,
    *,
    amount: Decimal | str | None = "1000",
    kind: str = "cash_grant",
    status: str = Assistance.Status.APPROVED,
    in_kind: str = "",
) -> Assistance:
    """One item of assistance on a fresh household's case, requested by a caseworker and
    approved by a coordinator."""
    caseworker = staff(organisation, Role.CASEWORKER)
    coordinator = staff(organisation, Role.COORDINATOR)
    household = Household.objects.create(organisation=organisation, created_by=caseworker)
    case = Case.objects.create(
        organisation=organisation,
        household=household,
        caseworker=caseworker,
        status=Case.Status.ASSISTING,
    )
    approved = status != Assistance.Status.REQUESTED
    return Assistance.objects.create(
        case=case,
        kind=kind,
        amount=Decimal(amount) if amount is not None else None,
        in_kind=in_kind,
        status=status,
        requested_by=caseworker,
        approved_by=coordinator if approved else None,
        approved_at=timezone.now() if approved else None,
    )


@dataclass(frozen=True)
class Books:
    """An organisation's fund as the tests set it up: two earmarks and three accounts."""

    general: Earmark
    education: Earmark
    pkr: Account
    cash: Account
    usd: Account


def books(organisation: Organisation, finance: User) -> Books:
    """A general fund and an education programme, a PKR bank account, a PKR cash box and a USD
    bank account."""
    general = services.earmark_general(organisation=organisation)
    education = services.earmark_create(
        created_by=finance, name="Education", name_ur="تعلیم", kinds=["school_fees"]
    )
    return Books(
        general=general,
        education=education,
        pkr=services.account_open(
            opened_by=finance, kind=Account.Kind.BANK, name="Bank PKR", currency="PKR"
        ),
        cash=services.account_open(
            opened_by=finance, kind=Account.Kind.CASH, name="Cash box", currency="PKR"
        ),
        usd=services.account_open(
            opened_by=finance, kind=Account.Kind.BANK, name="Bank USD", currency="USD"
        ),
    )


def give(
    finance: User,
    *,
    account: Account,
    earmark: Earmark,
    amount: str,
    currency: str | None = None,
    fee: str = "0",
    rate: str | None = None,
    donor: Donor | None = None,
    day: dt.date = DAY,
    channel: str = Channel.BANK_TRANSFER,
    **extra: Any,
) -> Donation:
    return services.donation_record(
        recorded_by=finance,
        amount=amount,
        currency=currency or account.currency,
        received_on=day,
        channel=channel,
        earmark=earmark,
        account=account,
        donor=donor,
        fee=fee,
        rate=rate if rate is not None or (currency or account.currency) == "PKR" else "280",
        **extra,
    )
