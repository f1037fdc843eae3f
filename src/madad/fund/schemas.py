"""The shapes of /api/v1/fund's requests and answers (see fund.api).

Money travels as strings of digits ("1500.50"), never as JSON numbers: a JSON number is read as
a binary float, which cannot hold most decimal amounts exactly.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from ninja import Schema
from pydantic import Field, StrictBool, StrictInt

from madad.api.types import IsoDate, QueryId
from madad.assistance.models import DisbursementMethod
from madad.fund import selectors
from madad.fund.currencies import format_amount, fund_currency, rate_text
from madad.fund.models import (
    Account,
    Channel,
    Conversion,
    Disbursement,
    Donation,
    Donor,
    ExchangeRate,
    JournalEntry,
)

Money = Annotated[
    str,
    Field(
        pattern=r"^\d{1,15}(\.\d{1,3})?$",
        examples=["1500.50"],
        description="An amount as a string of digits",
    ),
]
Rate = Annotated[
    str,
    Field(
        pattern=r"^\d{1,10}(\.\d{1,10})?$",
        examples=["278.45"],
        description="A rate as a string of digits",
    ),
]
Id = Annotated[StrictInt, Field(ge=1, le=2**62)]
Text = Annotated[str, Field(max_length=200)]


def plain(amount: Any, currency: str) -> str:
    """An amount as digits, rounded to its currency: "1500.50"."""
    return format_amount(amount, currency).replace(",", "")


class EarmarkOut(Schema):
    id: int
    code: str
    name: str
    name_ur: str
    is_general: bool
    kinds: list[str]


class EarmarkIn(Schema):
    name: str = Field(max_length=100)
    name_ur: str = Field(default="", max_length=100)
    code: str = Field(default="", max_length=40)
    kinds: list[str] = Field(max_length=20)


class AccountOut(Schema):
    id: int
    kind: str
    name: str
    currency: str


class AccountIn(Schema):
    kind: Account.Kind
    name: str = Field(max_length=100)
    currency: str = Field(max_length=3)


class DonationOut(Schema):
    id: int
    receipt_number: str
    received_on: IsoDate
    donor_id: int | None
    channel: str
    currency: str
    amount: str
    fee: str
    net: str
    earmark_id: int
    account_id: int
    rate: str
    rate_date: IsoDate
    rate_source: str
    value: str
    entry_id: int
    reversed: bool

    @staticmethod
    def resolve_amount(obj: Donation) -> str:
        return plain(obj.amount, obj.currency)

    @staticmethod
    def resolve_fee(obj: Donation) -> str:
        return plain(obj.fee, obj.currency)

    @staticmethod
    def resolve_net(obj: Donation) -> str:
        return plain(obj.net, obj.currency)

    @staticmethod
    def resolve_rate(obj: Donation) -> str:
        return rate_text(obj.rate)

    @staticmethod
    def resolve_value(obj: Donation) -> str:
        return plain(obj.base_amount, fund_currency())

    @staticmethod
    def resolve_reversed(obj: Donation) -> bool:
        counted = getattr(obj, "reversed", None)  # annotated by selectors.donation_list
        if counted is not None:
            return bool(counted)
        return getattr(obj.entry, "reversed_by", None) is not None


class DonorIn(Schema):
    kind: Donor.Kind = Donor.Kind.PERSON
    name: str = Field(max_length=200)
    contact: str = Field(default="", max_length=500)
    named_in_public: StrictBool = False


class DonationIn(Schema):
    received_on: IsoDate
    amount: Money
    currency: str = Field(max_length=3)
    fee: Money = "0"
    channel: Channel
    earmark_id: Id
    account_id: Id
    donor_id: Id | None = None
    rate: Rate | None = Field(
        default=None, description="Rupees for one unit; omit to use the stored rate of the day"
    )
    rate_source: str = Field(default="", max_length=100)


class DonationFilters(Schema):
    channel: Channel | None = None
    currency: str | None = Field(default=None, max_length=3)
    earmark: QueryId | None = None
    date_from: IsoDate | None = None
    date_to: IsoDate | None = None


class ExchangeRateOut(Schema):
    id: int
    currency: str
    date: IsoDate
    rate: str
    source: str

    @staticmethod
    def resolve_rate(obj: ExchangeRate) -> str:
        return rate_text(obj.rate)


class ExchangeRateIn(Schema):
    currency: str = Field(max_length=3)
    date: IsoDate
    rate: Rate
    source: Text


class ConversionIn(Schema):
    date: IsoDate
    earmark_id: Id
    from_account_id: Id
    to_account_id: Id
    amount: Money
    rate: Rate
    rate_source: str = Field(default="", max_length=100)


class ConversionOut(Schema):
    id: int
    date: IsoDate
    earmark_id: int
    from_account_id: int
    to_account_id: int
    amount_from: str
    amount_to: str
    rate: str
    gain: str
    entry_id: int

    @staticmethod
    def resolve_amount_from(obj: Conversion) -> str:
        return plain(obj.amount_from, obj.from_account.currency)

    @staticmethod
    def resolve_amount_to(obj: Conversion) -> str:
        return plain(obj.amount_to, obj.to_account.currency)

    @staticmethod
    def resolve_rate(obj: Conversion) -> str:
        return rate_text(obj.rate)

    @staticmethod
    def resolve_gain(obj: Conversion) -> str:
        return plain(obj.gain, fund_currency())


class DisbursementIn(Schema):
    assistance_id: Id
    earmark_id: Id
    account_id: Id
    method: DisbursementMethod
    reference: Text
    paid_on: IsoDate | None = None


class DisbursementOut(Schema):
    id: int
    assistance_id: int
    earmark_id: int
    account_id: int
    amount: str
    paid_on: IsoDate
    entry_id: int
    reversed: bool

    @staticmethod
    def resolve_amount(obj: Disbursement) -> str:
        return plain(obj.amount, fund_currency())

    @staticmethod
    def resolve_reversed(obj: Disbursement) -> bool:
        return obj.reversed_at is not None


class JournalLineOut(Schema):
    account_id: int
    account: str
    earmark_id: int
    currency: str
    amount: str
    value: str


class JournalEntryOut(Schema):
    id: int
    kind: str
    date: IsoDate
    memo: str
    reverses_id: int | None
    reversed_by_id: int | None
    reason: str
    lines: list[JournalLineOut]

    @staticmethod
    def resolve_reversed_by_id(obj: JournalEntry) -> int | None:
        reversal = getattr(obj, "reversed_by", None)
        return reversal.pk if reversal is not None else None

    @staticmethod
    def resolve_lines(obj: JournalEntry) -> list[dict[str, Any]]:
        return [
            {
                "account_id": line.account_id,
                "account": line.account.label,
                "earmark_id": line.earmark_id,
                "currency": line.currency,
                "amount": plain(line.amount, line.currency),
                "value": plain(line.base_amount, fund_currency()),
            }
            for line in selectors.entry_lines(obj)
        ]


class JournalEntryFilters(Schema):
    kind: JournalEntry.Kind | None = None
    date_from: IsoDate | None = None
    date_to: IsoDate | None = None


class EntryReverseIn(Schema):
    reason: str = Field(max_length=2000)


class FundPeriodIn(Schema):
    date_from: IsoDate | None = None
    date_to: IsoDate | None = None


class FundBalanceOut(Schema):
    account_id: int
    account: str
    currency: str
    earmark_id: int
    earmark: str
    amount: str
    value: str


class EarmarkUnspentOut(Schema):
    earmark_id: int
    earmark: str
    amount: str


class FundBalancesOut(Schema):
    currency: str
    balances: list[FundBalanceOut]
    unspent: list[EarmarkUnspentOut]


class DonorCreatedOut(Schema):
    id: int
    kind: str
    named_in_public: bool


class DonorOut(Schema):
    """A donor; `name` and `contact` only for roles that may see donors (absent otherwise)."""

    id: int
    kind: str
    named_in_public: bool
    created_at: dt.datetime
    version: int
    name: str | None = None
    contact: str | None = None


class FundReportOut(Schema):
    name: str
    title: str
    columns: list[str]
    rows: list[list[str | int]]
    totals: list[str | int]
