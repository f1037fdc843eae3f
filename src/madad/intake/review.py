"""The review of an intake item: made into a new incident or household, added to one Madad
already holds, or rejected with a reason.

Guarantees:
- Only a reviewer (``intake.review``) of the item's organisation acts on it: another
  organisation's item does not exist for them (`NotVisible`); making or adding to an incident
  also needs ``incident.edit`` (and ``evidence.upload`` for its files), a household
  ``household.edit`` (`NotAllowed` otherwise). A record the reviewer cannot see is refused
  as not found.
- An item is reviewed once: its status moves from "new" with one compare-and-swap on the
  version the reviewer read, so of two reviewers acting at once exactly one succeeds; the
  other is told it was reviewed meanwhile (`Conflict`) and nothing of theirs is written.
- All or nothing, audited (field names only). Nothing the item held is ever deleted: a
  rejected item keeps its submission and files, and a file made evidence is a copy whose
  custody log starts at its receipt.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Iterable, Sequence
from typing import IO, Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from madad import access
from madad.access.intake import may_review
from madad.access.roles import Capability
from madad.accounts.models import User
from madad.core import validation
from madad.core.audit import audit_record
from madad.core.refusals import Conflict, Errors, Invalid, NotAllowed, NotVisible
from madad.core.versioned import update_versioned
from madad.evidence.files import HEAD_BYTES
from madad.evidence.models import EvidenceFile
from madad.evidence.services import CHUNK, SPOOL_BYTES, evidence_from_intake, evidence_storage
from madad.households.models import Household
from madad.households.services import household_create
from madad.incidents.models import Act, Incident
from madad.incidents.services import incident_create
from madad.intake.models import IntakeAttachment, IntakeItem
from madad.intake.reading import HOUSEHOLD, INCIDENT, item_kind
from madad.places.models import Place

REASON_MAX = 2000


def reviewed_already() -> Conflict:
    return Conflict(
        _(
            "This item has been reviewed already, or it changed after you opened it. Nothing "
            "was saved: reload it to see where it stands."
        ),
        code="intake_reviewed",
    )


# --- checks ----------------------------------------------------------------------------------
def _reviewable(item: IntakeItem, by: User, kind: str | None = None) -> None:
    if not access.visible_to(by, IntakeItem).filter(pk=item.pk).exists():
        if may_review(by):
            raise NotVisible()
        raise NotAllowed(_("Your role does not review what comes in."), code="not_reviewer")
    if kind is not None and item_kind(item) != kind:
        message = (
            _("This submission is about a household, not an incident.")
            if kind == INCIDENT
            else _("This submission is about an incident, not a household.")
        )
        raise Conflict(message, code="intake_wrong_kind")


def _needs(by: User, capability: str, message: str) -> None:
    if not access.can(by, capability):
        raise NotAllowed(message)


def _may_document(by: User, files: bool) -> None:
    _needs(by, Capability.INCIDENT_EDIT, _("Your role does not record incidents."))
    if files:
        _needs(by, Capability.EVIDENCE_UPLOAD, _("Your role does not add evidence files."))


def _chosen(item: IntakeItem, attachments: Iterable[IntakeAttachment]) -> list[IntakeAttachment]:
    chosen = list(dict.fromkeys(attachments))
    if any(not isinstance(a, IntakeAttachment) or a.item_id != item.pk for a in chosen):
        raise Invalid(fields={"attachments": [_("Choose files that came with this item.")]})
    if any(a.evidence_id is not None for a in chosen):
        raise Invalid(fields={"attachments": [_("This file is evidence already.")]})
    return chosen


def _still_new(item: IntakeItem, expected_version: int) -> None:
    """A quick refusal before any work; the compare-and-swap in `_settle` is the guarantee."""
    if item.status != IntakeItem.Status.NEW or item.version != expected_version:
        raise reviewed_already()


def _settle(item: IntakeItem, by: User, expected_version: int, status: str, **values: Any) -> None:
    update_versioned(
        item,
        expected_version=expected_version,
        where=Q(status=IntakeItem.Status.NEW),
        refusal=reviewed_already(),
        status=status,
        reviewed_by=by,
        reviewed_at=timezone.now(),
        **values,
    )


def _to_evidence(
    item: IntakeItem,
    chosen: Sequence[IntakeAttachment],
    incident: Incident,
    by: User,
    made: list[EvidenceFile],
) -> None:
    holder = item.device.holder if item.device is not None else None
    for attachment in chosen:
        evidence = evidence_from_intake(
            incident=incident,
            uploaded_by=by,
            stored_name=attachment.storage_name,
            sha256=attachment.sha256,
            received_at=attachment.received_at,
            received_by=holder,
            original_name=attachment.name,
        )
        made.append(evidence)
        IntakeAttachment.objects.filter(pk=attachment.pk).update(evidence=evidence)


def _forget_copies(made: Sequence[EvidenceFile]) -> None:
    """The evidence copies of a review that was rolled back: their rows are gone with the
    transaction, their bytes must go too (the item's own files are untouched)."""
    storage = evidence_storage()
    for evidence in made:
        storage.delete(evidence.storage_name)


def _audit(item: IntakeItem, by: User, action: str, fields: list[str]) -> None:
    audit_record(
        action=f"intake.item.{action}",
        actor=by,
        organisation=item.organisation,
        obj=item,
        fields=["status", "reviewed_by", *fields],
    )


# --- incidents -------------------------------------------------------------------------------
def item_create_incident(
    *,
    item: IntakeItem,
    by: User,
    expected_version: int,
    attachments: Iterable[IntakeAttachment] = (),
    **incident: Any,
) -> Incident:
    """Records the incident the reviewer confirmed (the fields `incidents.services.
    incident_create` takes, acts with new victims as person data), links the item to it as
    accepted, and makes the chosen attachments evidence files of it."""
    _reviewable(item, by, INCIDENT)
    chosen = _chosen(item, attachments)
    _may_document(by, bool(chosen))
    _still_new(item, expected_version)
    made: list[EvidenceFile] = []
    try:
        with transaction.atomic():
            created = incident_create(organisation=item.organisation, created_by=by, **incident)
            _settle(item, by, expected_version, IntakeItem.Status.ACCEPTED, incident=created)
            _to_evidence(item, chosen, created, by, made)
            _audit(item, by, "accepted", ["incident", *(["attachments"] if chosen else [])])
    except BaseException:
        _forget_copies(made)
        raise
    return created


def item_attach_to_incident(
    *,
    item: IntakeItem,
    by: User,
    expected_version: int,
    incident: Incident,
    attachments: Iterable[IntakeAttachment] = (),
) -> Incident:
    """Adds the item to an incident Madad holds (another report of the same event, or more
    about it): the item is marked attached and its chosen files become evidence of it."""
    _reviewable(item, by, INCIDENT)
    chosen = _chosen(item, attachments)
    _may_document(by, bool(chosen))
    if not access.visible_to(by, Incident).filter(pk=incident.pk).exists():
        raise NotVisible(_("No such incident."))
    _still_new(item, expected_version)
    made: list[EvidenceFile] = []
    try:
        with transaction.atomic():
            _settle(item, by, expected_version, IntakeItem.Status.ATTACHED, incident=incident)
            _to_evidence(item, chosen, incident, by, made)
            _audit(item, by, "attached", ["incident", *(["attachments"] if chosen else [])])
    except BaseException:
        _forget_copies(made)
        raise
    return incident


# --- households ------------------------------------------------------------------------------
def item_create_household(
    *,
    item: IntakeItem,
    by: User,
    expected_version: int,
    members: Sequence[dict[str, Any]],
    address: str = "",
    place: Place | None = None,
    acts: Iterable[Act] = (),
) -> Household:
    """Registers the household the reviewer confirmed (members as
    `households.services.household_create` takes them) and links the item to it."""
    _reviewable(item, by, HOUSEHOLD)
    _needs(by, Capability.HOUSEHOLD_EDIT, _("Your role does not register households."))
    _still_new(item, expected_version)
    with transaction.atomic():
        household = household_create(
            organisation=item.organisation,
            created_by=by,
            members=members,
            address=address,
            place=place,
            acts=acts,
        )
        _settle(item, by, expected_version, IntakeItem.Status.ACCEPTED, household=household)
        _audit(item, by, "accepted", ["household"])
    return household


def item_attach_to_household(
    *, item: IntakeItem, by: User, expected_version: int, household: Household
) -> Household:
    """Adds the item to a household Madad holds (its needs, told again or anew)."""
    _reviewable(item, by, HOUSEHOLD)
    _needs(by, Capability.HOUSEHOLD_EDIT, _("Your role does not register households."))
    if not access.visible_to(by, Household).filter(pk=household.pk).exists():
        raise NotVisible(_("No such household."))
    _still_new(item, expected_version)
    with transaction.atomic():
        _settle(item, by, expected_version, IntakeItem.Status.ATTACHED, household=household)
        _audit(item, by, "attached", ["household"])
    return household


# --- rejection -------------------------------------------------------------------------------
def item_reject(*, item: IntakeItem, by: User, expected_version: int, reason: str) -> IntakeItem:
    """Rejects the item with a reason (required, kept encrypted). Nothing it held is
    deleted: its submission and files stay, for the record."""
    _reviewable(item, by)
    errors = Errors()
    reason = validation.text(
        reason, "reason", errors, max_length=REASON_MAX, required=True, multiline=True
    )
    errors.raise_if()
    _still_new(item, expected_version)
    with transaction.atomic():
        _settle(item, by, expected_version, IntakeItem.Status.REJECTED, reason=reason)
        _audit(item, by, "rejected", ["reason"])
    return item


# --- the item's files ------------------------------------------------------------------------
def attachment_open(*, attachment: IntakeAttachment, by: User) -> tuple[IO[bytes], bytes]:
    """A copy of the file as received, checked against the SHA-256 taken on receipt, and
    its first bytes (to tell its type by content). The opening is audited. `Conflict` (code
    "integrity_failed") if the file is missing or changed; the caller closes the copy."""
    _reviewable(attachment.item, by)
    copy: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115
    hasher = hashlib.sha256()
    try:
        with evidence_storage().open(attachment.storage_name, "rb") as stored:
            while chunk := stored.read(CHUNK):
                hasher.update(chunk)
                copy.write(chunk)
    except OSError:
        pass
    if hasher.hexdigest() != attachment.sha256:
        copy.close()
        raise Conflict(
            _(
                "This file is missing or has changed since it was received: its fingerprint "
                "no longer matches the one taken on receipt. It was not shown; tell your "
                "coordinator."
            ),
            code="integrity_failed",
        )
    audit_record(
        action="intake.attachment.viewed",
        actor=by,
        organisation=attachment.item.organisation,
        obj=attachment,
    )
    copy.seek(0)
    head = copy.read(HEAD_BYTES)
    copy.seek(0)
    return copy, head
