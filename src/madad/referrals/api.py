"""/api/v1/referrals: referrals to partner organisations, under consent.

Staff of the referring organisation list and send referrals for the cases they can see; a
partner user lists and answers the referrals sent to their organisation while the person's
consent is in force, and reads only what the referral shares (service, summary, given name and,
if shared, phone). A referral without consent is refused with 403 "no_consent". Keys the caller
may not read are absent, not empty. One referral carries the history of the partner's answers,
each with its own note, for whoever may see the referral; declining a referral the partner had
accepted needs a note (422 on "note" without one).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.db import models
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field, StrictBool, StrictInt

from madad import access
from madad.access.referrals import is_partner_user, may_send_referrals
from madad.accounts.models import User
from madad.api.errors import errors
from madad.api.pagination import paginated
from madad.cases.models import Case
from madad.core.http import AuthedRequest
from madad.core.refusals import NotAllowed, invalid
from madad.referrals import selectors, services
from madad.referrals.models import Referral

router = Router(tags=["referrals"])

ID = Field(ge=1, le=2**63 - 1)
VERSION = Field(default=None, ge=1, le=2_000_000_000)
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
    case: StrictInt = ID
    person: StrictInt = ID
    partner: StrictInt = ID
    service: str = Field(max_length=services.SERVICE_MAX)
    shared_summary: str = Field(default="", max_length=services.SUMMARY_MAX)
    share_phone: StrictBool = False


class ReferralAnswerIn(Schema):
    decision: Literal["accept", "decline", "complete"]
    note: str = Field(default="", max_length=services.NOTE_MAX)
    version: StrictInt | None = VERSION


class ReferralWithdrawIn(Schema):
    version: StrictInt | None = VERSION


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


class ReferralAnswerOut(Schema):
    """One answer of the partner: the status it moved the referral from and to, who answered,
    when, and the note written with that answer."""

    from_status: str
    status: str
    by: int
    at: dt.datetime
    note: str


class ReferralOut(ReferralSummary):
    """One referral: what it shares with the partner; who sent it, the case and the person
    only for the referring organisation (absent for the partner). `responded_by`,
    `responded_at` and `response_note` are the latest answer's; `answers` is every answer,
    oldest first, each with its own note."""

    shared_summary: str
    shared_given_name: str
    shared_phone: str
    sent_by: int | None = None
    responded_by: int | None
    response_note: str
    response_seen_at: dt.datetime | None = None
    answers: list[ReferralAnswerOut]


class ReferralFilters(Schema):
    case: int | None = Field(default=None, ge=1, le=2**63 - 1)
    status: Referral.Status | None = None


def _value(value: Any) -> Any:
    return value.pk if isinstance(value, models.Model) else value


def _summary(user: User, referral: Referral) -> dict[str, Any]:
    readable = access.readable_fields(user, Referral)
    return {name: _value(getattr(referral, name)) for name in LIST_FIELDS if name in readable}


def _out(request: AuthedRequest, referral: Referral) -> dict[str, Any]:
    user = request.user
    shown = access.reveal(user, referral, action="referral.shared.viewed")
    out = {name: _value(value) for name, value in shown.items()}
    out["answers"] = [
        ReferralAnswerOut(
            from_status=item.answer.from_status,
            status=item.answer.to_status,
            by=item.answer.by_id,
            at=item.answer.at,
            note=item.note,
        )
        for item in selectors.referral_answers(user=user, referrals=[referral])[referral.pk]
    ]
    return out


def _referral(request: AuthedRequest, referral_id: int) -> Referral:
    return access.get_visible_or_404(request.user, Referral, pk=referral_id)


@router.get(
    "",
    response={200: list[ReferralSummary], **errors(404)},
    exclude_unset=True,
    summary="Referrals you may see (a partner: those sent to your organisation; "
    "without case and person)",
)
@paginated
def list_referrals(request: AuthedRequest, filters: Query[ReferralFilters]) -> Any:
    user = request.user
    case = None
    if filters.case is not None:
        case = access.get_visible_or_404(user, Case, pk=filters.case)
    referrals = (
        selectors.partner_inbox(user=user)
        if is_partner_user(user) and case is None
        else selectors.referral_list(user=user, case=case)
    )
    if filters.status:
        referrals = referrals.filter(status=filters.status)
    return [_summary(user, referral) for referral in referrals]


@router.get(
    "/{int:referral_id}",
    response={200: ReferralOut, **errors(404)},
    exclude_unset=True,
    summary="One referral, with what it shares and the partner's answers (the read is audited)",
)
def get_referral(request: AuthedRequest, referral_id: int) -> dict[str, Any]:
    return _out(request, _referral(request, referral_id))


@router.post(
    "",
    response={201: ReferralOut, **errors(403, 404, 422)},
    exclude_unset=True,
    summary="Refer a member of a case's household",
)
def send_referral(request: AuthedRequest, payload: ReferralIn) -> Status[dict[str, Any]]:
    user = request.user
    case = access.get_visible_or_404(user, Case, pk=payload.case)
    if not may_send_referrals(user):
        raise NotAllowed(_("Your role cannot send referrals."))
    person = services.household_persons(case).filter(pk=payload.person).first()
    if person is None:
        raise invalid("person", _("Choose a member of this case's household."))
    partner = services.referral_partners().filter(pk=payload.partner).first()
    if partner is None:
        raise invalid("partner", _("Choose one of the partner organisations."))
    referral = services.referral_send(
        case=case,
        person=person,
        partner=partner,
        service=payload.service,
        shared_summary=payload.shared_summary,
        share_phone=payload.share_phone,
        sent_by=user,
    )
    return Status(201, _out(request, referral))


@router.post(
    "/{int:referral_id}/respond",
    response={200: ReferralOut, **errors(403, 404, 409, 422)},
    exclude_unset=True,
    summary="Accept, decline or complete a referral sent to your organisation",
)
def respond(request: AuthedRequest, referral_id: int, payload: ReferralAnswerIn) -> dict[str, Any]:
    referral = _referral(request, referral_id)
    services.referral_respond(
        referral=referral,
        responded_by=request.user,
        decision=payload.decision,
        note=payload.note,
        expected_version=payload.version,
    )
    return _out(request, referral)


@router.post(
    "/{int:referral_id}/withdraw",
    response={200: ReferralOut, **errors(403, 404, 409)},
    exclude_unset=True,
    summary="Withdraw a referral your organisation sent",
)
def withdraw(
    request: AuthedRequest, referral_id: int, payload: ReferralWithdrawIn
) -> dict[str, Any]:
    referral = _referral(request, referral_id)
    services.referral_withdraw(
        referral=referral, withdrawn_by=request.user, expected_version=payload.version
    )
    return _out(request, referral)
