"""A daily backup and a weekly drill, done by `madad backup due`; the administrators' page
shows them and warns when either is older than its schedule; only an administrator of a relief
organisation sees it or queues a backup."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from pytest_django import DjangoCaptureOnCommitCallbacks

from madad.accounts.models import Organisation, User
from madad.accounts.roles import Role
from madad.backup import schedule
from madad.backup.models import BackupRun
from madad.core.models import AuditEvent
from tests.backup.conftest import Instance

SignIn = Callable[[User], Client]


def test_due_backs_up_and_drills_then_waits_for_the_schedule(
    instance: Instance, identity: Path
) -> None:
    said = schedule.run_due()
    assert said[0].startswith("Backed up: madad-backup-")
    assert said[1].startswith("Drill passed: ")
    assert schedule.run_due() == ["Backup not due.", "Drill not due."]
    state = schedule.state()
    assert not state.backup_overdue and not state.drill_overdue and state.last_failure is None


def test_state_warns_when_the_last_success_is_older_than_the_schedule(db: None) -> None:
    long_ago = timezone.now() - dt.timedelta(days=30)
    for kind in (BackupRun.Kind.BACKUP, BackupRun.Kind.DRILL):
        BackupRun.objects.create(kind=kind, started_at=long_ago, finished_at=long_ago, ok=True)
    failed = BackupRun.objects.create(
        kind=BackupRun.Kind.DRILL,
        started_at=timezone.now(),
        finished_at=timezone.now(),
        ok=False,
        detail="There is no backup to drill.",
    )
    state = schedule.state()
    assert state.backup_overdue and state.drill_overdue
    assert state.last_failure == failed


def _page(client: Client) -> str:
    response = client.get("/backups/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_administrator_sees_the_state_and_the_warnings(
    make_user: Callable[..., User], signed_in: SignIn, backup_settings: Path
) -> None:
    page = _page(signed_in(make_user(Role.ADMINISTRATOR)))
    assert "There is no successful backup yet." in page
    assert "No backup has been restored in a drill yet" in page
    assert 'href="/backups/"' in page  # in the menu


def test_others_get_no_page_and_no_menu_entry(
    make_user: Callable[..., User],
    signed_in: SignIn,
    partner_org: Organisation,
    backup_settings: Path,
) -> None:
    for user in (
        make_user(Role.COORDINATOR),
        make_user(Role.AUDITOR),
        make_user(Role.ADMINISTRATOR, organisation=partner_org),
    ):
        client = signed_in(user)
        assert client.get("/backups/").status_code == 404
        assert client.post("/backups/backup/").status_code == 404
        assert 'href="/backups/"' not in client.get("/").content.decode()
    assert DBTaskResult.objects.count() == 0
    assert Client().get("/backups/").status_code == 302  # to the sign-in page


def test_asking_for_a_backup_queues_one_for_a_worker_once(
    make_user: Callable[..., User],
    signed_in: SignIn,
    backup_settings: Path,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    administrator = make_user(Role.ADMINISTRATOR)
    client = signed_in(administrator)
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/backups/backup/")
        assert response.status_code == 302 and response["Location"] == "/backups/"
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "madad.backup.tasks.backup_create"
    assert queued.args_kwargs["kwargs"] == {"requested_by_id": administrator.pk}
    assert AuditEvent.objects.filter(action="backup.backup.requested").count() == 1
    assert "A backup is queued" in _page(client)
    assert client.post("/backups/restore/").status_code == 404  # never from the web
    assert client.get("/backups/backup/").status_code == 405
