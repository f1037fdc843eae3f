"""/api/v1/fund: the relief fund's books for finance officers (who change them), auditors and
coordinators (who read them).

Money travels as strings of digits ("1500.50"), never as JSON numbers: a JSON number is read as
a binary float, which cannot hold most decimal amounts exactly. Amounts answered are strings
too, rounded to their currency. Donors' names are answered only to roles that may see them,
and every such read is audited.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from madad.accounts.roles import Capability
from madad.api.errors import ApiError
from madad.api.pagination import paginated
from madad.assistance.models import Assistance, DisbursementMethod
from madad.core import access
from madad.core.access.base import in_relief_org
from madad.core.audit import audit_record
from madad.fund import reports, selectors, services
from madad.fund.currencies import format_amount, fund_currency, rate_text
from madad.fund.errors import FundRefused
from madad.fund.models import (
    Account,
    Channel,
    Conversion,
    Disbursement,
    Donation,
    Donor,
    Earmark,
    ExchangeRate,
    JournalEntry,
)

router = Router(tags=["fund"])

Money = Annotated[str, Field(pattern=r"^\d{1,15}(\.\d{1,3})?$", examples=["1500.50"],
                             description="An amount as a string of digits")]
Rate = Annotated[str, Field(pattern=r"^\d{1,10}(\.\d{1,10})?$", examples=["278.45"],
                            description="A rate as a string of digits")]
Id = Annotated[int, Field(ge=1, le=2**62)]
Text = Annotated[str, Field(max_length=200)]


# --- access ---------------------------------------------------------------------------------
def _require(request: HttpRequest, capability: str, message: str) -> Any:
    user: Any = request.user
    if not (access.can(user, capability) and in_relief_org(user)):
        raise ApiError(403, "forbidden", message)
    return user


def _reader(request: HttpRequest) -> Any:
    return _require(request, Capability.FUND_VIEW, _("Your role cannot see the relief fund."))


def _editor(request: HttpRequest) -> Any:
    _reader(request)
    return _require(request, Capability.FUND_EDIT, _("Your role cannot change the relief fund."))


def _pick(user: Any, model: type[models.Model], pk: int | None, field: str) -> Any:
    """A record the body names by id: one the user may see, or a 422 on that field."""
    if pk is None:
        return None
    found = access.visible_to(user, model).filter(pk=pk).first()
    if found is None:
        raise ApiError(422, "invalid", _("The request has errors."),
                       {field: [_("Choose one of the listed values.")]})
    return found


def _refused(refused: FundRefused) -> ApiError:
    status = 403 if refused.code == "forbidden" else 409 if refused.is_conflict else 422
    return ApiError(status, refused.code, refused.message)


def _invalid(error: ValidationError, rename: dict[str, str] | None = None) -> ApiError:
    rename = rename or {}
    fields = ({rename.get(k, k): [str(m) for m in v] for k, v in error.message_dict.items()}
              if hasattr(error, "error_dict") else {"__all__": [str(m) for m in error.messages]})
    return ApiError(422, "invalid", _("The request has errors."), fields)


def _call(action: Any, rename: dict[str, str] | None = None, **kwargs: Any) -> Any:
    try:
        return action(**kwargs)
    except ValidationError as error:
        raise _invalid(error, rename) from None
    except FundRefused as refused:
        raise _refused(refused) from None


# --- schemas --------------------------------------------------------------------------------
def _plain(amount: Any, currency: str) -> str:
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
    received_on: dt.date
    donor_id: int | None
    channel: str
    currency: str
    amount: str
    fee: str
    net: str
    earmark_id: int
    account_id: int
    rate: str
    rate_date: dt.date
    rate_source: str
    value: str
    entry_id: int
    reversed: bool

    @staticmethod
    def resolve_amount(obj: Donation) -> str:
        return _plain(obj.amount, obj.currency)

    @staticmethod
    def resolve_fee(obj: Donation) -> str:
        return _plain(obj.fee, obj.currency)

    @staticmethod
    def resolve_net(obj: Donation) -> str:
        return _plain(obj.net, obj.currency)

    @staticmethod
    def resolve_rate(obj: Donation) -> str:
        return rate_text(obj.rate)

    @staticmethod
    def resolve_value(obj: Donation) -> str:
        return _plain(obj.base_amount, fund_currency())

    @staticmethod
    def resolve_reversed(obj: Donation) -> bool:
        return getattr(obj.entry, "reversed_by", None) is not None




class DonorIn(Schema):
    kind: Donor.Kind = Donor.Kind.PERSON
    name: str = Field(max_length=200)
    contact: str = Field(default="", max_length=500)
    named_in_public: bool = False


class DonationIn(Schema):
    received_on: dt.date
    amount: Money
    currency: str = Field(max_length=3)
    fee: Money = "0"
    channel: Channel
    earmark_id: Id
    account_id: Id
    donor_id: Id | None = None
    rate: Rate | None = Field(default=None, description="Rupees for one unit; omit to use the "
                                                        "stored rate of the day")
    rate_source: str = Field(default="", max_length=100)


class DonationFilters(Schema):
    channel: Channel | None = None
    currency: str | None = Field(default=None, max_length=3)
    earmark: Id | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


class RateOut(Schema):
    id: int
    currency: str
    date: dt.date
    rate: str
    source: str

    @staticmethod
    def resolve_rate(obj: ExchangeRate) -> str:
        return rate_text(obj.rate)


class RateIn(Schema):
    currency: str = Field(max_length=3)
    date: dt.date
    rate: Rate
    source: Text


class ConversionIn(Schema):
    date: dt.date
    earmark_id: Id
    from_account_id: Id
    to_account_id: Id
    amount: Money
    rate: Rate
    rate_source: str = Field(default="", max_length=100)


class ConversionOut(Schema):
    id: int
    date: dt.date
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
        return _plain(obj.amount_from, obj.from_account.currency)

    @staticmethod
    def resolve_amount_to(obj: Conversion) -> str:
        return _plain(obj.amount_to, obj.to_account.currency)

    @staticmethod
    def resolve_rate(obj: Conversion) -> str:
        return rate_text(obj.rate)

    @staticmethod
    def resolve_gain(obj: Conversion) -> str:
        return _plain(obj.gain, fund_currency())


class DisbursementIn(Schema):
    assistance_id: Id
    earmark_id: Id
    account_id: Id
    method: DisbursementMethod
    reference: Text
    paid_on: dt.date | None = None


class DisbursementOut(Schema):
    id: int
    assistance_id: int
    earmark_id: int
    account_id: int
    amount: str
    paid_on: dt.date
    entry_id: int
    reversed: bool

    @staticmethod
    def resolve_amount(obj: Disbursement) -> str:
        return _plain(obj.amount, fund_currency())

    @staticmethod
    def resolve_reversed(obj: Disbursement) -> bool:
        return obj.reversed_at is not None


class LineOut(Schema):
    account_id: int
    account: str
    earmark_id: int
    currency: str
    amount: str
    value: str


class EntryOut(Schema):
    id: int
    kind: str
    date: dt.date
    memo: str
    reverses_id: int | None
    reversed_by_id: int | None
    reason: str
    lines: list[LineOut]

    @staticmethod
    def resolve_reversed_by_id(obj: JournalEntry) -> int | None:
        reversal = getattr(obj, "reversed_by", None)
        return reversal.pk if reversal is not None else None

    @staticmethod
    def resolve_lines(obj: JournalEntry) -> list[dict[str, Any]]:
        return [{"account_id": line.account_id, "account": line.account.label,
                 "earmark_id": line.earmark_id, "currency": line.currency,
                 "amount": _plain(line.amount, line.currency),
                 "value": _plain(line.base_amount, fund_currency())}
                for line in selectors.entry_lines(obj)]


class EntryFilters(Schema):
    kind: JournalEntry.Kind | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


class ReverseIn(Schema):
    reason: str = Field(max_length=2000)


class PeriodIn(Schema):
    date_from: dt.date | None = None
    date_to: dt.date | None = None


# --- endpoints: the books -------------------------------------------------------------------
@router.get("/balances", summary="What each account holds of each earmark's money")
def get_balances(request: HttpRequest) -> dict[str, Any]:
    user = _reader(request)
    return {
        "currency": fund_currency(),
        "balances": [{"account_id": b.account.pk, "account": b.account.label,
                      "currency": b.account.currency, "earmark_id": b.earmark.pk,
                      "earmark": b.earmark.name, "amount": _plain(b.amount, b.account.currency),
                      "value": _plain(b.value, fund_currency())}
                     for b in selectors.balances(organisation=user.organisation)],
        "unspent": [{"earmark_id": e.pk, "earmark": e.name,
                     "amount": _plain(selectors.unspent(earmark=e), fund_currency())}
                    for e in selectors.earmark_list(user=user)],
    }


@router.get("/earmarks", response=list[EarmarkOut], summary="The general fund and programmes")
def list_earmarks(request: HttpRequest) -> Any:
    return selectors.earmark_list(user=_reader(request))


@router.post("/earmarks", response={201: EarmarkOut}, summary="Add a programme")
def create_earmark(request: HttpRequest, payload: EarmarkIn) -> Any:
    user = _editor(request)
    return Status(201, _call(services.earmark_create, created_by=user, **payload.dict()))


@router.get("/accounts", response=list[AccountOut], summary="Bank and cash accounts")
def list_accounts(request: HttpRequest) -> Any:
    return selectors.money_account_list(user=_reader(request))


@router.post("/accounts", response={201: AccountOut}, summary="Open a bank or cash account")
def open_account(request: HttpRequest, payload: AccountIn) -> Any:
    user = _editor(request)
    return Status(201, _call(services.account_open, opened_by=user, **payload.dict()))


# --- donations and donors -------------------------------------------------------------------
@router.get("/donations", response=list[DonationOut], summary="Donations, newest first")
@paginated
def list_donations(request: HttpRequest, filters: Query[DonationFilters]) -> Any:
    return selectors.donation_list(user=_reader(request), filters=filters.dict())


@router.get("/donations/{int:donation_id}", response=DonationOut, summary="One donation")
def get_donation(request: HttpRequest, donation_id: int) -> Any:
    _reader(request)
    return access.get_visible_or_404(request.user, Donation, request=request, pk=donation_id)


@router.post("/donations", response={201: DonationOut},
             summary="Record a donation; it gets the next receipt number")
def create_donation(request: HttpRequest, payload: DonationIn) -> Any:
    user = _editor(request)
    data = payload.dict()
    donation = _call(
        services.donation_record, recorded_by=user, amount=data["amount"],
        currency=data["currency"], received_on=data["received_on"], channel=data["channel"],
        earmark=_pick(user, Earmark, data["earmark_id"], "earmark_id"),
        account=_pick(user, Account, data["account_id"], "account_id"),
        donor=_pick(user, Donor, data["donor_id"], "donor_id"), fee=data["fee"],
        rate=data["rate"], rate_source=data["rate_source"],
        rename={"earmark": "earmark_id", "account": "account_id", "donor": "donor_id"})
    return Status(201, donation)


@router.post("/donors", response={201: dict}, summary="Record a donor (name encrypted)")
def create_donor(request: HttpRequest, payload: DonorIn) -> Any:
    user = _editor(request)
    donor = _call(services.donor_record, recorded_by=user, **payload.dict())
    return Status(201, {"id": donor.pk, "kind": donor.kind,
                        "named_in_public": donor.named_in_public})


@router.get("/donors/{int:donor_id}", summary="One donor, with the fields your role may see")
def get_donor(request: HttpRequest, donor_id: int) -> dict[str, Any]:
    _reader(request)
    donor = access.get_visible_or_404(request.user, Donor, request=request, pk=donor_id)
    return access.reveal(request.user, donor, request=request,  # type: ignore[arg-type]
                         action="fund.donor.viewed")


# --- rates and conversions ------------------------------------------------------------------
@router.get("/rates", response=list[RateOut], summary="Stored exchange rates, newest first")
@paginated
def list_rates(request: HttpRequest) -> Any:
    return selectors.rate_list(user=_reader(request))


@router.post("/rates", response={201: RateOut}, summary="Record the rate of a day")
def create_rate(request: HttpRequest, payload: RateIn) -> Any:
    user = _editor(request)
    return Status(201, _call(services.rate_record, recorded_by=user, **payload.dict()))


@router.get("/conversions", response=list[ConversionOut], summary="Currency conversions")
@paginated
def list_conversions(request: HttpRequest) -> Any:
    return selectors.conversion_list(user=_reader(request))


@router.post("/conversions", response={201: ConversionOut},
             summary="Convert an earmark's money into another currency")
def create_conversion(request: HttpRequest, payload: ConversionIn) -> Any:
    user = _editor(request)
    data = payload.dict()
    conversion = _call(
        services.conversion_record, recorded_by=user,
        earmark=_pick(user, Earmark, data["earmark_id"], "earmark_id"),
        from_account=_pick(user, Account, data["from_account_id"], "from_account_id"),
        to_account=_pick(user, Account, data["to_account_id"], "to_account_id"),
        amount=data["amount"], rate=data["rate"], date=data["date"],
        rate_source=data["rate_source"],
        rename={"earmark": "earmark_id", "from_account": "from_account_id",
                "to_account": "to_account_id"})
    return Status(201, conversion)


# --- disbursements and the ledger -----------------------------------------------------------
@router.get("/disbursements", response=list[DisbursementOut], summary="Payments made")
@paginated
def list_disbursements(request: HttpRequest) -> Any:
    return selectors.disbursement_list(user=_reader(request))


@router.post("/disbursements", response={201: DisbursementOut},
             summary="Pay approved assistance from an earmark's money")
def create_disbursement(request: HttpRequest, payload: DisbursementIn) -> Any:
    user = _editor(request)
    data = payload.dict()
    # an item of the organisation the finance officer cannot see (not approved) is still
    # named, so that the refusal can say why
    item = Assistance.objects.select_related("case").filter(
        pk=data["assistance_id"], case__organisation_id=user.organisation_id).first()
    if item is None:
        raise ApiError(422, "invalid", _("The request has errors."),
                       {"assistance_id": [_("Choose one of the listed values.")]})
    disbursement = _call(
        services.disbursement_make, made_by=user, assistance=item,
        earmark=_pick(user, Earmark, data["earmark_id"], "earmark_id"),
        account=_pick(user, Account, data["account_id"], "account_id"),
        method=data["method"], reference=data["reference"], paid_on=data["paid_on"],
        rename={"earmark": "earmark_id", "account": "account_id",
                "assistance": "assistance_id"})
    return Status(201, disbursement)


@router.get("/entries", response=list[EntryOut], summary="The journal, newest first")
@paginated
def list_entries(request: HttpRequest, filters: Query[EntryFilters]) -> Any:
    return selectors.entry_list(user=_reader(request), filters=filters.dict())


@router.get("/entries/{int:entry_id}", response=EntryOut, summary="One entry and its lines")
def get_entry(request: HttpRequest, entry_id: int) -> Any:
    _reader(request)
    return access.get_visible_or_404(request.user, JournalEntry, request=request, pk=entry_id)


@router.post("/entries/{int:entry_id}/reverse", response={201: EntryOut},
             summary="Reverse an entry (it stays in the books)")
def reverse_entry(request: HttpRequest, entry_id: int, payload: ReverseIn) -> Any:
    user = _editor(request)
    entry = access.get_visible_or_404(user, JournalEntry, request=request, pk=entry_id)
    reversal = _call(services.entry_reverse, entry=entry, reversed_by=user,
                     reason=payload.reason)
    return Status(201, reversal)


@router.get("/reports/{name}", summary="A report: balances, income-expenditure, "
                                       "assistance-by-kind, donations-by-channel, trial-balance")
def get_report(request: HttpRequest, name: str, period: Query[PeriodIn]) -> dict[str, Any]:
    user = _require(request, Capability.FUND_REPORT, _("Your role cannot see fund reports."))
    report = reports.REPORTS.get(name)
    if report is None:
        raise ApiError(404, "not_found", _("Not found."))
    table = report.build(user.organisation, period.date_from, period.date_to)
    audit_record(action="fund.report.viewed", request=request, object_type="fund.report",
                 object_id=name, fields=[])

    def text(value: Any) -> Any:
        return str(value) if not isinstance(value, int) else value

    return {"name": name, "title": str(report.title), "columns": table.columns,
            "rows": [[text(v) for v in row] for row in table.rows],
            "totals": [text(v) for v in table.totals or []]}
