"""/api/v1/referrals: referrals to partner organisations, under consent.

Staff of the referring organisation list and send referrals for the cases they can see; a
partner user lists and answers the referrals sent to their organisation while the person's
consent is in force, and reads only what the referral shares (service, summary, given name and,
if shared, phone). A referral without consent is refused with 403 "no_consent". Keys the caller
may not read are absent, not empty.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from madad import access
from madad.access.referrals import is_partner_user, may_send_referrals
from madad.api.errors import ApiError
from madad.api.pagination import paginated
from madad.cases.models import Case
from madad.referrals import selectors, services
from madad.referrals.models import Referral

router = Router(tags=["referrals"])

ID = Field(ge=1, le=2**63 - 1)
# Plain (not encrypted) fields a list may show; the readable ones for the caller are kept.
LIST_FIELDS = (
    "id",
    "organisation",
    "partner",
    "case",
    "person",
    "service",
    "status",
    "sent_at",
    "responded_at",
    "withdrawn_at",
    "version",
)


class ReferralIn(Schema):
    case: int = ID
    person: int = ID
    partner: int = ID
    service: str = Field(max_length=services.SERVICE_MAX)
    shared_summary: str = Field(default="", max_length=services.SUMMARY_MAX)
    share_phone: bool = False


class RespondIn(Schema):
    decision: Literal["accept", "decline", "complete"]
    note: str = Field(default="", max_length=services.NOTE_MAX)
    version: int | None = Field(default=None, ge=1, le=2_000_000_000)


class WithdrawIn(Schema):
    version: int | None = Field(default=None, ge=1, le=2_000_000_000)


class ReferralSummary(Schema):
    id: int
    organisation: int
    partner: int
    case: int | None = None
    person: int | None = None
    service: str
    status: str
    sent_at: dt.datetime
    responded_at: dt.datetime | None
    withdrawn_at: dt.datetime | None
    version: int


class Filters(Schema):
    case: int | None = Field(default=None, ge=1, le=2**63 - 1)
    status: Referral.Status | None = None


def _value(value: Any) -> Any:
    return value.pk if hasattr(value, "pk") else value


def _summary(user: Any, referral: Referral) -> dict[str, Any]:
    readable = access.readable_fields(user, Referral)
    return {name: _value(getattr(referral, name)) for name in LIST_FIELDS if name in readable}


def _out(request: HttpRequest, referral: Referral) -> dict[str, Any]:
    shown = access.reveal(
        request.user,
        referral,
        request=request,  # type: ignore[arg-type]
        action="referral.shared.viewed",
    )
    return {name: _value(value) for name, value in shown.items()}


def _call(action: Any) -> Any:
    try:
        return action()
    except services.ReferralConflict as exc:
        raise ApiError(409, exc.code, exc.message) from None
    except services.ReferralError as exc:
        raise ApiError(403, exc.code, exc.message) from None


@router.get(
    "",
    response=list[ReferralSummary],
    exclude_unset=True,
    summary="Referrals you may see (a partner: those sent to your organisation; "
    "without case and person)",
)
@paginated
def list_referrals(request: HttpRequest, filters: Query[Filters]) -> Any:
    user = request.user
    case = None
    if filters.case is not None:
        case = access.get_visible_or_404(user, Case, request=request, pk=filters.case)
    referrals = (
        selectors.partner_inbox(user=user)
        if is_partner_user(user) and case is None
        else selectors.referral_list(user=user, case=case)
    )
    if filters.status:
        referrals = referrals.filter(status=filters.status)
    return [_summary(user, referral) for referral in referrals]


@router.get("/{int:referral_id}", summary="One referral, with what it shares (the read is audited)")
def get_referral(request: HttpRequest, referral_id: int) -> dict[str, Any]:
    referral = access.get_visible_or_404(request.user, Referral, request=request, pk=referral_id)
    return _out(request, referral)


@router.post("", response={201: dict}, summary="Refer a member of a case's household")
def send_referral(request: HttpRequest, payload: ReferralIn) -> Status[dict[str, Any]]:
    user = request.user
    case = access.get_visible_or_404(user, Case, request=request, pk=payload.case)
    if not may_send_referrals(user):
        raise ApiError(403, "forbidden", _("Your role cannot send referrals."))
    person = services.household_persons(case).filter(pk=payload.person).first()
    if person is None:
        raise ApiError(
            422,
            "invalid",
            _("The request has errors."),
            {"person": [_("Choose a member of this case's household.")]},
        )
    partner = services.referral_partners().filter(pk=payload.partner).first()
    if partner is None:
        raise ApiError(
            422,
            "invalid",
            _("The request has errors."),
            {"partner": [_("Choose one of the partner organisations.")]},
        )
    referral = _call(
        lambda: services.referral_send(
            case=case,
            person=person,
            partner=partner,
            service=payload.service,
            shared_summary=payload.shared_summary,
            share_phone=payload.share_phone,
            sent_by=user,
            request=request,
        )
    )  # type: ignore[arg-type]
    return Status(201, _out(request, referral))


@router.post(
    "/{int:referral_id}/respond",
    response=dict,
    summary="Accept, decline or complete a referral sent to your organisation",
)
def respond(request: HttpRequest, referral_id: int, payload: RespondIn) -> dict[str, Any]:
    referral = access.get_visible_or_404(request.user, Referral, request=request, pk=referral_id)
    _call(
        lambda: services.referral_respond(
            referral=referral,
            responded_by=request.user,  # type: ignore[arg-type]
            decision=payload.decision,
            note=payload.note,
            expected_version=payload.version,
            request=request,
        )
    )
    return _out(request, referral)


@router.post(
    "/{int:referral_id}/withdraw",
    response=dict,
    summary="Withdraw a referral your organisation sent",
)
def withdraw(request: HttpRequest, referral_id: int, payload: WithdrawIn) -> dict[str, Any]:
    referral = access.get_visible_or_404(request.user, Referral, request=request, pk=referral_id)
    _call(
        lambda: services.referral_withdraw(
            referral=referral,
            withdrawn_by=request.user,  # type: ignore[arg-type]
            expected_version=payload.version,
            request=request,
        )
    )
    return _out(request, referral)
