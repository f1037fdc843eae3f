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
from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field, StrictInt

from madad import access
from madad.access.assistance import (
    may_approve_assistance,
    may_edit_limits,
    may_request_assistance,
)
from madad.accounts.models import User
from madad.api.errors import errors
from madad.api.pagination import paginated
from madad.assistance import selectors, services
from madad.assistance.models import Assistance, DisbursementMethod, Kind
from madad.cases.models import Case
from madad.core.http import AuthedRequest
from madad.core.refusals import NotAllowed

router = Router(tags=["assistance"])
Endpoint = TypeVar("Endpoint", bound=Callable[..., Any])

VERSION = Field(
    default=None,
    ge=1,
    le=2_000_000_000,
    description="The version you read; omit to act on the current one",
)


class AssistanceIn(Schema):
    case: StrictInt = Field(ge=1, le=2**63 - 1)
    kind: Kind
    amount: Decimal | None = Field(default=None, description='Rupees, e.g. "15000.50"')
    in_kind: str = Field(default="", max_length=services.IN_KIND_MAX)
    purpose: str = Field(default="", max_length=services.PURPOSE_MAX)


class AssistanceVersionIn(Schema):
    version: StrictInt | None = VERSION


class AssistanceCancelIn(Schema):
    reason: str = Field(max_length=services.REASON_MAX)
    version: StrictInt | None = VERSION


class AssistanceHandOverIn(Schema):
    method: DisbursementMethod
    reference: str = Field(max_length=services.REFERENCE_MAX)
    version: StrictInt | None = VERSION


class AssistanceLimitIn(Schema):
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


class AssistanceDetailOut(AssistanceOut):
    """One item; the purpose and the disbursement details only where the caller may read them
    (absent otherwise)."""

    purpose: str | None = None
    disbursement_method: str | None = None
    disbursement_reference: str | None = None


class AssistanceLimitOut(Schema):
    kind: str
    max_amount: Decimal | None


class AssistanceFilters(Schema):
    case: int | None = Field(default=None, ge=1, le=2**63 - 1)
    status: Assistance.Status | None = None


def _action(path: str, summary: str) -> Callable[[Endpoint], Endpoint]:
    """An action on one item: it answers with the item, or with the refusal."""
    return router.post(
        f"/{{int:assistance_id}}/{path}",
        response={200: AssistanceDetailOut, **errors(403, 404, 409, 422)},
        exclude_unset=True,
        summary=summary,
    )


def _item(request: AuthedRequest, assistance_id: int) -> Assistance:
    return access.get_visible_or_404(request.user, Assistance, pk=assistance_id)


def _out(user: User, item: Assistance) -> AssistanceDetailOut:
    wanted = ["purpose"]
    if item.status in (Assistance.Status.DISBURSED, Assistance.Status.RECEIPT_CONFIRMED):
        wanted += ["disbursement_method", "disbursement_reference"]
    readable = access.reveal(
        user,
        item,
        wanted=wanted,
        action="assistance.disbursement.viewed" if len(wanted) > 1 else "assistance.purpose.viewed",
    )
    # only what the caller may read is set, so that the rest stays absent (exclude_unset)
    return AssistanceDetailOut.model_construct(
        **AssistanceOut.from_orm(item).model_dump(), **readable
    )


@router.get(
    "", response={200: list[AssistanceOut], **errors(404, 422)}, summary="Assistance you may see"
)
@paginated
def list_assistance(request: AuthedRequest, filters: Query[AssistanceFilters]) -> Any:
    case = None
    if filters.case is not None:
        case = access.get_visible_or_404(request.user, Case, pk=filters.case)
    return selectors.assistance_list(user=request.user, case=case, status=filters.status)


@router.get(
    "/approvals",
    response={200: list[AssistanceOut], **errors(404, 422)},
    summary="Requested assistance you may approve (never your own), oldest first",
)
@paginated
def list_approvals(request: AuthedRequest) -> Any:
    return selectors.awaiting_approval(user=request.user)


@router.get(
    "/limits",
    response={200: list[AssistanceLimitOut], **errors(404)},
    summary="The limit per kind (PKR)",
)
def list_limits(request: AuthedRequest) -> list[AssistanceLimitOut]:
    user = request.user
    if not (may_request_assistance(user) or may_approve_assistance(user) or may_edit_limits(user)):
        raise Http404
    return [
        AssistanceLimitOut(kind=kind, max_amount=limit.max_amount if limit else None)
        for kind, limit in selectors.limits_by_kind(user=user).items()
    ]


@router.put(
    "/limits/{kind}",
    response={200: AssistanceLimitOut, **errors(403, 422)},
    summary="Set the limit for a kind (null: none, a coordinator approves every amount)",
)
def set_limit(request: AuthedRequest, kind: Kind, payload: AssistanceLimitIn) -> AssistanceLimitOut:
    user = request.user
    if not may_edit_limits(user) or user.organisation is None:
        raise NotAllowed(_("Your role cannot change the assistance limits."))
    limit = services.limit_set(
        organisation=user.organisation, kind=kind, max_amount=payload.max_amount, set_by=user
    )
    return AssistanceLimitOut(kind=kind, max_amount=limit.max_amount if limit else None)


@router.get(
    "/{int:assistance_id}",
    response={200: AssistanceDetailOut, **errors(404, 422)},
    exclude_unset=True,
    summary="One item; the purpose and the disbursement details only if your role may "
    "read them (audited)",
)
def get_assistance(request: AuthedRequest, assistance_id: int) -> AssistanceDetailOut:
    return _out(request.user, _item(request, assistance_id))


@router.post(
    "",
    response={201: AssistanceDetailOut, **errors(403, 404, 409, 422)},
    exclude_unset=True,
    summary="Request assistance on a case",
)
def request_assistance(
    request: AuthedRequest, payload: AssistanceIn
) -> Status[AssistanceDetailOut]:
    case = access.get_visible_or_404(request.user, Case, pk=payload.case)
    item = services.assistance_request(
        case=case,
        requested_by=request.user,
        kind=payload.kind,
        amount=payload.amount,
        in_kind=payload.in_kind,
        purpose=payload.purpose,
    )
    return Status(201, _out(request.user, item))


@_action("approve", "Approve (a second person; a coordinator over the limit)")
def approve(
    request: AuthedRequest, assistance_id: int, payload: AssistanceVersionIn
) -> AssistanceDetailOut:
    item = services.assistance_approve(
        assistance=_item(request, assistance_id),
        approver=request.user,
        expected_version=payload.version,
    )
    return _out(request.user, item)


@_action("cancel", "Cancel, with a reason")
def cancel(
    request: AuthedRequest, assistance_id: int, payload: AssistanceCancelIn
) -> AssistanceDetailOut:
    item = services.assistance_cancel(
        assistance=_item(request, assistance_id),
        cancelled_by=request.user,
        reason=payload.reason,
        expected_version=payload.version,
    )
    return _out(request.user, item)


@_action(
    "hand-over",
    "Record the hand-over of help in kind without an amount (finance); "
    "money is paid through /fund/disbursements",
)
def hand_over(
    request: AuthedRequest, assistance_id: int, payload: AssistanceHandOverIn
) -> AssistanceDetailOut:
    item = services.assistance_hand_over(
        assistance=_item(request, assistance_id),
        handed_over_by=request.user,
        method=payload.method,
        reference=payload.reference,
        expected_version=payload.version,
    )
    return _out(request.user, item)


@_action("confirm-receipt", "Record that the family received it")
def confirm_receipt(
    request: AuthedRequest, assistance_id: int, payload: AssistanceVersionIn
) -> AssistanceDetailOut:
    item = services.assistance_confirm_receipt(
        assistance=_item(request, assistance_id),
        confirmed_by=request.user,
        expected_version=payload.version,
    )
    return _out(request.user, item)
