"""/api/v1/testimonies: testimonies (the transcript only in one testimony's answer, audited)
and consent decisions."""

# No `from __future__ import annotations` here: django-ninja resolves the RecordId alias of
# query and form parameters from real annotations, not strings.
import datetime as dt
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from madad import access
from madad.access.roles import Capability
from madad.accounts.models import Organisation
from madad.api.errors import ApiError
from madad.api.pagination import paginated
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
RecordId = Annotated[int, Field(ge=1, le=2**63 - 1)]


class TestimonyIn(Schema):
    person: RecordId
    incident: RecordId | None = None
    date: dt.date
    language: Language
    transcript: str = Field(min_length=1, max_length=services.TRANSCRIPT_MAX_CHARS)


class TestimonySummary(Schema):
    id: int
    person: int = Field(validation_alias="person_id")
    incident: int | None = Field(validation_alias="incident_id")
    date: dt.date
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
    date: dt.date


class ConsentOut(Schema):
    id: int
    person: int = Field(validation_alias="person_id")
    testimony: int | None = Field(validation_alias="testimony_id")
    purpose: str
    recipient: int | None = Field(validation_alias="recipient_id")
    decision: str
    date: dt.date
    recorded_by: int = Field(validation_alias="recorded_by_id")
    recorded_at: dt.datetime


def _recipient_refused(purpose: str) -> ApiError:
    if purpose == ConsentPurpose.HUMAN_RIGHTS_SHARING:
        message = _("Choose a human-rights organisation.")
    elif purpose == ConsentPurpose.REFERRAL:
        message = _("Choose one of the partner organisations.")
    else:
        message = _(
            "Only consent to share with a human-rights organisation or to refer to a "
            "partner names a recipient."
        )
    return _not_visible("recipient", message)


def _invalid(exc: ValidationError) -> ApiError:
    return ApiError(
        422,
        "invalid",
        _("The request has errors."),
        {k: [str(m) for m in v] for k, v in exc.message_dict.items()},
    )


def _not_visible(field: str, message: str) -> ApiError:
    return ApiError(422, "invalid", _("The request has errors."), {field: [message]})


def _visible(request: HttpRequest, model: type, pk: int | None) -> Any:
    return None if pk is None else access.visible_to(request.user, model).filter(pk=pk).first()


def _subject(
    request: HttpRequest, person_id: int | None, testimony_id: int | None
) -> tuple[Person, Testimony | None]:
    """The person (or testimony) a consent question is about, or 404 if the caller may not see
    it; exactly one of the two must be named."""
    if (person_id is None) == (testimony_id is None):
        raise ApiError(
            422,
            "invalid",
            _("The request has errors."),
            {"person": [_("Name either a person or a testimony.")]},
        )
    if testimony_id is not None:
        testimony = access.get_visible_or_404(
            request.user, Testimony, request=request, pk=testimony_id
        )
        return testimony.person, testimony
    person = access.get_visible_or_404(request.user, Person, request=request, pk=person_id)
    return person, None


def _may_read_consent(request: HttpRequest) -> None:
    if not (
        access.can(request.user, Capability.TESTIMONY_VIEW)
        or access.can(request.user, Capability.CONSENT_RECORD)
    ):
        raise ApiError(403, "forbidden", _("Your role cannot read consent decisions."))


@router.get("", response=list[TestimonySummary], summary="Testimonies you may see")
@paginated
def list_testimonies(
    request: HttpRequest, person: RecordId | None = None, incident: RecordId | None = None
) -> Any:
    testimonies = selectors.testimony_list(user=request.user)
    if person is not None:
        testimonies = testimonies.filter(person_id=person)
    if incident is not None:
        testimonies = testimonies.filter(incident_id=incident)
    return testimonies


def _testimony_out(request: HttpRequest, testimony: Testimony) -> dict[str, Any]:
    data = TestimonySummary.model_validate(testimony).model_dump()
    shown = access.reveal(
        request.user,
        testimony,
        request=request,  # type: ignore[arg-type]
        wanted=["transcript"],
        action="testimony.transcript.viewed",
    )
    data["transcript"] = shown.get("transcript")
    from madad.evidence.selectors import evidence_list

    data["attachments"] = list(
        evidence_list(user=request.user, testimony=testimony).values_list("pk", flat=True)
    )
    return data


@router.get(
    "/{int:testimony_id}", summary="One testimony with its transcript (the read is audited)"
)
def get_testimony(request: HttpRequest, testimony_id: int) -> dict[str, Any]:
    testimony = access.get_visible_or_404(request.user, Testimony, request=request, pk=testimony_id)
    return _testimony_out(request, testimony)


@router.post("", response={201: dict}, summary="Record a testimony")
def record_testimony(request: HttpRequest, payload: TestimonyIn) -> Status[dict[str, Any]]:
    if not access.can(request.user, Capability.TESTIMONY_EDIT):
        raise ApiError(403, "forbidden", _("Your role cannot record testimonies."))
    person = _visible(request, Person, payload.person)
    if person is None:
        raise _not_visible("person", _("There is no person with this number that you may see."))
    incident = _visible(request, Incident, payload.incident)
    if payload.incident is not None and incident is None:
        raise _not_visible("incident", _("There is no incident with this number that you may see."))
    try:
        testimony = services.testimony_record(
            person=person,
            incident=incident,
            recorded_by=request.user,  # type: ignore[arg-type]
            date=payload.date,
            language=payload.language,
            transcript=payload.transcript,
            request=request,
        )
    except ValidationError as exc:
        raise _invalid(exc) from None
    return Status(201, _testimony_out(request, testimony))


@router.get(
    "/consent",
    response=list[ConsentOut],
    summary="Consent decisions that apply to a person or a testimony, newest first",
)
@paginated
def list_consent(
    request: HttpRequest, person: RecordId | None = None, testimony: RecordId | None = None
) -> Any:
    subject, scoped = _subject(request, person, testimony)
    _may_read_consent(request)
    return selectors.consent_history(user=request.user, person=subject, testimony=scoped)


@router.get("/consent/covers", summary="Whether the consent in force today covers a purpose")
def consent_covers(
    request: HttpRequest,
    purpose: ConsentPurpose,
    person: RecordId | None = None,
    testimony: RecordId | None = None,
    recipient: RecordId | None = None,
) -> dict[str, Any]:
    subject, scoped = _subject(request, person, testimony)
    _may_read_consent(request)
    organisation = Organisation.objects.filter(pk=recipient).first() if recipient else None
    covered = services.consent_covers(
        person=None if scoped else subject,
        testimony=scoped,
        purpose=purpose,
        recipient=organisation,
    )
    return {"covered": covered}


@router.post(
    "/consent", response={201: ConsentOut}, summary="Record a consent decision (given or withdrawn)"
)
def record_consent(request: HttpRequest, payload: ConsentIn) -> Status[ConsentRecord]:
    # first the record (404 for those who may not see it), then the capability (403)
    person, testimony = _subject(request, payload.person, payload.testimony)
    if not access.can(request.user, Capability.CONSENT_RECORD):
        raise ApiError(403, "forbidden", _("Your role cannot record consent."))
    recipient = None
    if payload.recipient is not None:
        recipient = (
            selectors.consent_recipients(purpose=payload.purpose)
            .filter(pk=payload.recipient)
            .first()
        )
        if recipient is None:
            raise _recipient_refused(payload.purpose)
    decide = (
        services.consent_give
        if payload.decision == ConsentDecision.GIVEN
        else services.consent_withdraw
    )
    try:
        record = decide(
            person=None if testimony else person,
            testimony=testimony,
            purpose=payload.purpose,
            recipient=recipient,
            date=payload.date,
            recorded_by=request.user,  # type: ignore[arg-type]
            request=request,
        )
    except ValidationError as exc:
        raise _invalid(exc) from None
    return Status(201, record)
