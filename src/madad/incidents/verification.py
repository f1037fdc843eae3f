"""Verification by a second person.

    reported ──submit──▶ under review ──verify──▶ verified
    disputed ──submit──▶      │  ──dispute──▶ disputed
    rejected ──submit──▶      └───reject───▶ rejected
    verified ──any edit──▶ under review (recorded as a "reopened" step)

A documenter submits. A verifier who is neither the incident's author nor its last editor
verifies, disputes or rejects; disputing and rejecting need a reason. Only an incident with at
least one graded source can be verified. Every step is kept in the incident's history.
Refusals: NotAllowed "own_work" (the four-eyes rule), Conflict "wrong_status" and
"no_graded_source", Stale when the incident changed since the reviewer read it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from madad.accounts.models import User
from madad.core.audit import audit_record
from madad.core.refusals import Conflict, Errors, NotAllowed, Stale
from madad.incidents import validation as check
from madad.incidents.models import Incident, Source, VerificationStep
from madad.incidents.services import new_version

_S = Incident.Status
_A = VerificationStep.Action


def incident_submit(
    *, incident: Incident, submitted_by: User, expected_version: int | None = None
) -> Incident:
    """Puts a reported, disputed or rejected incident up for review."""
    return _step(
        incident,
        submitted_by,
        _A.SUBMITTED,
        {_S.REPORTED, _S.DISPUTED, _S.REJECTED},
        _S.UNDER_REVIEW,
        "",
        expected_version,
    )


def incident_verify(
    *, incident: Incident, verifier: User, reason: str = "", expected_version: int | None = None
) -> Incident:
    """Marks an incident under review as verified: by a second person, on graded sources."""
    return _step(
        incident, verifier, _A.VERIFIED, {_S.UNDER_REVIEW}, _S.VERIFIED, reason, expected_version
    )


def incident_dispute(
    *, incident: Incident, verifier: User, reason: str, expected_version: int | None = None
) -> Incident:
    """The sources conflict or fall short: the documenter should look again."""
    return _step(
        incident, verifier, _A.DISPUTED, {_S.UNDER_REVIEW}, _S.DISPUTED, reason, expected_version
    )


def incident_reject(
    *, incident: Incident, verifier: User, reason: str, expected_version: int | None = None
) -> Incident:
    """The incident did not happen as recorded, or is not within the documentation's scope."""
    return _step(
        incident, verifier, _A.REJECTED, {_S.UNDER_REVIEW}, _S.REJECTED, reason, expected_version
    )


def _step(
    incident: Incident,
    by: User,
    action: str,
    allowed_from: set[str],
    to_status: str,
    reason: str,
    expected_version: int | None,
) -> Incident:
    errors = Errors()
    reason = check.reason(reason, errors, required=action in (_A.DISPUTED, _A.REJECTED))
    errors.raise_if()
    with transaction.atomic():
        current = (
            Incident.objects.filter(pk=incident.pk)
            .values("status", "version", "created_by_id", "updated_by_id")
            .first()
        )
        if current is None or (
            expected_version is not None and current["version"] != expected_version
        ):
            raise Stale()
        _refuse_step(incident, by, action, allowed_from, current)
        now = timezone.now()
        values: dict[str, object] = {"status": to_status}
        if to_status == _S.VERIFIED:
            values["verified_at"] = now
        new_version(
            incident=incident, by=by, expected_version=current["version"], values=values, edit=False
        )
        VerificationStep.objects.create(
            incident=incident,
            action=action,
            from_status=current["status"],
            to_status=to_status,
            by=by,
            note=reason,
            at=now,
        )
        audit_record(
            action=f"incident.{action}",
            actor=by,
            obj=incident,
            fields=["status", *(["note"] if reason else [])],
        )
    incident.refresh_from_db()
    return incident


def _refuse_step(
    incident: Incident, by: User, action: str, allowed_from: set[str], current: Mapping[str, Any]
) -> None:
    if current["status"] not in allowed_from:
        raise Conflict(
            _("This step is not possible while the incident is %(status)s.")
            % {"status": _S(current["status"]).label.lower()},
            code="wrong_status",
        )
    if action != _A.SUBMITTED and by.pk in (current["created_by_id"], current["updated_by_id"]):
        raise NotAllowed(
            _("A second person must check this incident: you recorded or last edited it."),
            code="own_work",
        )
    if (
        action == _A.VERIFIED
        and not Source.objects.filter(incident_id=incident.pk).exclude(reliability="").exists()
    ):
        raise Conflict(
            _("An incident can only be verified on at least one graded source."),
            code="no_graded_source",
        )
