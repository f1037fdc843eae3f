"""/api/v1/assistance: assistance items, their actions, and the limits per kind.

Amounts are strings with two decimal places ("15000.50"), in Pakistani rupees: never floats.
Every action takes the `version` the client read; if the item changed since, the answer is
409 ("conflict") and nothing is written. The two-person rule, the limits and roles answer 403
with a sentence saying why. Items the caller may not see answer 404. Money is paid out through
/fund/disbursements (with its ledger entry); here only help in kind without an amount is
recorded as handed over. The disbursement details
(method, reference) and the purpose appear only in one item's answer, only for those allowed,
and reading them is audited.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from madad import access
from madad.access.assistance import (
    may_approve_assistance,
    may_edit_limits,
    may_request_assistance,
)
from madad.api.errors import ApiError
from madad.api.pagination import paginated
from madad.assistance import selectors, services
from madad.assistance.models import Assistance, DisbursementMethod, Kind
from madad.cases.models import Case

router = Router(tags=["assistance"])

VERSION = Field(
    default=None,
    ge=1,
    le=2_000_000_000,
    description="The version you read; omit to act on the current one",
)


class AssistanceIn(Schema):
    case: int = Field(ge=1, le=2**63 - 1)
    kind: Kind
    amount: Decimal | None = Field(default=None, description='Rupees, e.g. "15000.50"')
    in_kind: str = Field(default="", max_length=services.IN_KIND_MAX)
    purpose: str = Field(default="", max_length=services.PURPOSE_MAX)


class VersionIn(Schema):
    version: int | None = VERSION


class CancelIn(Schema):
    reason: str = Field(max_length=services.REASON_MAX)
    version: int | None = VERSION


class DisburseIn(Schema):
    method: DisbursementMethod
    reference: str = Field(max_length=services.REFERENCE_MAX)
    version: int | None = VERSION


class LimitIn(Schema):
    max_amount: Decimal | None = Field(description="Rupees; null removes the limit")


class AssistanceOut(Schema):
    id: int
    case: int = Field(validation_alias="case_id")
    kind: str
    amount: Decimal | None
    in_kind: str
    status: str
    requested_by: int = Field(validation_alias="requested_by_id")
    requested_at: dt.datetime
    approved_by: int | None = Field(validation_alias="approved_by_id")
    approved_at: dt.datetime | None
    approved_over_limit: bool
    disbursed_by: int | None = Field(validation_alias="disbursed_by_id")
    disbursed_at: dt.datetime | None
    receipt_confirmed_by: int | None = Field(validation_alias="receipt_confirmed_by_id")
    receipt_confirmed_at: dt.datetime | None
    cancelled_by: int | None = Field(validation_alias="cancelled_by_id")
    cancelled_at: dt.datetime | None
    cancelled_reason: str
    version: int


class LimitOut(Schema):
    kind: str
    max_amount: Decimal | None


class Filters(Schema):
    case: int | None = Field(default=None, ge=1, le=2**63 - 1)
    status: Assistance.Status | None = None


def _item(request: HttpRequest, assistance_id: int) -> Assistance:
    return access.get_visible_or_404(request.user, Assistance, request=request, pk=assistance_id)


def _out(request: HttpRequest, item: Assistance) -> dict[str, Any]:
    data = AssistanceOut.model_validate(item).model_dump()
    wanted = ["purpose"]
    if item.status in (Assistance.Status.DISBURSED, Assistance.Status.RECEIPT_CONFIRMED):
        wanted += ["disbursement_method", "disbursement_reference"]
    data.update(
        access.reveal(
            request.user,
            item,
            request=request,  # type: ignore[arg-type]
            wanted=wanted,
            action="assistance.disbursement.viewed"
            if len(wanted) > 1
            else "assistance.purpose.viewed",
        )
    )
    return data


def _call(action: Any) -> Any:
    try:
        return action()
    except services.AssistanceRefused as exc:
        raise ApiError(403, "forbidden", exc.message) from None
    except services.AssistanceConflict as exc:
        raise ApiError(409, "conflict", exc.message) from None


@router.get("", response=list[AssistanceOut], summary="Assistance you may see")
@paginated
def list_assistance(request: HttpRequest, filters: Query[Filters]) -> Any:
    case = None
    if filters.case is not None:
        case = access.get_visible_or_404(request.user, Case, request=request, pk=filters.case)
    return selectors.assistance_list(user=request.user, case=case, status=filters.status)


@router.get(
    "/approvals",
    response=list[AssistanceOut],
    summary="Requested assistance you may approve (never your own), oldest first",
)
@paginated
def list_approvals(request: HttpRequest) -> Any:
    return selectors.awaiting_approval(user=request.user)


@router.get("/limits", response=list[LimitOut], summary="The limit per kind (PKR)")
def list_limits(request: HttpRequest) -> list[dict[str, Any]]:
    user = request.user
    if not (may_request_assistance(user) or may_approve_assistance(user) or may_edit_limits(user)):
        raise Http404
    return [
        {"kind": kind, "max_amount": limit.max_amount if limit else None}
        for kind, limit in selectors.limits_by_kind(user=user).items()
    ]


@router.put(
    "/limits/{kind}",
    response=LimitOut,
    summary="Set the limit for a kind (null: none, a coordinator approves every amount)",
)
def set_limit(request: HttpRequest, kind: Kind, payload: LimitIn) -> dict[str, Any]:
    user = request.user
    if not may_edit_limits(user):
        raise ApiError(403, "forbidden", _("Your role cannot change the assistance limits."))
    limit = _call(
        lambda: services.limit_set(
            organisation=user.organisation,
            kind=kind,  # type: ignore[union-attr]
            max_amount=payload.max_amount,
            set_by=user,
            request=request,
        )
    )  # type: ignore[arg-type]
    return {"kind": kind, "max_amount": limit.max_amount if limit else None}


@router.get(
    "/{int:assistance_id}",
    summary="One item; the purpose and the disbursement details only if your role may "
    "read them (audited)",
)
def get_assistance(request: HttpRequest, assistance_id: int) -> dict[str, Any]:
    return _out(request, _item(request, assistance_id))


@router.post("", response={201: dict}, summary="Request assistance on a case")
def request_assistance(request: HttpRequest, payload: AssistanceIn) -> Status[dict[str, Any]]:
    case = access.get_visible_or_404(request.user, Case, request=request, pk=payload.case)
    item = _call(
        lambda: services.assistance_request(
            case=case,
            requested_by=request.user,  # type: ignore[arg-type]
            kind=payload.kind,
            amount=payload.amount,
            in_kind=payload.in_kind,
            purpose=payload.purpose,
            request=request,
        )
    )
    return Status(201, _out(request, item))


@router.post(
    "/{int:assistance_id}/approve",
    response=dict,
    summary="Approve (a second person; a coordinator over the limit)",
)
def approve(request: HttpRequest, assistance_id: int, payload: VersionIn) -> dict[str, Any]:
    item = _item(request, assistance_id)
    _call(
        lambda: services.assistance_approve(
            assistance=item,
            approver=request.user,  # type: ignore[arg-type]
            expected_version=payload.version,
            request=request,
        )
    )
    return _out(request, item)


@router.post("/{int:assistance_id}/cancel", response=dict, summary="Cancel, with a reason")
def cancel(request: HttpRequest, assistance_id: int, payload: CancelIn) -> dict[str, Any]:
    item = _item(request, assistance_id)
    _call(
        lambda: services.assistance_cancel(
            assistance=item,
            cancelled_by=request.user,  # type: ignore[arg-type]
            reason=payload.reason,
            expected_version=payload.version,
            request=request,
        )
    )
    return _out(request, item)


@router.post(
    "/{int:assistance_id}/hand-over",
    response=dict,
    summary="Record the hand-over of help in kind without an amount (finance); "
    "money is paid through /fund/disbursements",
)
def hand_over(request: HttpRequest, assistance_id: int, payload: DisburseIn) -> dict[str, Any]:
    item = _item(request, assistance_id)
    _call(
        lambda: services.assistance_hand_over(
            assistance=item,
            handed_over_by=request.user,  # type: ignore[arg-type]
            method=payload.method,
            reference=payload.reference,
            expected_version=payload.version,
            request=request,
        )
    )
    return _out(request, item)


@router.post(
    "/{int:assistance_id}/confirm-receipt",
    response=dict,
    summary="Record that the family received it",
)
def confirm_receipt(request: HttpRequest, assistance_id: int, payload: VersionIn) -> dict[str, Any]:
    item = _item(request, assistance_id)
    _call(
        lambda: services.assistance_confirm_receipt(
            assistance=item,
            confirmed_by=request.user,  # type: ignore[arg-type]
            expected_version=payload.version,
            request=request,
        )
    )
    return _out(request, item)
