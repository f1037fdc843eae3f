"""The administrators' page of the instance's backups: the last backup and the last drill,
warnings when either is older than its schedule, the backups on disk, and buttons that queue a
backup or a drill for a worker. Nothing here downloads or restores a backup: that is done at the
server, with the identity file, by `madad backup restore`."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from madad.access.backup import may_manage_backups
from madad.backup import schedule, services, tasks
from madad.backup.models import BackupRun
from madad.core.audit import audit_record
from madad.core.http import AuthedRequest

RECENT = 20


def _administrator(request: AuthedRequest) -> None:
    if not may_manage_backups(request.user):
        raise Http404


@login_required
@require_GET
def backup_status(request: AuthedRequest) -> HttpResponse:
    _administrator(request)
    files = [(path.name, path.stat().st_size) for path in services.backups()]
    context = {
        "state": schedule.state(),
        "backup_period_hours": int(schedule.backup_period().total_seconds() // 3600),
        "drill_period_days": schedule.drill_period().days,
        "queued_backup": tasks.unfinished("backup"),
        "queued_drill": tasks.unfinished("drill"),
        "runs": BackupRun.objects.select_related("requested_by")[:RECENT],
        "files": files,
    }
    return render(request, "backup/status.html", context)


@login_required
@require_POST
def backup_request(request: AuthedRequest, kind: str) -> HttpResponse:
    """Queues a backup or a drill (kind is one of the two; anything else is 404)."""
    _administrator(request)
    if kind not in tasks.PATHS:
        raise Http404
    with transaction.atomic():
        if tasks.request(kind, requested_by=request.user):
            audit_record(action=f"backup.{kind}.requested", object_type="backup")
    return redirect("backup:status")
