"""The one place a case's status changes: a conditional UPDATE on the case's version and
status (core.versioned), a StatusChange row, an audit event — inside the caller's transaction."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from madad.accounts.models import User
from madad.cases.models import ApprovalRequest, Case, StatusChange
from madad.core.audit import audit_record
from madad.core.refusals import Conflict, Stale
from madad.core.versioned import update_versioned

S = Case.Status


def stale() -> Stale:
    return Stale(
        _(
            "Somebody else changed this case after you opened it. Nothing was saved: reload it "
            "to see the current version, then try again."
        )
    )


def closed() -> Conflict:
    return Conflict(_("The case is closed. Reopen it first."), code="closed")


def lock(case: Case, expected_version: int | None = None) -> dict[str, Any]:
    """The stored state of the case, its row locked (PostgreSQL; SQLite's IMMEDIATE
    transactions already hold the write lock); `Stale` if it changed since
    `expected_version`."""
    current = (
        Case.objects.select_for_update()
        .filter(pk=case.pk)
        .values("version", "status", "episode", "organisation_id", "caseworker_id")
        .first()
    )
    if current is None or (expected_version is not None and current["version"] != expected_version):
        raise stale()
    return dict(current)


def write(case: Case, current: dict[str, Any], values: dict[str, Any]) -> None:
    """Writes `values` and the next version, only if the case is still as `current` read it."""
    update_versioned(
        case,
        expected_version=current["version"],
        where=Q(status=current["status"]),
        refusal=stale(),
        **values,
    )


def move(
    case: Case,
    current: dict[str, Any],
    *,
    to_status: str,
    by: User,
    approved_by: User | None = None,
    note: str = "",
) -> StatusChange:
    """Moves the case to `to_status` (the caller checked that the move is allowed). Closing
    withdraws every pending approval; reopening starts the next episode."""
    now = timezone.now()
    from_status = current["status"]
    values: dict[str, Any] = {"status": to_status}
    episode = current["episode"]
    if to_status == S.CLOSED:
        values["closed_at"] = now
        ApprovalRequest.objects.filter(case=case, decision=ApprovalRequest.Decision.PENDING).update(
            decision=ApprovalRequest.Decision.WITHDRAWN, decided_at=now
        )
    if from_status == S.CLOSED:
        values["closed_at"] = None
        episode += 1
        values["episode"] = episode
    write(case, current, values)
    change = StatusChange.objects.create(
        case=case,
        episode=episode,
        from_status=from_status,
        to_status=to_status,
        by=by,
        approved_by=approved_by,
        note=note,
        at=now,
    )
    audit_record(action="case.status.changed", actor=by, obj=case, fields=["status"])
    return change
