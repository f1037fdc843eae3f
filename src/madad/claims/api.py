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

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import ConfigDict, Field, StrictInt

from madad import access
from madad.access.claims import may_edit_claims
from madad.api.errors import errors
from madad.api.pagination import paginated
from madad.api.types import IsoDate
from madad.cases.models import Case
from madad.claims import selectors, services
from madad.claims.models import Claim
from madad.core.http import AuthedRequest
from madad.core.refusals import NotAllowed

router = Router(tags=["claims"])

ID = Field(ge=1, le=2**63 - 1)
VERSION = Field(default=None, ge=1, le=2_000_000_000)


class ClaimIn(Schema):
    case: StrictInt = ID
    scheme: str = Field(max_length=services.TEXT_MAX)
    authority: str = Field(max_length=services.TEXT_MAX)
    authority_reference: str = Field(default="", max_length=services.REFERENCE_MAX)
    filed_on: IsoDate
    amount_claimed: Decimal
    incident: StrictInt | None = Field(default=None, ge=1, le=2**63 - 1)
    next_action_on: IsoDate | None = None
    next_action: str = Field(default="", max_length=services.TEXT_MAX)


class ClaimStatusIn(Schema):
    status: Claim.Status
    note: str = Field(default="", max_length=services.NOTE_MAX)
    amount_awarded: Decimal | None = None
    next_action_on: IsoDate | None = Field(default=None, description="Omit to keep; null to clear")
    next_action: str = Field(default="", max_length=services.TEXT_MAX)
    version: StrictInt | None = VERSION


class ClaimOut(Schema):
    # read from a claim by the ids' attribute names, and from a dict by the fields' names
    model_config = ConfigDict(from_attributes=True, populate_by_name=True)

    id: int
    case: int = Field(validation_alias="case_id")
    incident: int | None = Field(validation_alias="incident_id")
    scheme: str
    authority: str
    filed_on: IsoDate
    amount_claimed: Decimal
    amount_awarded: Decimal | None
    status: str
    next_action_on: IsoDate | None
    next_action: str
    created_by: int = Field(validation_alias="created_by_id")
    created_at: dt.datetime
    updated_at: dt.datetime
    version: int


class ClaimStatusChangeOut(Schema):
    from_status: str
    status: str = Field(validation_alias="to_status")
    by: int = Field(validation_alias="by_id")
    at: dt.datetime
    note: str


class ClaimDetailOut(ClaimOut):
    authority_reference: str
    history: list[ClaimStatusChangeOut]
    documents: list[int] = Field(description="Evidence file numbers")


class ClaimFilters(Schema):
    case: int | None = Field(default=None, ge=1, le=2**63 - 1)
    status: Claim.Status | None = None
    due: bool = Field(default=False, description="Only claims whose next action is due")


def _claim(request: AuthedRequest, claim_id: int) -> Claim:
    return access.get_visible_or_404(request.user, Claim, pk=claim_id)


def _out(request: AuthedRequest, claim: Claim) -> ClaimDetailOut:
    data = ClaimOut.model_validate(claim).model_dump()
    data.update(
        access.reveal(
            request.user, claim, wanted=["authority_reference"], action="claim.reference.viewed"
        )
    )
    data["history"] = list(selectors.claim_history(user=request.user, claim=claim))
    data["documents"] = list(claim.documents.order_by("id").values_list("pk", flat=True))
    return ClaimDetailOut.model_validate(data)


@router.get(
    "",
    response={200: list[ClaimOut], **errors(404)},
    summary="Compensation claims you may see",
)
@paginated
def list_claims(request: AuthedRequest, filters: Query[ClaimFilters]) -> Any:
    case = None
    if filters.case is not None:
        case = access.get_visible_or_404(request.user, Case, pk=filters.case)
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


@router.get(
    "/{int:claim_id}",
    response={200: ClaimDetailOut, **errors(404)},
    summary="One claim with its history and documents",
)
def get_claim(request: AuthedRequest, claim_id: int) -> ClaimDetailOut:
    return _out(request, _claim(request, claim_id))


@router.post(
    "",
    response={201: ClaimDetailOut, **errors(403, 404, 422)},
    summary="Record a claim filed with a government scheme",
)
def file_claim(request: AuthedRequest, payload: ClaimIn) -> Status[ClaimDetailOut]:
    user = request.user
    case = access.get_visible_or_404(user, Case, pk=payload.case)
    if not may_edit_claims(user):
        raise NotAllowed(_("Your role cannot record compensation claims."))
    claim = services.claim_file(
        case=case,
        filed_by=user,
        scheme=payload.scheme,
        authority=payload.authority,
        authority_reference=payload.authority_reference,
        filed_on=payload.filed_on,
        amount_claimed=payload.amount_claimed,
        incident=services.claim_incident(user=user, case=case, incident_id=payload.incident),
        next_action_on=payload.next_action_on,
        next_action=payload.next_action,
    )
    return Status(201, _out(request, claim))


@router.post(
    "/{int:claim_id}/status",
    response={200: ClaimDetailOut, **errors(403, 404, 409, 422)},
    summary="Move the claim to its next status, with a note",
)
def change_status(request: AuthedRequest, claim_id: int, payload: ClaimStatusIn) -> ClaimDetailOut:
    claim = _claim(request, claim_id)
    # what the client did not send is kept
    extra = {
        name: getattr(payload, name)
        for name in ("next_action_on", "next_action")
        if name in payload.model_fields_set
    }
    services.claim_update_status(
        claim=claim,
        changed_by=request.user,
        status=payload.status,
        note=payload.note,
        amount_awarded=payload.amount_awarded,
        expected_version=payload.version,
        **extra,
    )
    return _out(request, claim)
