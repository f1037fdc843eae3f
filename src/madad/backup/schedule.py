"""When backups and drills are due, and the state the administrators' page shows.

A daily backup and a weekly drill by default (MADAD_BACKUP_EVERY_HOURS,
MADAD_BACKUP_DRILL_EVERY_DAYS). `madad backup due`, run hourly from cron or a systemd timer,
does what is due; the page warns when the last success of either is older than its schedule.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from madad.backup import services
from madad.backup.models import BackupRun
from madad.core.refusals import Invalid


@dataclass(frozen=True)
class State:
    last_backup: BackupRun | None
    last_drill: BackupRun | None
    last_failure: BackupRun | None
    backup_overdue: bool
    drill_overdue: bool


def _last(kind: str, *, ok: bool = True) -> BackupRun | None:
    return BackupRun.objects.filter(kind=kind, ok=ok).order_by("-finished_at", "-id").first()


def _older_than(run: BackupRun | None, period: dt.timedelta) -> bool:
    return run is None or run.finished_at < timezone.now() - period


def backup_period() -> dt.timedelta:
    return dt.timedelta(hours=max(1, settings.BACKUP_EVERY_HOURS))


def drill_period() -> dt.timedelta:
    return dt.timedelta(days=max(1, settings.BACKUP_DRILL_EVERY_DAYS))


def state() -> State:
    last_backup = _last(BackupRun.Kind.BACKUP)
    last_drill = _last(BackupRun.Kind.DRILL)
    failure = BackupRun.objects.filter(ok=False).order_by("-finished_at", "-id").first()
    newest_success = max((r.finished_at for r in (last_backup, last_drill) if r), default=None)
    if failure and newest_success and failure.finished_at < newest_success:
        failure = None
    return State(
        last_backup=last_backup,
        last_drill=last_drill,
        last_failure=failure,
        backup_overdue=_older_than(last_backup, backup_period()),
        drill_overdue=_older_than(last_drill, drill_period()),
    )


def run_due() -> list[str]:
    """Backs up and drills when due; says what it did. A refusal of the backup is recorded and
    reported, and the drill still runs on the newest backup there is."""
    said: list[str] = []
    current = state()
    if current.backup_overdue:
        try:
            run = services.create()
            said.append(f"Backed up: {run.file}.")
        except Invalid as refusal:
            said.append(f"Backup failed: {refusal.message}")
    else:
        said.append("Backup not due.")
    if current.drill_overdue or _last(BackupRun.Kind.DRILL) is None:
        run = services.drill()
        said.append(f"Drill {'passed' if run.ok else 'failed'}: {run.detail}")
    else:
        said.append("Drill not due.")
    return said
