"""Every write about government compensation claims: file, change status, set the next
action, attach a document; and the verified download of a document through its claim.

Guarantees:
- Each write runs in one transaction with its audit event (``case.claim.*``, field names
  only); bad input raises Invalid (by field) and writes nothing; a user who may not change the
  claim gets NotAllowed.
- The status moves only along CLAIM_MOVES, each move adds a row to the claim's history, and
  a move is a conditional UPDATE on the version (``update_versioned``): two people changing one
  claim at once cannot both win (Conflict). An approved or paid claim has an amount awarded (also
  a database constraint); a paid claim needs no further action.
- A document is an evidence file of the incident the claim is for, stored and hashed by
  evidence.services; the claim only links it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from madad import access
from madad.access.claims import may_edit_claims
from madad.accounts.models import User
from madad.cases.models import Case
from madad.claims.models import Claim, ClaimStatusChange
from madad.core import validation
from madad.core.audit import audit_record
from madad.core.refusals import Conflict, Errors, Invalid, NotAllowed, NotVisible, invalid
from madad.core.versioned import update_versioned
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


def _check_editor(user: User, case: Case) -> None:
    if not may_edit_claims(user) or not access.visible_to(user, Case).filter(pk=case.pk).exists():
        raise NotAllowed(_("Your role cannot change compensation claims of this case."))


def claim_incident(*, user: User, case: Case, incident_id: int | None) -> Incident | None:
    """The incident a claim of `case` may name by its number: one of the case's organisation
    that the user may see. Invalid (on "incident") otherwise."""
    if incident_id is None:
        return None
    incident = (
        access.visible_to(user, Incident)
        .filter(pk=incident_id, organisation_id=case.organisation_id)
        .first()
    )
    if incident is None:
        raise invalid("incident", _("There is no incident with this number that you may see."))
    return incident


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
) -> Claim:
    """Records a claim filed with a government scheme for a case's household."""
    _check_editor(filed_by, case)
    errors = Errors()
    if case.status == Case.Status.CLOSED:
        errors.add("case", _("The case is closed. Reopen it before filing a claim."))
    scheme_text = validation.text(scheme, "scheme", errors, max_length=TEXT_MAX, required=True)
    authority_text = validation.text(
        authority, "authority", errors, max_length=TEXT_MAX, required=True
    )
    reference = validation.text(
        authority_reference, "authority_reference", errors, max_length=REFERENCE_MAX
    )
    action = validation.text(next_action, "next_action", errors, max_length=TEXT_MAX)
    filed = validation.date(filed_on, "filed_on", errors, required=True, not_future=True)
    action_on = validation.date(next_action_on, "next_action_on", errors)
    amount = validation.amount(
        amount_claimed, "amount_claimed", errors, required=True, allow_zero=False
    )
    if incident is not None:
        try:
            claim_incident(user=filed_by, case=case, incident_id=incident.pk)
        except Invalid as refusal:
            errors.update(refusal.fields)
    errors.raise_if()
    if filed is None or amount is None:  # both required: refused above (for the type checker)
        raise Invalid(fields=errors.fields)
    with transaction.atomic():
        claim = Claim.objects.create(
            case=case,
            incident=incident,
            scheme=scheme_text,
            authority=authority_text,
            authority_reference=reference,
            filed_on=filed,
            amount_claimed=amount,
            next_action_on=action_on,
            next_action=action,
            created_by=filed_by,
        )
        ClaimStatusChange.objects.create(
            claim=claim, from_status="", to_status=C.FILED, by=filed_by
        )
        audit_record(
            action="case.claim.filed",
            actor=filed_by,
            obj=claim,
            fields=["amount_claimed", "authority", "filed_on", "scheme"]
            + (["authority_reference"] if reference else []),
        )
    return claim


def _update(claim: Claim, expected_version: int | None, **changes: Any) -> Claim:
    """One conditional UPDATE: only if the claim still has the version and the status the
    caller read."""
    return update_versioned(
        claim,
        expected_version=expected_version,
        where=Q(status=claim.status),
        refusal=Conflict(
            _(
                "This claim was changed by somebody else since you opened it. "
                "Nothing was changed; reload the page and try again."
            )
        ),
        **changes,
    )


_KEEP: Any = object()


def _status_errors(claim: Claim, status: str, errors: Errors) -> None:
    if status not in C.values:
        errors.add("status", _("Choose one of the listed statuses."))
    elif status not in CLAIM_MOVES[claim.status]:
        labels = dict(C.choices)
        errors.add(
            "status",
            _("A claim that is “%(from)s” cannot become “%(to)s”.")
            % {"from": labels[claim.status], "to": labels[status]},
        )


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
) -> Claim:
    """Moves a claim to its next status (see CLAIM_MOVES), with a note for the history.
    Approving needs the amount awarded; a paid claim keeps it and needs no further action."""
    _check_editor(changed_by, claim.case)
    errors = Errors()
    _status_errors(claim, status, errors)
    text = validation.text(note, "note", errors, max_length=NOTE_MAX, multiline=True)
    award = validation.amount(amount_awarded, "amount_awarded", errors)
    if status == C.APPROVED and award is None and "amount_awarded" not in errors:
        errors.add("amount_awarded", _("Enter the amount the authority awarded."))
    changes: dict[str, Any] = {"status": status}
    if award is not None:
        changes["amount_awarded"] = award
    if next_action_on is not _KEEP:
        changes["next_action_on"] = validation.date(next_action_on, "next_action_on", errors)
    if next_action is not _KEEP:
        changes["next_action"] = validation.text(
            next_action, "next_action", errors, max_length=TEXT_MAX
        )
    if status == C.PAID:
        changes["next_action_on"], changes["next_action"] = None, ""
    errors.raise_if()
    with transaction.atomic():
        previous = claim.status
        _update(claim, expected_version, **changes)
        ClaimStatusChange.objects.create(
            claim=claim, from_status=previous, to_status=status, by=changed_by, note=text
        )
        audit_record(
            action="case.claim.status_changed",
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
) -> Claim:
    """Sets (or clears) the date of the next thing to do about a claim, and what it is."""
    _check_editor(changed_by, claim.case)
    errors = Errors()
    action_on = validation.date(next_action_on, "next_action_on", errors)
    action = validation.text(next_action, "next_action", errors, max_length=TEXT_MAX)
    if claim.status == C.PAID and action_on is not None:
        errors.add("next_action_on", _("The claim is paid: there is nothing left to do."))
    errors.raise_if()
    with transaction.atomic():
        _update(claim, expected_version, next_action_on=action_on, next_action=action)
        audit_record(
            action="case.claim.next_action_set",
            actor=changed_by,
            obj=claim,
            fields=["next_action", "next_action_on"],
        )
    return claim


def claim_attach_document(
    *,
    claim: Claim,
    uploaded_by: User,
    file: File[bytes],
    description: str = "",
) -> EvidenceFile:
    """Stores a document (checked, hashed, in custody like all evidence) as an evidence file
    of the claim's incident, and links it to the claim."""
    _check_editor(uploaded_by, claim.case)
    if claim.incident is None:
        raise invalid(
            "file",
            _(
                "Name the incident this claim is for first: its documents are kept as "
                "evidence of that incident."
            ),
        )
    with transaction.atomic():
        evidence = evidence_services.evidence_upload(
            incident=claim.incident,
            uploaded_by=uploaded_by,
            file=file,
            description=description,
        )
        claim.documents.add(evidence)
        audit_record(
            action="case.claim.document_added",
            actor=uploaded_by,
            obj=claim,
            fields=["documents"],
        )
    return evidence


def claim_open_document(
    *, claim: Claim, evidence: EvidenceFile, user: User
) -> evidence_services.Download:
    """One of the claim's documents, verified against its SHA-256, for a user who can see the
    claim; the download enters the file's custody log. NotVisible for a file that is not one of
    this claim's documents."""
    if (
        not access.visible_to(user, Claim).filter(pk=claim.pk).exists()
        or not claim.documents.filter(pk=evidence.pk).exists()
    ):
        raise NotVisible(_("This file is not one of the claim's documents."))
    return evidence_services.evidence_open_for_download(evidence=evidence, user=user)
