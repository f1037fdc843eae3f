"""Writes about testimonies and consent, and the one question every sharing capability asks:
does a recorded consent cover this use?"""

from __future__ import annotations

import datetime as dt
from typing import NotRequired, TypedDict, Unpack

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from madad.accounts.models import Organisation, User
from madad.core import validation
from madad.core.audit import audit_record
from madad.core.refusals import Errors, invalid
from madad.incidents.models import Incident
from madad.people.models import Person
from madad.testimonies.models import (
    PURPOSES_WITH_RECIPIENT,
    ConsentDecision,
    ConsentPurpose,
    ConsentRecord,
    Language,
    Testimony,
    decision_in_force,
)

TRANSCRIPT_MAX_CHARS = 200_000


# A record of another organisation named in a form or a request body, by field.
_NOT_YOURS = {
    "person": gettext_lazy("This person is not one of your organisation's records."),
    "incident": gettext_lazy("This incident is not one of your organisation's records."),
}


def _same_organisation(
    record: Person | Incident | None, field: str, user: User, errors: Errors
) -> None:
    if record is not None and record.organisation_id != user.organisation_id:
        errors.add(field, str(_NOT_YOURS[field]))


def testimony_record(
    *,
    person: Person,
    recorded_by: User,
    date: dt.date,
    language: str,
    transcript: str,
    incident: Incident | None = None,
) -> Testimony:
    """Records a statement by `person`. The person, the incident and the recorder belong to one
    organisation; bad input raises `Invalid` (by field) and writes nothing."""
    errors = Errors()
    _same_organisation(person, "person", recorded_by, errors)
    _same_organisation(incident, "incident", recorded_by, errors)
    validation.date(date, "date", errors, required=True, not_future=True)
    validation.choice(language, "language", errors, Language.values)
    text = validation.text(
        transcript, "transcript", errors, max_length=TRANSCRIPT_MAX_CHARS, multiline=True
    )
    if not text and "transcript" not in errors:
        errors.add("transcript", _("Write down the statement, or a summary of a recording."))
    errors.raise_if()
    with transaction.atomic():
        testimony = Testimony.objects.create(
            organisation_id=recorded_by.organisation_id,
            person=person,
            incident=incident,
            date=date,
            language=language,
            transcript=text,
            recorded_by=recorded_by,
        )
        audit_record(
            action="testimony.recorded",
            actor=recorded_by,
            obj=testimony,
            fields=["date", "incident", "language", "person", "transcript"],
        )
    return testimony


# --- Consent ---------------------------------------------------------------------------------
def _subject(person: Person | None, testimony: Testimony | None) -> tuple[Person, Testimony | None]:
    if testimony is not None and person is None:
        return testimony.person, testimony
    if person is not None and testimony is None:
        return person, None
    raise TypeError("Name either a person or a testimony.")


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
    latest = decision_in_force(
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


def _recipient_missing(purpose: str) -> str | None:
    """Why `purpose` needs a recipient named, if it does."""
    if purpose == ConsentPurpose.HUMAN_RIGHTS_SHARING:
        return _("Name the human-rights organisation this consent is for.")
    if purpose == ConsentPurpose.REFERRAL:
        return _("Name the partner organisation this consent to referral is for.")
    return None


def recipient_refusal(purpose: str) -> str:
    """Why `purpose` does not take the organisation named as its recipient."""
    if purpose == ConsentPurpose.HUMAN_RIGHTS_SHARING:
        return _("Choose a human-rights organisation.")
    if purpose == ConsentPurpose.REFERRAL:
        return _("Choose one of the partner organisations.")
    return _(
        "Only consent to share with a human-rights organisation or to refer to a partner names "
        "a recipient."
    )


def _recipient_fits(purpose: str, recipient: Organisation) -> bool:
    if purpose == ConsentPurpose.HUMAN_RIGHTS_SHARING:
        return recipient.kind == Organisation.Kind.HUMAN_RIGHTS
    if purpose == ConsentPurpose.REFERRAL:
        return bool(recipient.is_partner)
    return False


def _check_recipient(purpose: str, recipient: Organisation | None, errors: Errors) -> None:
    missing = _recipient_missing(purpose)
    if recipient is None:
        if missing is not None:
            errors.add("recipient", missing)
    elif not _recipient_fits(purpose, recipient):
        errors.add("recipient", recipient_refusal(purpose))


def _validate_consent(
    *,
    subject: Person,
    recorded_by: User,
    purpose: str,
    recipient: Organisation | None,
    date: dt.date,
) -> None:
    errors = Errors()
    _same_organisation(subject, "person", recorded_by, errors)
    if purpose not in ConsentPurpose.values:
        errors.add("purpose", _("Choose one of the listed purposes."))
    else:
        _check_recipient(purpose, recipient, errors)
    validation.date(date, "date", errors, required=True, not_future=True)
    errors.raise_if()


class ConsentDecisionArgs(TypedDict):
    """What a consent decision names: its purpose, who recorded it and when, and its subject
    (a person for all their records, or one testimony) and recipient where the purpose has one."""

    purpose: str
    recorded_by: User
    date: dt.date
    person: NotRequired[Person | None]
    testimony: NotRequired[Testimony | None]
    recipient: NotRequired[Organisation | None]


def consent_decide(*, decision: str, **args: Unpack[ConsentDecisionArgs]) -> ConsentRecord:
    """Records the person's `decision` (given or withdrawn) as a new row: earlier decisions
    stay in the history. Refused (`Invalid`, by field) on bad input, and a withdrawal when no
    consent is in force to withdraw."""
    subject, scoped = _subject(args.get("person"), args.get("testimony"))
    purpose, recipient, date = args["purpose"], args.get("recipient"), args["date"]
    recorded_by = args["recorded_by"]
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
            raise invalid(
                "purpose",
                _("There is no consent in force for this purpose on that date to withdraw."),
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
            actor=recorded_by,
            obj=record,
            fields=["purpose", "recipient", "date"],
        )
    return record


def consent_give(**args: Unpack[ConsentDecisionArgs]) -> ConsentRecord:
    """Records that the person gave consent for `purpose`, for all their records or for one
    testimony. Sharing with a human-rights organisation and referral name the organisation
    (`recipient`: a human-rights organisation, or any partner organisation for a referral);
    other purposes name none."""
    return consent_decide(decision=ConsentDecision.GIVEN, **args)


def consent_withdraw(**args: Unpack[ConsentDecisionArgs]) -> ConsentRecord:
    """Records that the person withdrew consent for `purpose` (for a purpose that names its
    recipient: for that organisation only); from `date` on, consent_covers answers False.
    Refused (`Invalid`) when no consent is in force to withdraw."""
    return consent_decide(decision=ConsentDecision.WITHDRAWN, **args)
