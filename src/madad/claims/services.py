"""Every write about government compensation claims: file, change status, set the next
action, attach a document; and the verified download of a document through its claim.

Guarantees:
- Each write runs in one transaction with its audit event (``case.claim.*``, field names
  only); bad input raises ValidationError (by field) and writes nothing.
- The status moves only along CLAIM_MOVES, each move adds a row to the claim's history, and
  a move is a conditional UPDATE on the version: two people changing one claim at once cannot
  both win (ClaimConflict). An approved or paid claim has an amount awarded (also a database
  constraint); a paid claim needs no further action.
- A document is an evidence file of the incident the claim is for, stored and hashed by
  evidence.services; the claim only links it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from madad import access
from madad.access.claims import may_edit_claims
from madad.accounts.models import User
from madad.assistance.services import clean_amount
from madad.cases.models import Case
from madad.claims.models import Claim, ClaimStatusChange
from madad.core.audit import audit_record
from madad.evidence import services as evidence_services
from madad.evidence.models import EvidenceFile
from madad.incidents.models import Incident

C = Claim.Status
TEXT_MAX = 200
NOTE_MAX = 2000
REFERENCE_MAX = 100

# status → the statuses it may move to
CLAIM_MOVES: dict[str, frozenset[str]] = {
    C.FILED: frozenset({C.DOCUMENTS_REQUESTED, C.APPROVED, C.REJECTED}),
    # the documents handed in: the claim is with the authority again
    C.DOCUMENTS_REQUESTED: frozenset({C.FILED, C.APPROVED, C.REJECTED}),
    C.APPROVED: frozenset({C.PAID, C.DOCUMENTS_REQUESTED}),
    C.REJECTED: frozenset({C.APPEALED}),
    C.APPEALED: frozenset({C.DOCUMENTS_REQUESTED, C.APPROVED, C.REJECTED}),
    C.PAID: frozenset(),
}


class ClaimError(Exception):
    code = "forbidden"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ClaimRefused(ClaimError):
    """This user may not change this claim."""


class ClaimConflict(ClaimError):
    """The claim changed since the caller read it; nothing was written."""

    code = "conflict"


def _text(
    value: Any, field: str, limit: int, errors: dict[str, list[str]], required: str | None = None
) -> str:
    if value is not None and not isinstance(value, str):
        errors[field] = [_("Enter text.")]
        return ""
    text = (value or "").strip()
    if "\x00" in text:
        errors[field] = [_("The text contains a character that cannot be stored.")]
    elif len(text) > limit:
        errors[field] = [_("Enter at most %(max)s characters.") % {"max": limit}]
    elif required and not text:
        errors[field] = [required]
    return text


def _date(value: Any, field: str, errors: dict[str, list[str]], *, not_future: bool) -> None:
    if value is None:
        return
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        errors[field] = [_("Enter a date.")]
    elif not_future and value > timezone.localdate():
        errors[field] = [_("The date cannot be in the future.")]


def _check_editor(user: User, case: Case) -> None:
    if not may_edit_claims(user) or not access.visible_to(user, Case).filter(pk=case.pk).exists():
        raise ClaimRefused(_("Your role cannot change compensation claims of this case."))


def claim_file(
    *,
    case: Case,
    filed_by: User,
    scheme: str,
    authority: str,
    filed_on: dt.date,
    amount_claimed: Any,
    incident: Incident | None = None,
    authority_reference: str = "",
    next_action_on: dt.date | None = None,
    next_action: str = "",
    request: HttpRequest | None = None,
) -> Claim:
    """Records a claim filed with a government scheme for a case's household."""
    _check_editor(filed_by, case)
    errors: dict[str, list[str]] = {}
    if case.status == Case.Status.CLOSED:
        errors["case"] = [_("The case is closed. Reopen it before filing a claim.")]
    scheme_text = _text(
        scheme, "scheme", TEXT_MAX, errors, required=_("Name the compensation scheme.")
    )
    authority_text = _text(
        authority,
        "authority",
        TEXT_MAX,
        errors,
        required=_("Name the authority the claim was filed with."),
    )
    reference = _text(authority_reference, "authority_reference", REFERENCE_MAX, errors)
    action = _text(next_action, "next_action", TEXT_MAX, errors)
    if filed_on is None:
        errors["filed_on"] = [_("Enter the date the claim was filed.")]
    _date(filed_on, "filed_on", errors, not_future=True)
    _date(next_action_on, "next_action_on", errors, not_future=False)
    amount = clean_amount(amount_claimed, "amount_claimed", errors)
    if amount is None and "amount_claimed" not in errors:
        errors["amount_claimed"] = [_("Enter the amount claimed in rupees.")]
    if (
        incident is not None
        and not access.visible_to(filed_by, Incident)
        .filter(pk=incident.pk, organisation_id=case.organisation_id)
        .exists()
    ):
        errors["incident"] = [_("There is no incident with this number that you may see.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        claim = Claim.objects.create(
            case=case,
            incident=incident,
            scheme=scheme_text,
            authority=authority_text,
            authority_reference=reference,
            filed_on=filed_on,
            amount_claimed=amount,  # type: ignore[misc]  # checked above: not None
            next_action_on=next_action_on,
            next_action=action,
            created_by=filed_by,
        )
        ClaimStatusChange.objects.create(claim=claim, from_status="", status=C.FILED, by=filed_by)
        audit_record(
            action="case.claim.filed",
            request=request,
            actor=filed_by,
            obj=claim,
            fields=["amount_claimed", "authority", "filed_on", "scheme"]
            + (["authority_reference"] if reference else []),
        )
    return claim


def _update(claim: Claim, expected_version: int | None, **changes: Any) -> None:
    version = claim.version if expected_version is None else expected_version
    updated = Claim.objects.filter(pk=claim.pk, version=version, status=claim.status).update(
        version=F("version") + 1, updated_at=timezone.now(), **changes
    )
    if updated != 1:
        raise ClaimConflict(
            _(
                "This claim was changed by somebody else since you opened it. "
                "Nothing was changed; reload the page and try again."
            )
        )
    claim.refresh_from_db()


_KEEP: Any = object()


def claim_update_status(
    *,
    claim: Claim,
    changed_by: User,
    status: str,
    note: str = "",
    amount_awarded: Any = None,
    next_action_on: dt.date | Any | None = _KEEP,
    next_action: str | Any = _KEEP,
    expected_version: int | None = None,
    request: HttpRequest | None = None,
) -> Claim:
    """Moves a claim to its next status (see CLAIM_MOVES), with a note for the history.
    Approving needs the amount awarded; a paid claim keeps it and needs no further action."""
    _check_editor(changed_by, claim.case)
    errors: dict[str, list[str]] = {}
    if status not in C.values:
        errors["status"] = [_("Choose one of the listed statuses.")]
    elif status not in CLAIM_MOVES[claim.status]:
        labels = dict(C.choices)
        errors["status"] = [
            _("A claim that is “%(from)s” cannot become “%(to)s”.")
            % {"from": labels[claim.status], "to": labels[status]}
        ]
    text = _text(note, "note", NOTE_MAX, errors)
    award = clean_amount(amount_awarded, "amount_awarded", errors)
    if status == C.APPROVED and award is None and "amount_awarded" not in errors:
        errors["amount_awarded"] = [_("Enter the amount the authority awarded.")]
    changes: dict[str, Any] = {"status": status}
    if award is not None:
        changes["amount_awarded"] = award
    if next_action_on is not _KEEP:
        _date(next_action_on, "next_action_on", errors, not_future=False)
        changes["next_action_on"] = next_action_on
    if next_action is not _KEEP:
        changes["next_action"] = _text(next_action, "next_action", TEXT_MAX, errors)
    if status == C.PAID:
        changes["next_action_on"], changes["next_action"] = None, ""
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        previous = claim.status
        _update(claim, expected_version, **changes)
        ClaimStatusChange.objects.create(
            claim=claim, from_status=previous, status=status, by=changed_by, note=text
        )
        audit_record(
            action="case.claim.status_changed",
            request=request,
            actor=changed_by,
            obj=claim,
            fields=sorted(changes),
        )
    return claim


def claim_set_next_action(
    *,
    claim: Claim,
    changed_by: User,
    next_action_on: dt.date | None,
    next_action: str = "",
    expected_version: int | None = None,
    request: HttpRequest | None = None,
) -> Claim:
    """Sets (or clears) the date of the next thing to do about a claim, and what it is."""
    _check_editor(changed_by, claim.case)
    errors: dict[str, list[str]] = {}
    _date(next_action_on, "next_action_on", errors, not_future=False)
    action = _text(next_action, "next_action", TEXT_MAX, errors)
    if claim.status == C.PAID and next_action_on is not None:
        errors["next_action_on"] = [_("The claim is paid: there is nothing left to do.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _update(claim, expected_version, next_action_on=next_action_on, next_action=action)
        audit_record(
            action="case.claim.next_action_set",
            request=request,
            actor=changed_by,
            obj=claim,
            fields=["next_action", "next_action_on"],
        )
    return claim


def claim_attach_document(
    *,
    claim: Claim,
    uploaded_by: User,
    file: File,
    description: str = "",
    request: HttpRequest | None = None,
) -> EvidenceFile:
    """Stores a document (checked, hashed, in custody like all evidence) as an evidence file
    of the claim's incident, and links it to the claim."""
    _check_editor(uploaded_by, claim.case)
    if claim.incident is None:
        raise ValidationError(
            {
                "file": [
                    _(
                        "Name the incident this claim is for first: its documents are kept as "
                        "evidence of that incident."
                    )
                ]
            }
        )
    with transaction.atomic():
        evidence = evidence_services.evidence_upload(
            incident=claim.incident,
            uploaded_by=uploaded_by,
            file=file,
            description=description,
            request=request,
        )
        claim.documents.add(evidence)
        audit_record(
            action="case.claim.document_added",
            request=request,
            actor=uploaded_by,
            obj=claim,
            fields=["documents"],
        )
    return evidence


def claim_open_document(
    *, claim: Claim, evidence: EvidenceFile, user: User, request: HttpRequest | None = None
) -> evidence_services.Download:
    """One of the claim's documents, verified against its SHA-256, for a user who can see the
    claim; the download enters the file's custody log. Raises ClaimRefused for a file that is
    not one of this claim's documents."""
    if (
        not access.visible_to(user, Claim).filter(pk=claim.pk).exists()
        or not claim.documents.filter(pk=evidence.pk).exists()
    ):
        raise ClaimRefused(_("This file is not one of the claim's documents."))
    return evidence_services.evidence_open_for_download(
        evidence=evidence, user=user, request=request
    )
