"""Free text that may name people is encrypted at rest: a task's title, an approval's note and
reason, the note of the case's history (a reopening's reason). Rows written before are
encrypted by a data migration, which can be reversed."""

from __future__ import annotations

import importlib
from types import SimpleNamespace

import pytest
from django.db import connection

from madad.accounts.models import User
from madad.cases import services
from madad.cases.models import ApprovalRequest, StatusChange, Task
from madad.core import crypto
from tests.cases.factories import case_at
from tests.core.conftest import raw_row, raw_rows_text

pytestmark = pytest.mark.django_db

NAME = "Farhan Qureshi"  # with a phone number, what a caseworker might type
MIGRATION = importlib.import_module("madad.cases.migrations.0006_encrypt_free_text")


def test_free_text_on_a_case_is_not_stored_in_plain_text(
    caseworker: User, coordinator: User
) -> None:
    case = case_at("closed", caseworker=caseworker, coordinator=coordinator)
    services.case_reopen(case=case, by=caseworker, reason=f"REOPEN {NAME} was threatened again")
    task = services.task_add(
        case=case, added_by=caseworker, title=f"TASK call {NAME} 0300-7654321", due_on="2030-01-01"
    )
    approval = services.approval_request(
        case=case, kind="close", requested_by=caseworker, note=f"NOTE {NAME} moved away"
    )
    services.approval_decide(
        approval=approval, decided_by=coordinator, approve=False, reason=f"REASON ask {NAME}"
    )
    stored = " ".join(
        raw_rows_text(table)
        for table in ("cases_task", "cases_approvalrequest", "cases_statuschange")
    )
    assert NAME not in stored and "0300-7654321" not in stored
    assert raw_row(Task, task.pk)["title"].startswith(crypto.PREFIX)
    assert Task.objects.get(pk=task.pk).title == f"TASK call {NAME} 0300-7654321"
    approval = ApprovalRequest.objects.get(pk=approval.pk)
    assert (approval.note, approval.reason) == (f"NOTE {NAME} moved away", f"REASON ask {NAME}")
    reopened = StatusChange.objects.filter(case=case).last()
    assert reopened is not None and reopened.note == f"REOPEN {NAME} was threatened again"


def test_the_migration_encrypts_plain_rows_and_its_reverse_decrypts_them(
    caseworker: User, coordinator: User
) -> None:
    case = case_at("open", caseworker=caseworker, coordinator=coordinator)
    task = services.task_add(case=case, added_by=caseworker, title="encrypted", due_on="2030-01-01")
    with connection.cursor() as cursor:  # a row from before the migration
        cursor.execute("UPDATE cases_task SET title = %s WHERE id = %s", [f"call {NAME}", task.pk])
    editor = SimpleNamespace(connection=connection)
    MIGRATION.encrypt(None, editor)
    assert raw_row(Task, task.pk)["title"].startswith(crypto.PREFIX)
    assert Task.objects.get(pk=task.pk).title == f"call {NAME}"
    MIGRATION.encrypt(None, editor)  # a second run leaves encrypted rows alone
    assert Task.objects.get(pk=task.pk).title == f"call {NAME}"
    MIGRATION.decrypt(None, editor)
    assert raw_row(Task, task.pk)["title"] == f"call {NAME}"
