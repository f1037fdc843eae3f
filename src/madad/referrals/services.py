"""Every write about referrals: send (under consent), answer (the partner), withdraw, and
note that an answer was read.

Guarantees:
- A referral is sent only if the person's recorded consent covers referral to this very
  partner — asked of ``testimonies.services.consent_covers`` with the partner as the
  recipient — on the day it is sent: consent to referral names its partner, and consent for
  one partner does not cover another. Without it NotAllowed (code "no_consent") and
  nothing is written. After a withdrawal of consent for a partner no referral can be sent to
  it, and it no longer sees the earlier ones (madad.access.referrals); other partners the
  person consented to are not affected.
- The referral copies only what it shares: the person's given name and, if the caseworker
  ticks it, their phone number; never the family name, CNIC or address.
- Status moves: sent → accepted → completed, sent or accepted → declined (the partner), sent or
  accepted → withdrawn (the referring organisation). Each is a conditional UPDATE on the
  version and on the status the answer was given to (``update_versioned``): an answer to a
  referral that changed meanwhile raises Conflict.
- Declining a referral the partner had accepted needs a reason (the note; Invalid without
  one), so that a resubmitted form cannot silently undo an acceptance; declining a referral
  that was only sent does not.
- Every answer adds a ReferralAnswer row (from, to, who, when, its own note, encrypted) in the
  transaction of the move; the referral's ``responded_*`` and ``response_note`` are the latest
  answer's (an answer without a note leaves ``response_note`` empty, never an older note).
- Bad input raises Invalid (by field); a user who may not do it gets NotAllowed.
- Every write runs in one transaction with its audit event (``case.referral.*``).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from madad import access
from madad.access.referrals import may_respond_to, may_send_referrals
from madad.accounts.models import Organisation, User
from madad.cases.models import Case
from madad.core import validation
from madad.core.audit import audit_record
from madad.core.refusals import Conflict, Errors, NotAllowed, invalid
from madad.core.versioned import update_versioned
from madad.households.models import Member
from madad.people.identity import format_phone
from madad.people.models import Person
from madad.referrals.models import Referral, ReferralAnswer
from madad.testimonies.models import ConsentPurpose
from madad.testimonies.services import consent_covers

R = Referral.Status
SERVICE_MAX = 200
SUMMARY_MAX = 4000
NOTE_MAX = 2000


# What each answer does: decision → (statuses it may come from, status it leads to).
ANSWERS: dict[str, tuple[tuple[str, ...], str]] = {
    "accept": ((R.SENT,), R.ACCEPTED),
    "decline": ((R.SENT, R.ACCEPTED), R.DECLINED),
    "complete": ((R.ACCEPTED,), R.COMPLETED),
}


def referral_partners() -> QuerySet[Organisation]:
    """Organisations a case may be referred to. This is the directory of partner
    organisations, not anybody's records: every member of staff may list it."""
    return Organisation.objects.exclude(kind=Organisation.Kind.RELIEF).order_by("name")


def household_persons(case: Case) -> QuerySet[Person]:
    """The persons a case's referral may be about: the household's members and its head."""
    household = case.household
    members = Member.objects.filter(household=household).values("person_id")
    return Person.objects.filter(Q(pk__in=members) | Q(pk=household.head_id or 0))


def referral_send(
    *,
    case: Case,
    person: Person,
    partner: Organisation,
    service: str,
    sent_by: User,
    shared_summary: str = "",
    share_phone: bool = False,
) -> Referral:
    """Refers one member of a case's household to a partner organisation for a service.
    Refused (NotAllowed, code "no_consent") unless the person's consent covers referral to
    that partner."""
    if (
        not may_send_referrals(sent_by)
        or not access.visible_to(sent_by, Case).filter(pk=case.pk).exists()
    ):
        raise NotAllowed(_("Your role cannot send referrals for this case."))
    errors = Errors()
    if case.status == Case.Status.CLOSED:
        errors.add("case", _("The case is closed. Reopen it before referring the family."))
    if partner.kind == Organisation.Kind.RELIEF or partner.pk == sent_by.organisation_id:
        errors.add("partner", _("Choose one of the partner organisations."))
    if not household_persons(case).filter(pk=person.pk).exists():
        errors.add("person", _("Choose a member of this case's household."))
    text_service = validation.text(
        service, "service", errors, max_length=SERVICE_MAX, required=True
    )
    summary = validation.text(
        shared_summary, "shared_summary", errors, max_length=SUMMARY_MAX, multiline=True
    )
    errors.raise_if()
    if not consent_covers(purpose=ConsentPurpose.REFERRAL, person=person, recipient=partner):
        raise NotAllowed(
            _(
                "This person's consent does not cover a referral to this partner organisation, so "
                "nothing was sent. Record their consent to referral naming this partner first."
            ),
            code="no_consent",
        )
    with transaction.atomic():
        referral = Referral.objects.create(
            organisation_id=sent_by.organisation_id,
            case=case,
            partner=partner,
            person=person,
            service=text_service,
            shared_summary=summary,
            shared_given_name=person.given_name,
            shared_phone=format_phone(person.phone) if share_phone and person.phone else "",
            sent_by=sent_by,
        )
        shared = ["service", "shared_given_name"]
        if summary:
            shared.append("shared_summary")
        if referral.shared_phone:
            shared.append("shared_phone")
        audit_record(action="case.referral.sent", actor=sent_by, obj=referral, fields=shared)
    return referral


def _transition(
    referral: Referral,
    *,
    expected_version: int | None,
    from_statuses: tuple[str, ...],
    **changes: Any,
) -> Referral:
    """One conditional UPDATE: only if the referral still has the version the caller read and
    one of the statuses the move starts from."""
    return update_versioned(
        referral,
        expected_version=expected_version,
        where=Q(status__in=from_statuses),
        refusal=_changed_meanwhile(),
        **changes,
    )


def _changed_meanwhile() -> Conflict:
    return Conflict(
        _(
            "This referral was changed meanwhile (answered or "
            "withdrawn). Nothing was changed; reload the page."
        )
    )


def referral_respond(
    *,
    referral: Referral,
    responded_by: User,
    decision: str,
    note: str = "",
    expected_version: int | None = None,
) -> Referral:
    """A partner user accepts, declines or completes a referral sent to their organisation
    (while the person's consent is in force: otherwise they cannot see it at all). The answer
    applies only to the status it was given to, and is kept in the referral's history of
    answers with its note; declining an accepted referral needs the note (the reason)."""
    if not may_respond_to(responded_by, referral):
        raise NotAllowed(_("Only the partner organisation the referral was sent to answers it."))
    errors = Errors()
    if decision not in ANSWERS:
        errors.add("decision", _("Choose accept, decline or complete."))
    text = validation.text(note, "note", errors, max_length=NOTE_MAX, multiline=True)
    errors.raise_if()
    if expected_version is not None and expected_version != referral.version:
        # the answer was given to the referral as it was: whatever it requires now, it is stale
        raise _changed_meanwhile()
    from_statuses, to_status = ANSWERS[decision]
    from_status = referral.status
    if from_status not in from_statuses:
        raise Conflict(
            _("A referral that is “%(status)s” cannot be answered that way.")
            % {"status": referral.get_status_display()}
        )
    if to_status == R.DECLINED and from_status == R.ACCEPTED and not text:
        raise invalid(
            "note",
            _(
                "This referral was accepted: to decline it now, say why. The referring "
                "organisation reads your reason."
            ),
        )
    now = timezone.now()
    with transaction.atomic():
        _transition(
            referral,
            expected_version=expected_version,
            from_statuses=(from_status,),
            status=to_status,
            responded_by=responded_by,
            responded_at=now,
            response_note=text,
        )
        ReferralAnswer.objects.create(
            referral=referral,
            from_status=from_status,
            to_status=to_status,
            by=responded_by,
            at=now,
            note=text,
        )
        audit_record(
            action=f"case.referral.{to_status}",
            actor=responded_by,
            obj=referral,
            fields=["status", "response_note"] if text else ["status"],
        )
    return referral


def referral_withdraw(
    *,
    referral: Referral,
    withdrawn_by: User,
    expected_version: int | None = None,
) -> Referral:
    """The referring organisation withdraws a referral that is still open; the partner no
    longer sees it."""
    if not access.can_change(withdrawn_by, referral):
        raise NotAllowed(_("Your role cannot withdraw this referral."))
    if not referral.is_open:
        raise Conflict(_("Only a referral that is sent or accepted can be withdrawn."))
    with transaction.atomic():
        _transition(
            referral,
            expected_version=expected_version,
            from_statuses=(R.SENT, R.ACCEPTED),
            status=R.WITHDRAWN,
            withdrawn_at=timezone.now(),
        )
        audit_record(
            action="case.referral.withdrawn",
            actor=withdrawn_by,
            obj=referral,
            fields=["status"],
        )
    return referral


def referral_mark_seen(*, referral: Referral, user: User) -> None:
    """Notes that the case's caseworker (or the sender) read the partner's latest answer, so
    that it leaves their day's list of new answers. Nobody else's reading counts."""
    if referral.responded_at is None:
        return
    if user.pk not in (referral.case.caseworker_id, referral.sent_by_id):
        return
    if referral.response_seen_at is not None and referral.response_seen_at >= referral.responded_at:
        return
    Referral.objects.filter(pk=referral.pk).update(response_seen_at=timezone.now())
