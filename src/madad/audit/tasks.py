"""Background tasks of the audit pages: they take ids and plain values, never objects, and are
queued with `transaction.on_commit` so that a worker never sees work whose transaction rolled back.

A worker runs them: `madad db_worker` (django-tasks-db), any number of them on PostgreSQL.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from madad.accounts.models import User
from madad.core.audit import audit_record, audit_verify

CHAIN_VERIFY_PATH = "madad.audit.tasks.audit_chain_verify"
# A check still unfinished after this long lost its worker; a new request may queue another.
CHAIN_VERIFY_STALE_AFTER = timedelta(hours=1)


@task()
def audit_chain_verify(
    *, requested_by_id: int | None = None, organisation_id: int | None = None
) -> dict[str, Any]:
    """Walks the whole audit chain and records the outcome in it: `audit.chain.verified` when
    every link holds, `audit.chain.broken` naming the first row that does not.

    The outcome event belongs to the requesting organisation, so that its auditors see it.
    """
    report = audit_verify()
    requester = User.objects.filter(pk=requested_by_id).first() if requested_by_id else None
    with transaction.atomic():
        audit_record(
            action="audit.chain.verified" if report.intact else "audit.chain.broken",
            actor=requester,
            organisation=requester.organisation if requester else None,
            object_type="core.auditevent",
            object_id=report.first_broken_id or "",
        )
    return {
        "checked": report.checked,
        "first_broken_id": report.first_broken_id,
        "reason": report.reason,
    }


def audit_chain_verify_request(*, requested_by: User) -> None:
    """Queues a check of the audit chain for the requester's organisation once the current
    transaction commits, unless one is already waiting or running."""
    if audit_chain_verify_latest(organisation_id=requested_by.organisation_id, unfinished=True):
        return
    requested_by_id, organisation_id = requested_by.pk, requested_by.organisation_id
    transaction.on_commit(
        lambda: audit_chain_verify.enqueue(
            requested_by_id=requested_by_id, organisation_id=organisation_id
        )
    )


def audit_chain_verify_latest(
    *, organisation_id: int, unfinished: bool = False
) -> DBTaskResult[Any, Any] | None:
    """The organisation's most recent chain check (if asked, only one still waiting or running
    and not yet given up for lost)."""
    runs = DBTaskResult.objects.filter(
        task_path=CHAIN_VERIFY_PATH, args_kwargs__kwargs__organisation_id=organisation_id
    )
    if unfinished:
        runs = runs.filter(
            finished_at__isnull=True, enqueued_at__gte=timezone.now() - CHAIN_VERIFY_STALE_AFTER
        )
    return runs.order_by("-enqueued_at").first()
