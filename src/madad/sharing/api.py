"""/api/v1/grants: access grants, as the access policy shows them (madad.access.sharing).

A coordinator of the granting organisation lists its grants and reads each, with its records
and whether consent holds for each today, and may revoke one. A grantee lists the grants in
force that name them and reads each granted record's opened fields; every read is audited
("grant.record.viewed"), and a record whose grant is not in force, or whose consent was
withdrawn, answers 404 from the very next request. People are never named: no key carries a
name, an identity number, a phone number, an address, a source or an alleged perpetrator. A
case is read as its summary: status, the months it was opened and closed ("YYYY-MM"), and
counts (assistance by kind, referrals and claims by status), never an amount or a partner.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema
from pydantic import Field, StrictInt

from madad import access
from madad.access.sharing import ids_in_force, is_grantee, may_manage_grants
from madad.api.errors import errors
from madad.api.pagination import paginated
from madad.core.http import AuthedRequest
from madad.core.refusals import NotVisible
from madad.sharing import services
from madad.sharing.grantee import case_summary, general_place, month_of
from madad.sharing.models import Grant, GrantedRecord

router = Router(tags=["sharing"])

VERSION = Field(default=None, ge=1, le=2_000_000_000)


class GrantSummary(Schema):
    id: int
    organisation: int
    grantee: int
    purpose: str
    valid_from: dt.date
    valid_until: dt.date
    status: str
    records: int


class GrantedRecordOut(Schema):
    """A record of a grant: its number within the grant and its kind. `consent_in_force`
    (for the granting organisation only) says whether the people in it still consent."""

    id: int
    kind: str
    consent_in_force: bool | None = None


class GrantOut(GrantSummary):
    share_transcripts: bool
    share_descriptions: bool
    downloads_allowed: bool
    left_out: int | None = None
    version: int | None = None
    items: list[GrantedRecordOut]


class CaseSummaryOut(Schema):
    """A case's counts: assistance approved or delivered by kind, referrals and government
    compensation claims by status (codes as keys)."""

    assistance: dict[str, int]
    referrals: dict[str, int]
    claims: dict[str, int]


class SharedRecordOut(Schema):
    """What a grant opens of one record. Keys the grant does not open are absent. A case's
    `opened_at` and `closed_at` are months ("YYYY-MM"); `closed_at` is null while it is open."""

    id: int
    grant: int
    kind: str
    date: dt.date | None = None
    language: str | None = None
    transcript: str | None = None
    start_date: dt.date | None = None
    start_precision: str | None = None
    types: list[str] | None = None
    place: str | None = None
    status: str | None = None
    public_summary: str | None = None
    description: str | None = None
    content_type: str | None = None
    size: int | None = None
    evidence_kind: str | None = None
    uploaded_at: dt.date | None = None
    opened_at: str | None = None
    closed_at: str | None = None
    summary: CaseSummaryOut | None = None


class RevokeIn(Schema):
    reason: str = Field(min_length=1, max_length=services.REASON_MAX_CHARS)
    version: StrictInt | None = VERSION


def _records(request: AuthedRequest, grant: Grant) -> list[GrantedRecord]:
    return list(
        access.visible_to(request.user, GrantedRecord)
        .filter(grant=grant)
        .select_related("testimony", "incident", "evidence__testimony", "case")
    )


def _summary(request: AuthedRequest, grant: Grant) -> dict[str, Any]:
    return {
        "id": grant.pk,
        "organisation": grant.organisation_id,
        "grantee": grant.grantee_id,
        "purpose": grant.purpose,
        "valid_from": grant.valid_from,
        "valid_until": grant.valid_until,
        "status": grant.status,
        "records": len(_records(request, grant)),
    }


def _grant_out(request: AuthedRequest, grant: Grant) -> dict[str, Any]:
    manager = may_manage_grants(request.user)
    in_force = ids_in_force(grant) if manager else set()
    items = [
        {
            "id": record.pk,
            "kind": record.kind,
            **({"consent_in_force": record.pk in in_force} if manager else {}),
        }
        for record in _records(request, grant)
    ]
    out = {
        **_summary(request, grant),
        "share_transcripts": grant.share_transcripts,
        "share_descriptions": grant.share_descriptions,
        "downloads_allowed": grant.downloads_allowed,
        "items": items,
    }
    if manager:
        out.update(left_out=grant.left_out, version=grant.version)
    return out


@router.get(
    "",
    response={200: list[GrantSummary]},
    summary="Grants you may see: your organisation's (coordinators) or those in force that "
    "name you (grantees)",
)
@paginated
def list_grants(request: AuthedRequest) -> Any:
    grants = access.visible_to(request.user, Grant).order_by("-created_at", "-id")
    return [_summary(request, grant) for grant in grants]


@router.get(
    "/{int:grant_id}",
    response={200: GrantOut, **errors(404)},
    exclude_unset=True,
    summary="One grant and its records",
)
def get_grant(request: AuthedRequest, grant_id: int) -> dict[str, Any]:
    grant = access.get_visible_or_404(request.user, Grant, pk=grant_id)
    return _grant_out(request, grant)


@router.get(
    "/records/{int:record_id}",
    response={200: SharedRecordOut, **errors(404)},
    exclude_unset=True,
    summary="What a grant in force opens of one record, for its grantee (the read is audited)",
)
def get_shared_record(request: AuthedRequest, record_id: int) -> dict[str, Any]:
    user = request.user
    granted = access.get_visible_or_404(user, GrantedRecord, pk=record_id)
    if not is_grantee(user):
        # the granting organisation reads its own records through their own endpoints
        raise NotVisible(_("Not found."))
    values = access.reveal_granted(user, granted)
    if "types" in values:
        values["types"] = [kind.code for kind in values["types"]]
    if "place" in values:
        place = general_place(values["place"])
        values["place"] = place.name if place is not None else None
    if granted.case_id is not None:
        for name in ("opened_at", "closed_at"):
            if name in values:
                month = month_of(values[name])
                values[name] = month.strftime("%Y-%m") if month is not None else None
        values["summary"] = case_summary(granted.case_id)
    if granted.kind == GrantedRecord.Kind.EVIDENCE and "kind" in values:
        values["evidence_kind"] = values.pop("kind")
    if values.get("uploaded_at") is not None:
        values["uploaded_at"] = timezone.localtime(values["uploaded_at"]).date()  # as the page
    return {**values, "id": granted.pk, "grant": granted.grant_id, "kind": granted.kind}


@router.post(
    "/{int:grant_id}/revoke",
    response={200: GrantOut, **errors(403, 404, 409, 422)},
    exclude_unset=True,
    summary="Revoke a grant: from the next request its grantees find nothing",
)
def revoke_grant(request: AuthedRequest, grant_id: int, payload: RevokeIn) -> dict[str, Any]:
    grant = access.get_visible_or_404(request.user, Grant, pk=grant_id)
    services.grant_revoke(
        grant=grant, actor=request.user, reason=payload.reason, version=payload.version
    )
    grant.refresh_from_db()
    return _grant_out(request, grant)
