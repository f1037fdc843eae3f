"""/api/v1/fund: the relief fund's books for finance officers (who change them), auditors and
coordinators (who read them).

Money travels as strings of digits ("1500.50"), never as JSON numbers: a JSON number is read as
a binary float, which cannot hold most decimal amounts exactly. Amounts answered are strings
too, rounded to their currency. Donors' names are answered only to roles that may see them,
and every such read is audited.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from madad import access
from madad.access.base import in_relief_org
from madad.access.roles import Capability
from madad.accounts.models import User
from madad.api.errors import errors
from madad.api.pagination import paginated
from madad.assistance.models import Assistance
from madad.core.audit import audit_record
from madad.core.http import AuthedRequest
from madad.core.refusals import Invalid, NotAllowed, NotVisible, invalid
from madad.fund import reports, selectors, services
from madad.fund.currencies import fund_currency
from madad.fund.models import Account, Donation, Donor, Earmark, JournalEntry
from madad.fund.schemas import (
    AccountIn,
    AccountOut,
    ConversionIn,
    ConversionOut,
    DisbursementIn,
    DisbursementOut,
    DonationFilters,
    DonationIn,
    DonationOut,
    DonorCreatedOut,
    DonorIn,
    DonorOut,
    EarmarkIn,
    EarmarkOut,
    EntryReverseIn,
    ExchangeRateIn,
    ExchangeRateOut,
    FundBalancesOut,
    FundPeriodIn,
    FundReportOut,
    JournalEntryFilters,
    JournalEntryOut,
    plain,
)

router = Router(tags=["fund"])


# --- access ---------------------------------------------------------------------------------
def _require(request: AuthedRequest, capability: str, message: str) -> User:
    user = request.user
    if not (access.can(user, capability) and in_relief_org(user)):
        raise NotAllowed(message)
    return user


def _reader(request: AuthedRequest) -> User:
    return _require(request, Capability.FUND_VIEW, _("Your role cannot see the relief fund."))


def _editor(request: AuthedRequest) -> User:
    _reader(request)
    return _require(request, Capability.FUND_EDIT, _("Your role cannot change the relief fund."))


def _pick(user: User, model: type[models.Model], pk: int | None, field: str) -> Any:
    """A record the body names by id: one the user may see, or Invalid on that field."""
    if pk is None:
        return None
    found = access.visible_to(user, model).filter(pk=pk).first()
    if found is None:
        raise invalid(field, _("Choose one of the listed values."))
    return found


@contextmanager
def _named_by_id(*names: str) -> Iterator[None]:
    """The services name the records a body names by id without the "_id" ("account" for
    "account_id"): their refusals are said of the body's own fields."""
    try:
        yield
    except Invalid as refusal:
        ids = {name.removesuffix("_id"): name for name in names}
        refusal.fields = {ids.get(key, key): value for key, value in refusal.fields.items()}
        raise


# --- endpoints: the books -------------------------------------------------------------------
@router.get(
    "/balances",
    response={200: FundBalancesOut, **errors(403)},
    summary="What each account holds of each earmark's money",
)
def get_balances(request: AuthedRequest) -> dict[str, Any]:
    user = _reader(request)
    return {
        "currency": fund_currency(),
        "balances": [
            {
                "account_id": b.account.pk,
                "account": b.account.label,
                "currency": b.account.currency,
                "earmark_id": b.earmark.pk,
                "earmark": b.earmark.name,
                "amount": plain(b.amount, b.account.currency),
                "value": plain(b.value, fund_currency()),
            }
            for b in selectors.balances(organisation=user.organisation)
        ],
        "unspent": [
            {
                "earmark_id": e.pk,
                "earmark": e.name,
                "amount": plain(selectors.unspent(earmark=e), fund_currency()),
            }
            for e in selectors.earmark_list(user=user)
        ],
    }


@router.get(
    "/earmarks",
    response={200: list[EarmarkOut], **errors(403)},
    summary="The general fund and programmes",
)
def list_earmarks(request: AuthedRequest) -> Any:
    return selectors.earmark_list(user=_reader(request))


@router.post(
    "/earmarks", response={201: EarmarkOut, **errors(403, 409, 422)}, summary="Add a programme"
)
def create_earmark(request: AuthedRequest, payload: EarmarkIn) -> Any:
    user = _editor(request)
    return Status(201, services.earmark_create(created_by=user, **payload.dict()))


@router.get(
    "/accounts", response={200: list[AccountOut], **errors(403)}, summary="Bank and cash accounts"
)
def list_accounts(request: AuthedRequest) -> Any:
    return selectors.money_account_list(user=_reader(request))


@router.post(
    "/accounts",
    response={201: AccountOut, **errors(403, 409, 422)},
    summary="Open a bank or cash account",
)
def open_account(request: AuthedRequest, payload: AccountIn) -> Any:
    user = _editor(request)
    return Status(201, services.account_open(opened_by=user, **payload.dict()))


# --- donations and donors -------------------------------------------------------------------
@router.get(
    "/donations",
    response={200: list[DonationOut], **errors(403)},
    summary="Donations, newest first",
)
@paginated
def list_donations(request: AuthedRequest, filters: Query[DonationFilters]) -> Any:
    return selectors.donation_list(user=_reader(request), filters=filters.dict())


@router.get(
    "/donations/{int:donation_id}",
    response={200: DonationOut, **errors(403, 404)},
    summary="One donation",
)
def get_donation(request: AuthedRequest, donation_id: int) -> Any:
    _reader(request)
    return access.get_visible_or_404(request.user, Donation, pk=donation_id)


@router.post(
    "/donations",
    response={201: DonationOut, **errors(403, 409, 422)},
    summary="Record a donation; it gets the next receipt number",
)
def create_donation(request: AuthedRequest, payload: DonationIn) -> Any:
    user = _editor(request)
    data = payload.dict()
    with _named_by_id("earmark_id", "account_id", "donor_id"):
        donation = services.donation_record(
            recorded_by=user,
            amount=data["amount"],
            currency=data["currency"],
            received_on=data["received_on"],
            channel=data["channel"],
            earmark=_pick(user, Earmark, data["earmark_id"], "earmark_id"),
            account=_pick(user, Account, data["account_id"], "account_id"),
            donor=_pick(user, Donor, data["donor_id"], "donor_id"),
            fee=data["fee"],
            rate=data["rate"],
            rate_source=data["rate_source"],
        )
    return Status(201, donation)


@router.post(
    "/donors",
    response={201: DonorCreatedOut, **errors(403, 409, 422)},
    summary="Record a donor (name encrypted)",
)
def create_donor(request: AuthedRequest, payload: DonorIn) -> Any:
    user = _editor(request)
    return Status(201, services.donor_record(recorded_by=user, **payload.dict()))


@router.get(
    "/donors/{int:donor_id}",
    response={200: DonorOut, **errors(403, 404)},
    exclude_unset=True,
    summary="One donor, with the fields your role may see",
)
def get_donor(request: AuthedRequest, donor_id: int) -> dict[str, Any]:
    _reader(request)
    donor = access.get_visible_or_404(request.user, Donor, pk=donor_id)
    return access.reveal(request.user, donor, action="fund.donor.viewed")


# --- rates and conversions ------------------------------------------------------------------
@router.get(
    "/rates",
    response={200: list[ExchangeRateOut], **errors(403)},
    summary="Stored exchange rates, newest first",
)
@paginated
def list_rates(request: AuthedRequest) -> Any:
    return selectors.rate_list(user=_reader(request))


@router.post(
    "/rates",
    response={201: ExchangeRateOut, **errors(403, 409, 422)},
    summary="Record the rate of a day",
)
def create_rate(request: AuthedRequest, payload: ExchangeRateIn) -> Any:
    user = _editor(request)
    return Status(201, services.rate_record(recorded_by=user, **payload.dict()))


@router.get(
    "/conversions",
    response={200: list[ConversionOut], **errors(403)},
    summary="Currency conversions",
)
@paginated
def list_conversions(request: AuthedRequest) -> Any:
    return selectors.conversion_list(user=_reader(request))


@router.post(
    "/conversions",
    response={201: ConversionOut, **errors(403, 409, 422)},
    summary="Convert an earmark's money into another currency",
)
def create_conversion(request: AuthedRequest, payload: ConversionIn) -> Any:
    user = _editor(request)
    data = payload.dict()
    with _named_by_id("earmark_id", "from_account_id", "to_account_id"):
        conversion = services.conversion_record(
            recorded_by=user,
            earmark=_pick(user, Earmark, data["earmark_id"], "earmark_id"),
            from_account=_pick(user, Account, data["from_account_id"], "from_account_id"),
            to_account=_pick(user, Account, data["to_account_id"], "to_account_id"),
            amount=data["amount"],
            rate=data["rate"],
            date=data["date"],
            rate_source=data["rate_source"],
        )
    return Status(201, conversion)


# --- disbursements and the ledger -----------------------------------------------------------
@router.get(
    "/disbursements", response={200: list[DisbursementOut], **errors(403)}, summary="Payments made"
)
@paginated
def list_disbursements(request: AuthedRequest) -> Any:
    return selectors.disbursement_list(user=_reader(request))


@router.post(
    "/disbursements",
    response={201: DisbursementOut, **errors(403, 409, 422)},
    summary="Pay approved assistance from an earmark's money",
)
def create_disbursement(request: AuthedRequest, payload: DisbursementIn) -> Any:
    user = _editor(request)
    data = payload.dict()
    # an item of the organisation the finance officer cannot see (not approved) is still
    # named, so that the refusal can say why
    item = (
        Assistance.objects.select_related("case")
        .filter(pk=data["assistance_id"], case__organisation_id=user.organisation_id)
        .first()
    )
    if item is None:
        raise invalid("assistance_id", _("Choose one of the listed values."))
    with _named_by_id("earmark_id", "account_id", "assistance_id"):
        disbursement = services.disbursement_make(
            made_by=user,
            assistance=item,
            earmark=_pick(user, Earmark, data["earmark_id"], "earmark_id"),
            account=_pick(user, Account, data["account_id"], "account_id"),
            method=data["method"],
            reference=data["reference"],
            paid_on=data["paid_on"],
        )
    return Status(201, disbursement)


@router.get(
    "/entries",
    response={200: list[JournalEntryOut], **errors(403)},
    summary="The journal, newest first",
)
@paginated
def list_entries(request: AuthedRequest, filters: Query[JournalEntryFilters]) -> Any:
    return selectors.entry_list(user=_reader(request), filters=filters.dict())


@router.get(
    "/entries/{int:entry_id}",
    response={200: JournalEntryOut, **errors(403, 404)},
    summary="One entry and its lines",
)
def get_entry(request: AuthedRequest, entry_id: int) -> Any:
    _reader(request)
    return access.get_visible_or_404(request.user, JournalEntry, pk=entry_id)


@router.post(
    "/entries/{int:entry_id}/reverse",
    response={201: JournalEntryOut, **errors(403, 404, 409, 422)},
    summary="Reverse an entry (it stays in the books)",
)
def reverse_entry(request: AuthedRequest, entry_id: int, payload: EntryReverseIn) -> Any:
    user = _editor(request)
    entry = access.get_visible_or_404(user, JournalEntry, pk=entry_id)
    return Status(201, services.entry_reverse(entry=entry, reversed_by=user, reason=payload.reason))


@router.get(
    "/reports/{name}",
    response={200: FundReportOut, **errors(403, 404)},
    summary="A report: balances, income-expenditure, "
    "assistance-by-kind, donations-by-channel, trial-balance",
)
def get_report(request: AuthedRequest, name: str, period: Query[FundPeriodIn]) -> dict[str, Any]:
    user = _require(request, Capability.FUND_REPORT, _("Your role cannot see fund reports."))
    report = reports.REPORTS.get(name)
    if report is None:
        raise NotVisible()
    table = report.build(user.organisation, period.date_from, period.date_to)
    audit_record(action="fund.report.viewed", object_type="fund.report", object_id=name, fields=[])

    def text(value: Any) -> Any:
        return str(value) if not isinstance(value, int) else value

    return {
        "name": name,
        "title": str(report.title),
        "columns": table.columns,
        "rows": [[text(v) for v in row] for row in table.rows],
        "totals": [text(v) for v in table.totals or []],
    }
