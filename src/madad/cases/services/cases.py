"""Opening, changing, assigning, moving and reopening cases."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from madad.access.base import can
from madad.access.roles import Capability
from madad.accounts.models import User
from madad.cases import workflow
from madad.cases.models import Assessment, Case, StatusChange
from madad.cases.services.transitions import closed, lock, move, write
from madad.core import validation as check
from madad.core.audit import audit_record
from madad.core.refusals import Conflict, Errors, NotAllowed, invalid
from madad.households.models import Household

S = Case.Status
PLAN_MAX = 10_000
REASON_MAX = 2_000


def _check_caseworker(caseworker: Any, organisation_id: int, errors: Errors) -> None:
    if not (
        isinstance(caseworker, User)
        and caseworker.is_active
        and caseworker.organisation_id == organisation_id
        and can(caseworker, Capability.CASE_EDIT)
        and (
            can(caseworker, Capability.CASE_VIEW_ASSIGNED)
            or can(caseworker, Capability.CASE_VIEW_ALL)
        )
    ):
        errors.add(
            "caseworker", _("Choose an active caseworker or coordinator of your organisation.")
        )


def _refuse_second_active_case() -> Conflict:
    return Conflict(
        _(
            "This household already has a case that is not closed; work on that one (or close "
            "it) instead."
        ),
        code="active_case_exists",
    )


def case_open(
    *,
    household: Household,
    caseworker: User,
    opened_by: User,
    risk: str = Case.Risk.MEDIUM,
    next_follow_up: dt.date | str | None = None,
    plan: str = "",
) -> Case:
    """Opens a case for the household, assigned to `caseworker`, in status open (episode 1).
    Refused while the household has another case that is not closed."""
    errs = Errors()
    check.choice(risk, "risk", errs, Case.Risk.values)
    follow_up = check.date(next_follow_up, "next_follow_up", errs)
    plan = check.text(plan, "plan", errs, max_length=PLAN_MAX, multiline=True)
    _check_caseworker(caseworker, household.organisation_id, errs)
    errs.raise_if()
    with transaction.atomic():
        Household.objects.select_for_update().filter(pk=household.pk).first()
        if Case.objects.filter(household=household).exclude(status=S.CLOSED).exists():
            raise _refuse_second_active_case()
        try:
            with transaction.atomic():
                case = Case.objects.create(
                    organisation_id=household.organisation_id,
                    household=household,
                    caseworker=caseworker,
                    opened_by=opened_by,
                    risk=risk,
                    next_follow_up=follow_up,
                    plan=plan,
                )
        except IntegrityError:
            raise _refuse_second_active_case() from None
        StatusChange.objects.create(
            case=case, episode=1, from_status="", to_status=S.OPEN, by=opened_by, at=case.opened_at
        )
        audit_record(
            action="case.opened",
            actor=opened_by,
            obj=case,
            fields=[
                "household",
                "caseworker",
                "risk",
                "next_follow_up",
                *(["plan"] if plan else []),
            ],
        )
    return case


def case_update(*, case: Case, updated_by: User, expected_version: int, **changes: Any) -> Case:
    """Changes the risk level, the next follow-up date or the plan, if nobody changed the case
    since `expected_version`. The plan can be written only before it is agreed, and not while
    its approval is being asked for; a closed case changes only by being reopened."""
    unknown = set(changes) - {"risk", "next_follow_up", "plan"}
    if unknown:
        raise TypeError(f"Unknown case fields: {', '.join(sorted(unknown))}")
    errs = Errors()
    cleaned: dict[str, Any] = {}
    if "risk" in changes:
        cleaned["risk"] = check.choice(changes["risk"], "risk", errs, Case.Risk.values)
    if "next_follow_up" in changes:
        cleaned["next_follow_up"] = check.date(changes["next_follow_up"], "next_follow_up", errs)
    if "plan" in changes:
        cleaned["plan"] = check.text(
            changes["plan"], "plan", errs, max_length=PLAN_MAX, multiline=True
        )
    errs.raise_if()
    with transaction.atomic():
        current = lock(case, expected_version)
        if current["status"] == S.CLOSED:
            raise closed()
        stored = Case.objects.get(pk=case.pk)
        changed = {k: v for k, v in cleaned.items() if getattr(stored, k) != v}
        if "plan" in changed:
            if current["status"] not in workflow.PLAN_EDITABLE:
                raise Conflict(
                    _(
                        "The plan was agreed; to change it, reopen the case or record the change "
                        "in a note."
                    ),
                    code="invalid_transition",
                )
            if stored.approval_requests.filter(kind="agree_plan", decision="pending").exists():
                raise Conflict(
                    _(
                        "The plan is waiting for a coordinator's approval; withdraw the request "
                        "to change it."
                    ),
                    code="pending_exists",
                )
        if changed:
            write(case, current, changed)
            audit_record(action="case.updated", actor=updated_by, obj=case, fields=list(changed))
    case.refresh_from_db()
    return case


def case_assign(
    *, case: Case, caseworker: User, assigned_by: User, expected_version: int | None = None
) -> Case:
    """Gives the case to another caseworker (a coordinator's decision: case.view_all)."""
    if not can(assigned_by, Capability.CASE_VIEW_ALL):
        raise NotAllowed(_("Only a coordinator assigns cases."), code="not_allowed")
    errs = Errors()
    _check_caseworker(caseworker, case.organisation_id, errs)
    errs.raise_if()
    with transaction.atomic():
        current = lock(case, expected_version)
        if current["status"] == S.CLOSED:
            raise closed()
        if current["caseworker_id"] != caseworker.pk:
            write(case, current, {"caseworker": caseworker})
            audit_record(action="case.assigned", actor=assigned_by, obj=case, fields=["caseworker"])
    case.refresh_from_db()
    return case


def case_transition(
    *, case: Case, to_status: str, by: User, expected_version: int | None = None
) -> Case:
    """Makes a direct move of the status table (workflow.DIRECT); refuses every other move with
    a message that says what to do instead (ask for an approval, reopen, assess first)."""
    if to_status not in S.values:
        raise invalid("to_status", _("Choose one of the listed values."))
    with transaction.atomic():
        current = lock(case, expected_version)
        refused = workflow.refusal(current["status"], to_status)
        if refused is not None:
            raise refused
        if (
            to_status == S.ASSESSED
            and not Assessment.objects.filter(case=case, episode=current["episode"]).exists()
        ):
            raise Conflict(_("Record a needs assessment first."), code="invalid_transition")
        move(case, current, to_status=to_status, by=by)
    case.refresh_from_db()
    return case


def case_reopen(*, case: Case, by: User, reason: str, expected_version: int | None = None) -> Case:
    """Reopens a closed case as its next episode: status open, no closing time, and the needs
    to be assessed and the plan agreed again. The reason is required and kept."""
    errs = Errors()
    reason = check.text(
        reason, "reason", errs, max_length=REASON_MAX, required=True, multiline=True
    )
    errs.raise_if()
    with transaction.atomic():
        current = lock(case, expected_version)
        if current["status"] != S.CLOSED:
            raise Conflict(_("Only a closed case can be reopened."), code="invalid_transition")
        Household.objects.select_for_update().filter(pk=case.household_id).first()
        if (
            Case.objects.filter(household_id=case.household_id)
            .exclude(status=S.CLOSED)
            .exclude(pk=case.pk)
            .exists()
        ):
            raise _refuse_second_active_case()
        try:
            with transaction.atomic():
                move(case, current, to_status=S.OPEN, by=by, note=reason)
        except IntegrityError:
            raise _refuse_second_active_case() from None
        audit_record(action="case.reopened", actor=by, obj=case, fields=["episode"])
    case.refresh_from_db()
    return case


def contact_recorded(case: Case, at: dt.datetime | None = None) -> None:
    """Notes the latest contact with the family (no new version: it changes no decision)."""
    at = at or timezone.now()
    Case.objects.filter(pk=case.pk).update(last_contact_at=at)
    case.last_contact_at = at
