"""Background tasks of the backups page: a backup or a drill asked for by an administrator,
run by a worker (`madad db_worker`). They take ids, never objects, and are queued on commit."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from madad.accounts.models import User
from madad.backup import services
from madad.core.refusals import Invalid

# A backup or drill still unfinished after this long lost its worker; another may be queued.
STALE_AFTER = timedelta(hours=6)
PATHS = {
    "backup": "madad.backup.tasks.backup_create",
    "drill": "madad.backup.tasks.backup_drill",
}


@task()
def backup_create(*, requested_by_id: int | None = None) -> dict[str, Any]:
    requester = User.objects.filter(pk=requested_by_id).first() if requested_by_id else None
    try:
        run = services.create(requested_by=requester)
    except Invalid as refusal:
        return {"ok": False, "detail": refusal.message}
    return {"ok": True, "run": run.pk}


@task()
def backup_drill(*, requested_by_id: int | None = None) -> dict[str, Any]:
    requester = User.objects.filter(pk=requested_by_id).first() if requested_by_id else None
    run = services.drill(requested_by=requester)
    return {"ok": run.ok, "run": run.pk}


def request(kind: str, *, requested_by: User) -> bool:
    """Queues a backup or a drill once the current transaction commits, unless one of that
    kind is already waiting or running. Says whether it queued one."""
    if unfinished(kind) is not None:
        return False
    job = backup_create if kind == "backup" else backup_drill
    requested_by_id = requested_by.pk
    transaction.on_commit(lambda: job.enqueue(requested_by_id=requested_by_id))
    return True


def unfinished(kind: str) -> DBTaskResult[Any, Any] | None:
    return (
        DBTaskResult.objects.filter(
            task_path=PATHS[kind],
            finished_at__isnull=True,
            enqueued_at__gte=timezone.now() - STALE_AFTER,
        )
        .order_by("-enqueued_at")
        .first()
    )
