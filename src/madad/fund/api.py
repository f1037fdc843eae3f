"""/api/v1/fund: the relief fund's books for finance officers (who change them), auditors and
coordinators (who read them).

Money travels as strings of digits ("1500.50"), never as JSON numbers: a JSON number is read as
a binary float, which cannot hold most decimal amounts exactly. Amounts answered are strings
too, rounded to their currency. Donors' names are answered only to roles that may see them,
and every such read is audited.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from madad import access
from madad.access.base import in_relief_org
from madad.access.roles import Capability
from madad.api.errors import ApiError
from madad.api.pagination import paginated
from madad.assistance.models import Assistance
from madad.core.audit import audit_record
from madad.fund import reports, selectors, services
from madad.fund.currencies import fund_currency
from madad.fund.errors import FundRefused
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
    DonorIn,
    EarmarkIn,
    EarmarkOut,
    EntryFilters,
    EntryOut,
    PeriodIn,
    RateIn,
    RateOut,
    ReverseIn,
    plain,
)

router = Router(tags=["fund"])


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
        raise ApiError(
            422,
            "invalid",
            _("The request has errors."),
            {field: [_("Choose one of the listed values.")]},
        )
    return found


def _refused(refused: FundRefused) -> ApiError:
    status = 403 if refused.code == "forbidden" else 409 if refused.is_conflict else 422
    return ApiError(status, refused.code, refused.message)


def _invalid(error: ValidationError, rename: dict[str, str] | None = None) -> ApiError:
    rename = rename or {}
    fields = (
        {rename.get(k, k): [str(m) for m in v] for k, v in error.message_dict.items()}
        if hasattr(error, "error_dict")
        else {"__all__": [str(m) for m in error.messages]}
    )
    return ApiError(422, "invalid", _("The request has errors."), fields)


def _call(action: Any, rename: dict[str, str] | None = None, **kwargs: Any) -> Any:
    try:
        return action(**kwargs)
    except ValidationError as error:
        raise _invalid(error, rename) from None
    except FundRefused as refused:
        raise _refused(refused) from None


# --- endpoints: the books -------------------------------------------------------------------
@router.get("/balances", summary="What each account holds of each earmark's money")
def get_balances(request: HttpRequest) -> dict[str, Any]:
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


@router.post(
    "/donations",
    response={201: DonationOut},
    summary="Record a donation; it gets the next receipt number",
)
def create_donation(request: HttpRequest, payload: DonationIn) -> Any:
    user = _editor(request)
    data = payload.dict()
    donation = _call(
        services.donation_record,
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
        rename={"earmark": "earmark_id", "account": "account_id", "donor": "donor_id"},
    )
    return Status(201, donation)


@router.post("/donors", response={201: dict}, summary="Record a donor (name encrypted)")
def create_donor(request: HttpRequest, payload: DonorIn) -> Any:
    user = _editor(request)
    donor = _call(services.donor_record, recorded_by=user, **payload.dict())
    return Status(
        201, {"id": donor.pk, "kind": donor.kind, "named_in_public": donor.named_in_public}
    )


@router.get("/donors/{int:donor_id}", summary="One donor, with the fields your role may see")
def get_donor(request: HttpRequest, donor_id: int) -> dict[str, Any]:
    _reader(request)
    donor = access.get_visible_or_404(request.user, Donor, request=request, pk=donor_id)
    return access.reveal(
        request.user,
        donor,
        request=request,  # type: ignore[arg-type]
        action="fund.donor.viewed",
    )


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


@router.post(
    "/conversions",
    response={201: ConversionOut},
    summary="Convert an earmark's money into another currency",
)
def create_conversion(request: HttpRequest, payload: ConversionIn) -> Any:
    user = _editor(request)
    data = payload.dict()
    conversion = _call(
        services.conversion_record,
        recorded_by=user,
        earmark=_pick(user, Earmark, data["earmark_id"], "earmark_id"),
        from_account=_pick(user, Account, data["from_account_id"], "from_account_id"),
        to_account=_pick(user, Account, data["to_account_id"], "to_account_id"),
        amount=data["amount"],
        rate=data["rate"],
        date=data["date"],
        rate_source=data["rate_source"],
        rename={
            "earmark": "earmark_id",
            "from_account": "from_account_id",
            "to_account": "to_account_id",
        },
    )
    return Status(201, conversion)


# --- disbursements and the ledger -----------------------------------------------------------
@router.get("/disbursements", response=list[DisbursementOut], summary="Payments made")
@paginated
def list_disbursements(request: HttpRequest) -> Any:
    return selectors.disbursement_list(user=_reader(request))


@router.post(
    "/disbursements",
    response={201: DisbursementOut},
    summary="Pay approved assistance from an earmark's money",
)
def create_disbursement(request: HttpRequest, payload: DisbursementIn) -> Any:
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
        raise ApiError(
            422,
            "invalid",
            _("The request has errors."),
            {"assistance_id": [_("Choose one of the listed values.")]},
        )
    disbursement = _call(
        services.disbursement_make,
        made_by=user,
        assistance=item,
        earmark=_pick(user, Earmark, data["earmark_id"], "earmark_id"),
        account=_pick(user, Account, data["account_id"], "account_id"),
        method=data["method"],
        reference=data["reference"],
        paid_on=data["paid_on"],
        rename={"earmark": "earmark_id", "account": "account_id", "assistance": "assistance_id"},
    )
    return Status(201, disbursement)


@router.get("/entries", response=list[EntryOut], summary="The journal, newest first")
@paginated
def list_entries(request: HttpRequest, filters: Query[EntryFilters]) -> Any:
    return selectors.entry_list(user=_reader(request), filters=filters.dict())


@router.get("/entries/{int:entry_id}", response=EntryOut, summary="One entry and its lines")
def get_entry(request: HttpRequest, entry_id: int) -> Any:
    _reader(request)
    return access.get_visible_or_404(request.user, JournalEntry, request=request, pk=entry_id)


@router.post(
    "/entries/{int:entry_id}/reverse",
    response={201: EntryOut},
    summary="Reverse an entry (it stays in the books)",
)
def reverse_entry(request: HttpRequest, entry_id: int, payload: ReverseIn) -> Any:
    user = _editor(request)
    entry = access.get_visible_or_404(user, JournalEntry, request=request, pk=entry_id)
    reversal = _call(services.entry_reverse, entry=entry, reversed_by=user, reason=payload.reason)
    return Status(201, reversal)


@router.get(
    "/reports/{name}",
    summary="A report: balances, income-expenditure, "
    "assistance-by-kind, donations-by-channel, trial-balance",
)
def get_report(request: HttpRequest, name: str, period: Query[PeriodIn]) -> dict[str, Any]:
    user = _require(request, Capability.FUND_REPORT, _("Your role cannot see fund reports."))
    report = reports.REPORTS.get(name)
    if report is None:
        raise ApiError(404, "not_found", _("Not found."))
    table = report.build(user.organisation, period.date_from, period.date_to)
    audit_record(
        action="fund.report.viewed",
        request=request,
        object_type="fund.report",
        object_id=name,
        fields=[],
    )

    def text(value: Any) -> Any:
        return str(value) if not isinstance(value, int) else value

    return {
        "name": name,
        "title": str(report.title),
        "columns": table.columns,
        "rows": [[text(v) for v in row] for row in table.rows],
        "totals": [text(v) for v in table.totals or []],
    }
