"""/api/v1/claims: government compensation claims and their status history.

Amounts are strings in rupees with two decimal places. A status change takes the `version` the
client read (409 if the claim changed since); a move the claim's status does not allow is 422.
Documents are listed by evidence file number; they are uploaded and downloaded on the staff
pages (multipart), where the upload is checked and hashed like all evidence.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from madad import access
from madad.access.claims import may_edit_claims
from madad.api.errors import ApiError
from madad.api.pagination import paginated
from madad.cases.models import Case
from madad.claims import selectors, services
from madad.claims.models import Claim
from madad.incidents.models import Incident

router = Router(tags=["claims"])


class ClaimIn(Schema):
    case: int = Field(ge=1, le=2**63 - 1)
    scheme: str = Field(max_length=services.TEXT_MAX)
    authority: str = Field(max_length=services.TEXT_MAX)
    authority_reference: str = Field(default="", max_length=services.REFERENCE_MAX)
    filed_on: dt.date
    amount_claimed: Decimal
    incident: int | None = Field(default=None, ge=1, le=2**63 - 1)
    next_action_on: dt.date | None = None
    next_action: str = Field(default="", max_length=services.TEXT_MAX)


class StatusIn(Schema):
    status: Claim.Status
    note: str = Field(default="", max_length=services.NOTE_MAX)
    amount_awarded: Decimal | None = None
    next_action_on: dt.date | None = Field(default=None, description="Omit to keep; null to clear")
    next_action: str = Field(default="", max_length=services.TEXT_MAX)
    version: int | None = Field(default=None, ge=1, le=2_000_000_000)


class ClaimOut(Schema):
    id: int
    case: int = Field(validation_alias="case_id")
    incident: int | None = Field(validation_alias="incident_id")
    scheme: str
    authority: str
    filed_on: dt.date
    amount_claimed: Decimal
    amount_awarded: Decimal | None
    status: str
    next_action_on: dt.date | None
    next_action: str
    created_by: int = Field(validation_alias="created_by_id")
    created_at: dt.datetime
    updated_at: dt.datetime
    version: int


class HistoryOut(Schema):
    from_status: str
    status: str
    by: int = Field(validation_alias="by_id")
    at: dt.datetime
    note: str


class Filters(Schema):
    case: int | None = Field(default=None, ge=1, le=2**63 - 1)
    status: Claim.Status | None = None
    due: bool = Field(default=False, description="Only claims whose next action is due")


def _claim(request: HttpRequest, claim_id: int) -> Claim:
    return access.get_visible_or_404(request.user, Claim, request=request, pk=claim_id)


def _out(request: HttpRequest, claim: Claim) -> dict[str, Any]:
    data = ClaimOut.model_validate(claim).model_dump()
    data.update(
        access.reveal(
            request.user,
            claim,
            request=request,  # type: ignore[arg-type]
            wanted=["authority_reference"],
            action="claim.reference.viewed",
        )
    )
    data["history"] = [
        HistoryOut.model_validate(change).model_dump()
        for change in selectors.claim_history(user=request.user, claim=claim)
    ]
    data["documents"] = list(claim.documents.order_by("id").values_list("pk", flat=True))
    return data


def _call(action: Any) -> Any:
    try:
        return action()
    except services.ClaimConflict as exc:
        raise ApiError(409, exc.code, exc.message) from None
    except services.ClaimError as exc:
        raise ApiError(403, exc.code, exc.message) from None


@router.get("", response=list[ClaimOut], summary="Compensation claims you may see")
@paginated
def list_claims(request: HttpRequest, filters: Query[Filters]) -> Any:
    case = None
    if filters.case is not None:
        case = access.get_visible_or_404(request.user, Case, request=request, pk=filters.case)
    claims = (
        selectors.claims_needing_action(request.user, mine_only=False)
        if filters.due
        else selectors.claim_list(user=request.user)
    )
    if case is not None:
        claims = claims.filter(case=case)
    if filters.status:
        claims = claims.filter(status=filters.status)
    return claims


@router.get("/{int:claim_id}", summary="One claim with its history and documents")
def get_claim(request: HttpRequest, claim_id: int) -> dict[str, Any]:
    return _out(request, _claim(request, claim_id))


@router.post("", response={201: dict}, summary="Record a claim filed with a government scheme")
def file_claim(request: HttpRequest, payload: ClaimIn) -> Status[dict[str, Any]]:
    user = request.user
    case = access.get_visible_or_404(user, Case, request=request, pk=payload.case)
    if not may_edit_claims(user):
        raise ApiError(403, "forbidden", _("Your role cannot record compensation claims."))
    incident = None
    if payload.incident is not None:
        incident = access.visible_to(user, Incident).filter(pk=payload.incident).first()
        if incident is None:
            raise ApiError(
                422,
                "invalid",
                _("The request has errors."),
                {"incident": [_("There is no incident with this number that you may see.")]},
            )
    claim = _call(
        lambda: services.claim_file(
            case=case,
            filed_by=user,
            scheme=payload.scheme,  # type: ignore[arg-type]
            authority=payload.authority,
            authority_reference=payload.authority_reference,
            filed_on=payload.filed_on,
            amount_claimed=payload.amount_claimed,
            incident=incident,
            next_action_on=payload.next_action_on,
            next_action=payload.next_action,
            request=request,
        )
    )
    return Status(201, _out(request, claim))


@router.post(
    "/{int:claim_id}/status",
    response=dict,
    summary="Move the claim to its next status, with a note",
)
def change_status(request: HttpRequest, claim_id: int, payload: StatusIn) -> dict[str, Any]:
    claim = _claim(request, claim_id)
    sent = payload.model_fields_set
    extra: dict[str, Any] = {}
    if "next_action_on" in sent:
        extra["next_action_on"] = payload.next_action_on
    if "next_action" in sent:
        extra["next_action"] = payload.next_action
    _call(
        lambda: services.claim_update_status(
            claim=claim,
            changed_by=request.user,  # type: ignore[arg-type]
            status=payload.status,
            note=payload.note,
            amount_awarded=payload.amount_awarded,
            expected_version=payload.version,
            request=request,
            **extra,
        )
    )
    return _out(request, claim)
