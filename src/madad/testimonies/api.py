"""/api/v1/testimonies: testimonies (the transcript only in one testimony's answer, audited)
and consent decisions."""

# No `from __future__ import annotations` here: django-ninja resolves the QueryId alias of
# query and form parameters from real annotations, not strings.
import datetime as dt
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import Router, Schema, Status
from pydantic import Field

from madad import access
from madad.access.roles import Capability
from madad.accounts.models import Organisation
from madad.api.errors import errors
from madad.api.pagination import paginated
from madad.api.records import named
from madad.api.types import IsoDate, QueryId, RecordId
from madad.core.http import AuthedRequest
from madad.core.refusals import NotAllowed, invalid
from madad.evidence.selectors import evidence_list
from madad.incidents.models import Incident
from madad.people.models import Person
from madad.testimonies import selectors, services
from madad.testimonies.models import (
    ConsentDecision,
    ConsentPurpose,
    ConsentRecord,
    Language,
    Testimony,
)

router = Router(tags=["testimonies"])

# A record number: a positive 64-bit integer (a larger one would overflow the database).


class TestimonyIn(Schema):
    person: RecordId
    incident: RecordId | None = None
    date: IsoDate
    language: Language
    transcript: str = Field(min_length=1, max_length=services.TRANSCRIPT_MAX_CHARS)


class TestimonySummary(Schema):
    id: int
    person: int = Field(validation_alias="person_id")
    incident: int | None = Field(validation_alias="incident_id")
    date: IsoDate
    language: str
    recorded_by: int = Field(validation_alias="recorded_by_id")
    recorded_at: dt.datetime


class ConsentIn(Schema):
    person: RecordId | None = None
    testimony: RecordId | None = None
    purpose: ConsentPurpose
    decision: ConsentDecision
    recipient: RecordId | None = Field(
        default=None,
        description="The organisation the consent names: required for human_rights_sharing "
        "(a human-rights organisation) and for referral (a partner organisation "
        "of any kind); absent for the other purposes.",
    )
    date: IsoDate


class ConsentOut(Schema):
    id: int
    person: int = Field(validation_alias="person_id")
    testimony: int | None = Field(validation_alias="testimony_id")
    purpose: str
    recipient: int | None = Field(validation_alias="recipient_id")
    decision: str
    date: IsoDate
    recorded_by: int = Field(validation_alias="recorded_by_id")
    recorded_at: dt.datetime


class TestimonyOut(TestimonySummary):
    transcript: str | None = Field(description="Only for a role that may read transcripts")
    attachments: list[int] = Field(description="Evidence file numbers")


class ConsentCoversOut(Schema):
    covered: bool


NOT_VISIBLE = {
    "person": gettext_noop("There is no person with this number that you may see."),
    "incident": gettext_noop("There is no incident with this number that you may see."),
}


def _subject(
    request: AuthedRequest, person_id: int | None, testimony_id: int | None
) -> tuple[Person, Testimony | None]:
    """The person (or testimony) a consent question is about, or 404 if the caller may not see
    it; exactly one of the two must be named."""
    if (person_id is None) == (testimony_id is None):
        raise invalid("person", _("Name either a person or a testimony."))
    if testimony_id is not None:
        testimony = access.get_visible_or_404(request.user, Testimony, pk=testimony_id)
        return testimony.person, testimony
    return access.get_visible_or_404(request.user, Person, pk=person_id), None


def _may_read_consent(request: AuthedRequest) -> None:
    if not (
        access.can(request.user, Capability.TESTIMONY_VIEW)
        or access.can(request.user, Capability.CONSENT_RECORD)
    ):
        raise NotAllowed(_("Your role cannot read consent decisions."))


@router.get("", response={200: list[TestimonySummary]}, summary="Testimonies you may see")
@paginated
def list_testimonies(
    request: AuthedRequest, person: QueryId | None = None, incident: QueryId | None = None
) -> Any:
    testimonies = selectors.testimony_list(user=request.user)
    if person is not None:
        testimonies = testimonies.filter(person_id=person)
    if incident is not None:
        testimonies = testimonies.filter(incident_id=incident)
    return testimonies


def _testimony_out(request: AuthedRequest, testimony: Testimony) -> TestimonyOut:
    data = TestimonySummary.model_validate(testimony).model_dump()
    shown = access.reveal(
        request.user, testimony, wanted=["transcript"], action="testimony.transcript.viewed"
    )
    data["transcript"] = shown.get("transcript")
    data["attachments"] = list(
        evidence_list(user=request.user, testimony=testimony).values_list("pk", flat=True)
    )
    return TestimonyOut.model_validate(data, by_name=True)


@router.get(
    "/{int:testimony_id}",
    response={200: TestimonyOut, **errors(404)},
    summary="One testimony with its transcript (the read is audited)",
)
def get_testimony(request: AuthedRequest, testimony_id: int) -> TestimonyOut:
    testimony = access.get_visible_or_404(request.user, Testimony, pk=testimony_id)
    return _testimony_out(request, testimony)


@router.post(
    "",
    response={201: TestimonyOut, **errors(403, 422)},
    summary="Record a testimony",
)
def record_testimony(request: AuthedRequest, payload: TestimonyIn) -> Status[TestimonyOut]:
    if not access.can(request.user, Capability.TESTIMONY_EDIT):
        raise NotAllowed(_("Your role cannot record testimonies."))
    person = named(request.user, Person, payload.person, "person", _(NOT_VISIBLE["person"]))
    incident = None
    if payload.incident is not None:
        incident = named(
            request.user, Incident, payload.incident, "incident", _(NOT_VISIBLE["incident"])
        )
    testimony = services.testimony_record(
        person=person,
        incident=incident,
        recorded_by=request.user,
        date=payload.date,
        language=payload.language,
        transcript=payload.transcript,
    )
    return Status(201, _testimony_out(request, testimony))


@router.get(
    "/consent",
    response={200: list[ConsentOut], **errors(403, 404, 422)},
    summary="Consent decisions that apply to a person or a testimony, newest first",
)
@paginated
def list_consent(
    request: AuthedRequest, person: QueryId | None = None, testimony: QueryId | None = None
) -> Any:
    subject, scoped = _subject(request, person, testimony)
    _may_read_consent(request)
    return selectors.consent_history(user=request.user, person=subject, testimony=scoped)


@router.get(
    "/consent/covers",
    response={200: ConsentCoversOut, **errors(403, 404, 422)},
    summary="Whether the consent in force today covers a purpose",
)
def consent_covers(
    request: AuthedRequest,
    purpose: ConsentPurpose,
    person: QueryId | None = None,
    testimony: QueryId | None = None,
    recipient: QueryId | None = None,
) -> ConsentCoversOut:
    subject, scoped = _subject(request, person, testimony)
    _may_read_consent(request)
    organisation = Organisation.objects.filter(pk=recipient).first() if recipient else None
    covered = services.consent_covers(
        person=None if scoped else subject,
        testimony=scoped,
        purpose=purpose,
        recipient=organisation,
    )
    return ConsentCoversOut(covered=covered)


@router.post(
    "/consent",
    response={201: ConsentOut, **errors(403, 404, 422)},
    summary="Record a consent decision (given or withdrawn)",
)
def record_consent(request: AuthedRequest, payload: ConsentIn) -> Status[ConsentRecord]:
    # first the record (404 for those who may not see it), then the capability (403)
    person, testimony = _subject(request, payload.person, payload.testimony)
    if not access.can(request.user, Capability.CONSENT_RECORD):
        raise NotAllowed(_("Your role cannot record consent."))
    recipient = None
    if payload.recipient is not None:
        recipient = (
            selectors.consent_recipients(purpose=payload.purpose)
            .filter(pk=payload.recipient)
            .first()
        )
        if recipient is None:
            raise invalid("recipient", services.recipient_refusal(payload.purpose))
    record = services.consent_decide(
        decision=payload.decision,
        person=None if testimony else person,
        testimony=testimony,
        purpose=payload.purpose,
        recipient=recipient,
        date=payload.date,
        recorded_by=request.user,
    )
    return Status(201, record)
