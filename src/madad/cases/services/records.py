"""What is recorded on a case: notes (encrypted), tasks with due dates, needs assessments."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from madad.accounts.models import User
from madad.cases.models import AssessedNeed, Assessment, Case, Need, Note, Severity, Task
from madad.cases.services.cases import contact_recorded
from madad.cases.services.transitions import closed, lock, move
from madad.core import validation as check
from madad.core.audit import audit_record
from madad.core.refusals import Conflict, Errors, invalid

NOTE_MAX = 10_000
SUMMARY_MAX = 10_000
TITLE_MAX = 200


def note_add(*, case: Case, written_by: User, text: str, is_contact: bool = False) -> Note:
    """Adds an encrypted note; a note that records a contact with the family also moves the
    case's last contact to now (what the coordinator's 30-day list reads)."""
    errs = Errors()
    text = check.text(text, "text", errs, max_length=NOTE_MAX, required=True, multiline=True)
    if not isinstance(is_contact, bool):
        errs.add("is_contact", _("Enter true or false."))
    errs.raise_if()
    with transaction.atomic():
        note = Note.objects.create(
            case=case, text=text, written_by=written_by, is_contact=is_contact
        )
        if is_contact:
            contact_recorded(case, note.written_at)
        audit_record(
            action="case.note.added",
            actor=written_by,
            obj=case,
            fields=["notes", *(["last_contact_at"] if is_contact else [])],
        )
    return note


def _may_be_assigned(user: Any, case: Case) -> bool:
    from madad import access

    return (
        isinstance(user, User)
        and user.is_active
        and access.visible_to(user, Case).filter(pk=case.pk).exists()
    )


def task_add(
    *,
    case: Case,
    added_by: User,
    title: str,
    due_on: dt.date | str | None,
    assigned_to: User | None = None,
) -> Task:
    """Adds a task with a due date, for the case's caseworker unless somebody else who can see
    the case is named. Not on a closed case."""
    errs = Errors()
    title = check.text(title, "title", errs, max_length=TITLE_MAX, required=True)
    due = check.date(due_on, "due_on", errs, required=True)
    assignee = assigned_to or case.caseworker
    if not _may_be_assigned(assignee, case):
        errs.add("assigned_to", _("Choose somebody who works on this case."))
    errs.raise_if()
    if due is None:  # refused above already (required); said again for the type checker
        raise invalid("due_on", _("This field is required."))
    with transaction.atomic():
        if lock(case)["status"] == Case.Status.CLOSED:
            raise closed()
        task = Task.objects.create(
            case=case,
            title=title,
            due_on=due,
            assigned_to=assignee,
            created_by=added_by,
        )
        audit_record(action="case.task.added", actor=added_by, obj=case, fields=["tasks"])
    return task


def task_done(*, task: Task, done_by: User) -> Task:
    """Marks the task done, once: a second click (or a colleague's, at the same moment) is
    told it was already done."""
    with transaction.atomic():
        if not Task.objects.filter(pk=task.pk, done_at__isnull=True).update(
            done_at=timezone.now(), done_by=done_by
        ):
            raise Conflict(_("This task was already marked done."), code="already_done")
        audit_record(action="case.task.done", actor=done_by, obj=task.case, fields=["tasks"])
    task.refresh_from_db()
    return task


def _needs(needs: Any, errs: Errors) -> dict[str, int]:
    if not isinstance(needs, Mapping) or not needs:
        errs.add("needs", _("Give the severity of at least one need."))
        return {}
    cleaned: dict[str, int] = {}
    for need, severity in needs.items():
        if need not in Need.values:
            errs.add("needs", _("Unknown need: choose from the listed needs."))
            continue
        if (
            isinstance(severity, bool)
            or not isinstance(severity, int)
            or severity not in Severity.values
        ):
            errs.add(f"needs.{need}", _("Severity is a whole number from 0 to 4."))
            continue
        cleaned[need] = severity
    return cleaned


def assessment_record(
    *, case: Case, assessed_by: User, needs: Mapping[str, int], summary: str = ""
) -> Assessment:
    """Records a needs assessment — a severity (0 none … 4 critical) per need, and an
    encrypted summary — as a new row, so that the history of reassessments is kept. The first
    assessment of an open case moves it to "assessed". Not on a closed case."""
    errs = Errors()
    cleaned = _needs(needs, errs)
    summary = check.text(summary, "summary", errs, max_length=SUMMARY_MAX, multiline=True)
    errs.raise_if()
    with transaction.atomic():
        current = lock(case)
        if current["status"] == Case.Status.CLOSED:
            raise closed()
        assessment = Assessment.objects.create(
            case=case, episode=current["episode"], assessed_by=assessed_by, summary=summary
        )
        AssessedNeed.objects.bulk_create(
            AssessedNeed(assessment=assessment, need=need, severity=severity)
            for need, severity in sorted(cleaned.items())
        )
        audit_record(
            action="case.assessment.recorded", actor=assessed_by, obj=case, fields=["assessments"]
        )
        if current["status"] == Case.Status.OPEN:
            move(case, current, to_status=Case.Status.ASSESSED, by=assessed_by)
    case.refresh_from_db()
    return assessment


def needs_of(assessment: Assessment) -> dict[str, int]:
    return {n.need: n.severity for n in assessment.needs.all()}
