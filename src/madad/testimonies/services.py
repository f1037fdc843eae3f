"""Writes about testimonies and consent, and the one question every sharing capability asks:
does a recorded consent cover this use?"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from madad.accounts.models import Organisation, User
from madad.core.audit import audit_record
from madad.incidents.models import Incident
from madad.people.models import Person
from madad.testimonies.models import (
    PURPOSES_WITH_RECIPIENT,
    ConsentDecision,
    ConsentPurpose,
    ConsentRecord,
    Language,
    Testimony,
)

TRANSCRIPT_MAX_CHARS = 200_000


def _check_date(value: object, field: str, errors: dict[str, list[str]]) -> None:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        errors[field] = [_("Enter a date.")]
    elif value > timezone.localdate():
        errors[field] = [_("The date cannot be in the future.")]


def testimony_record(
    *,
    person: Person,
    recorded_by: User,
    date: dt.date,
    language: str,
    transcript: str,
    incident: Incident | None = None,
    request: HttpRequest | None = None,
) -> Testimony:
    """Records a statement by `person`. The person, the incident and the recorder belong to one
    organisation; bad input raises ValidationError (by field) and writes nothing."""
    errors: dict[str, list[str]] = {}
    organisation_id = recorded_by.organisation_id
    if person.organisation_id != organisation_id:
        errors["person"] = [_("This person is not one of your organisation's records.")]
    if incident is not None and incident.organisation_id != organisation_id:
        errors["incident"] = [_("This incident is not one of your organisation's records.")]
    _check_date(date, "date", errors)
    if language not in Language.values:
        errors["language"] = [_("Choose one of the listed languages.")]
    text = (transcript or "").strip()
    if not text:
        errors["transcript"] = [_("Write down the statement, or a summary of a recording.")]
    elif len(text) > TRANSCRIPT_MAX_CHARS:
        errors["transcript"] = [
            _("A transcript has at most %(max)s characters.") % {"max": f"{TRANSCRIPT_MAX_CHARS:,}"}
        ]
    elif "\x00" in text:
        errors["transcript"] = [_("The text contains a character that cannot be stored.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        testimony = Testimony.objects.create(
            organisation_id=organisation_id,
            person=person,
            incident=incident,
            date=date,
            language=language,
            transcript=text,
            recorded_by=recorded_by,
        )
        audit_record(
            action="testimony.recorded",
            request=request,
            actor=recorded_by,
            obj=testimony,
            fields=["date", "incident", "language", "person", "transcript"],
        )
    return testimony


# --- Consent ---------------------------------------------------------------------------------
def _subject(person: Person | None, testimony: Testimony | None) -> tuple[Person, Testimony | None]:
    if (person is None) == (testimony is None):
        raise TypeError("Name either a person or a testimony.")
    if testimony is not None:
        return testimony.person, testimony
    return person, None  # type: ignore[return-value]


def _latest(
    *,
    person: Person,
    testimony: Testimony | None,
    purpose: str,
    recipient: Organisation | None,
    on: dt.date,
) -> ConsentRecord | None:
    """The decision in force on `on`: the latest of the person's decisions for all their records
    and, when a testimony is named, those for that testimony."""
    records = ConsentRecord.objects.filter(person=person, purpose=purpose, date__lte=on)
    if testimony is None:
        records = records.filter(testimony__isnull=True)
    else:
        records = records.filter(testimony__isnull=True) | records.filter(testimony=testimony)
    if purpose in PURPOSES_WITH_RECIPIENT:
        records = records.filter(recipient=recipient)
    return records.order_by("-date", "-recorded_at", "-id").first()


def consent_covers(
    *,
    purpose: str,
    person: Person | None = None,
    testimony: Testimony | None = None,
    recipient: Organisation | None = None,
    on: dt.date | None = None,
) -> bool:
    """True only if the latest decision for this purpose (and, for sharing with a human-rights
    organisation or referral to a partner, for this very recipient) made on or before `on`
    (default: today) is "given".

    For a testimony, decisions about that testimony and about all of the person's records both
    count, the latest winning: withdrawing everything ends the sharing of every testimony.
    Consent for one recipient never covers another, and a purpose that names its recipient
    asked without one is not covered; old referral consent that named no partner (before
    migration 0003) therefore covers none. Purposes without a named recipient ignore
    `recipient`. Unknown purposes cover nothing.
    """
    subject, scoped = _subject(person, testimony)
    if purpose not in ConsentPurpose.values:
        return False
    if purpose in PURPOSES_WITH_RECIPIENT and recipient is None:
        return False
    latest = _latest(
        person=subject,
        testimony=scoped,
        purpose=purpose,
        recipient=recipient,
        on=on or timezone.localdate(),
    )
    return latest is not None and latest.decision == ConsentDecision.GIVEN


def consent_recipients_covered(
    *,
    purpose: str,
    person: Person,
    on: dt.date | None = None,
) -> list[Organisation]:
    """The organisations that the person's consent for all their records covers for `purpose`
    on `on` (default: today), by name: for each recipient, the same answer as consent_covers.
    Empty for a purpose that names no recipient."""
    if purpose not in PURPOSES_WITH_RECIPIENT:
        return []
    records = (
        ConsentRecord.objects.filter(
            person=person,
            purpose=purpose,
            testimony__isnull=True,
            recipient__isnull=False,
            date__lte=on or timezone.localdate(),
        )
        .select_related("recipient")
        .order_by("-date", "-recorded_at", "-id")
    )
    latest: dict[int, ConsentRecord] = {}
    for record in records:  # newest first: the first seen for a recipient is in force
        if record.recipient_id is not None:
            latest.setdefault(record.recipient_id, record)
    covered = [
        record.recipient
        for record in latest.values()
        if record.decision == ConsentDecision.GIVEN and record.recipient is not None
    ]
    return sorted(covered, key=lambda organisation: organisation.name)


def _check_recipient(
    purpose: str, recipient: Organisation | None, errors: dict[str, list[str]]
) -> None:
    if purpose == ConsentPurpose.HUMAN_RIGHTS_SHARING:
        if recipient is None:
            errors["recipient"] = [_("Name the human-rights organisation this consent is for.")]
        elif recipient.kind != Organisation.Kind.HUMAN_RIGHTS:
            errors["recipient"] = [_("Choose a human-rights organisation.")]
    elif purpose == ConsentPurpose.REFERRAL:
        if recipient is None:
            errors["recipient"] = [
                _("Name the partner organisation this consent to referral is for.")
            ]
        elif not recipient.is_partner:
            errors["recipient"] = [_("Choose one of the partner organisations.")]
    elif recipient is not None:
        errors["recipient"] = [
            _(
                "Only consent to share with a human-rights organisation or to "
                "refer to a partner names a recipient."
            )
        ]


def _validate_consent(
    *,
    subject: Person,
    recorded_by: User,
    purpose: str,
    recipient: Organisation | None,
    date: dt.date,
) -> None:
    errors: dict[str, list[str]] = {}
    if subject.organisation_id != recorded_by.organisation_id:
        errors["person"] = [_("This person is not one of your organisation's records.")]
    if purpose not in ConsentPurpose.values:
        errors["purpose"] = [_("Choose one of the listed purposes.")]
    else:
        _check_recipient(purpose, recipient, errors)
    _check_date(date, "date", errors)
    if errors:
        raise ValidationError(errors)


def _consent_record(
    *,
    decision: str,
    person: Person | None,
    testimony: Testimony | None,
    purpose: str,
    recipient: Organisation | None,
    date: dt.date,
    recorded_by: User,
    request: HttpRequest | None,
) -> ConsentRecord:
    subject, scoped = _subject(person, testimony)
    _validate_consent(
        subject=subject, recorded_by=recorded_by, purpose=purpose, recipient=recipient, date=date
    )
    if purpose not in PURPOSES_WITH_RECIPIENT:
        recipient = None
    with transaction.atomic():
        # lock the person's row so that two decisions recorded at once are ordered
        Person.objects.select_for_update().filter(pk=subject.pk).exists()
        if decision == ConsentDecision.WITHDRAWN and not consent_covers(
            purpose=purpose,
            person=None if scoped else subject,
            testimony=scoped,
            recipient=recipient,
            on=date,
        ):
            raise ValidationError(
                {
                    "purpose": [
                        _("There is no consent in force for this purpose on that date to withdraw.")
                    ]
                }
            )
        record = ConsentRecord.objects.create(
            organisation_id=subject.organisation_id,
            person=subject,
            testimony=scoped,
            purpose=purpose,
            recipient=recipient,
            decision=decision,
            date=date,
            recorded_by=recorded_by,
        )
        audit_record(
            action=f"consent.{decision}",
            request=request,
            actor=recorded_by,
            obj=record,
            fields=["purpose", "recipient", "date"],
        )
    return record


def consent_give(
    *,
    purpose: str,
    recorded_by: User,
    date: dt.date,
    person: Person | None = None,
    testimony: Testimony | None = None,
    recipient: Organisation | None = None,
    request: HttpRequest | None = None,
) -> ConsentRecord:
    """Records that the person gave consent for `purpose`, for all their records or for one
    testimony. Sharing with a human-rights organisation and referral name the organisation
    (`recipient`: a human-rights organisation, or any partner organisation for a referral);
    other purposes name none. A new row: earlier decisions stay in the history."""
    return _consent_record(
        decision=ConsentDecision.GIVEN,
        person=person,
        testimony=testimony,
        purpose=purpose,
        recipient=recipient,
        date=date,
        recorded_by=recorded_by,
        request=request,
    )


def consent_withdraw(
    *,
    purpose: str,
    recorded_by: User,
    date: dt.date,
    person: Person | None = None,
    testimony: Testimony | None = None,
    recipient: Organisation | None = None,
    request: HttpRequest | None = None,
) -> ConsentRecord:
    """Records that the person withdrew consent for `purpose` (for a purpose that names its
    recipient: for that organisation only); from `date` on, consent_covers answers False.
    Refused (ValidationError) when no consent is in force to withdraw."""
    return _consent_record(
        decision=ConsentDecision.WITHDRAWN,
        person=person,
        testimony=testimony,
        purpose=purpose,
        recipient=recipient,
        date=date,
        recorded_by=recorded_by,
        request=request,
    )
