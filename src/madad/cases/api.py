"""/api/v1/cases and /api/v1/assessments: cases, their status and approvals, notes, tasks and
needs assessments.

Only the caseworker of a case (or their team, with MADAD_CASE_VISIBILITY=team) and the
coordinators of its organisation see it; for anybody else it does not exist (404). The plan,
the notes and the assessment summaries are read through access.reveal (audited). Refusals by
the case's state answer 409 with a stable code (invalid_transition, approval_needed,
pending_exists, already_decided, stale, active_case_exists, closed, already_done); refusals of
who asks answer 403 (not_requester: the four-eyes rule, not_allowed, forbidden).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Query, Router, Schema, Status
from pydantic import Field, StrictBool, StrictInt

from madad import access
from madad.access.cases import may_approve_cases, may_see_cases, may_work_on_cases
from madad.accounts.models import User
from madad.api.errors import errors
from madad.api.pagination import paginated
from madad.api.records import PathRecords
from madad.api.types import IsoDate
from madad.cases import selectors, services
from madad.cases.models import ApprovalRequest, Assessment, Case, Need, StatusChange, Task
from madad.core.http import AuthedRequest
from madad.core.refusals import NotAllowed, NotVisible, invalid
from madad.households.models import Household

router = Router(tags=["cases"])
assessments_router = Router(tags=["cases"])
Endpoint = TypeVar("Endpoint", bound=Callable[..., Any])

ID_MAX = 2**62
VERSION_MAX = 2_000_000_000
VERSION_HELP = "The version of the case you read; 409 if it changed since."


def _version(required: bool = False) -> Any:
    if required:
        return Field(ge=1, le=VERSION_MAX, description=VERSION_HELP)
    return Field(default=None, ge=1, le=VERSION_MAX, description=VERSION_HELP)


# --- input ------------------------------------------------------------------------------------
class CaseIn(Schema):
    household_id: StrictInt = Field(ge=1, le=ID_MAX)
    caseworker_id: StrictInt | None = Field(
        default=None, ge=1, le=ID_MAX, description="By default, the caller"
    )
    risk: Case.Risk = Case.Risk.MEDIUM
    next_follow_up: IsoDate | None = None
    plan: str = Field(default="", max_length=10_000)


class CasePatch(Schema):
    version: StrictInt = _version(required=True)
    risk: Case.Risk | None = None
    next_follow_up: IsoDate | None = None
    plan: str | None = Field(default=None, max_length=10_000)


class CaseFilters(Schema):
    status: str | None = Field(
        default=None, pattern="^(active|open|assessed|plan_agreed|assisting|follow_up|closed)$"
    )
    risk: Case.Risk | None = None
    caseworker_id: int | None = Field(default=None, ge=1, le=ID_MAX)
    household_id: int | None = Field(default=None, ge=1, le=ID_MAX)
    overdue: bool = False
    awaiting: bool = False


class CaseTransitionIn(Schema):
    to_status: Case.Status
    version: StrictInt | None = _version()


class CaseReopenIn(Schema):
    reason: str = Field(min_length=1, max_length=2_000)
    version: StrictInt | None = _version()


class CaseAssignIn(Schema):
    caseworker_id: StrictInt = Field(ge=1, le=ID_MAX)
    version: StrictInt | None = _version()


class CaseApprovalIn(Schema):
    kind: ApprovalRequest.Kind
    note: str = Field(default="", max_length=2_000)
    version: StrictInt | None = _version()


class CaseDecisionIn(Schema):
    approve: StrictBool
    reason: str = Field(
        default="",
        max_length=2_000,
        description="Needed to refuse, so that the caseworker knows why",
    )


class CaseNoteIn(Schema):
    text: str = Field(min_length=1, max_length=10_000)
    is_contact: StrictBool = False


class CaseTaskIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    due_on: IsoDate
    assigned_to_id: StrictInt | None = Field(default=None, ge=1, le=ID_MAX)


class AssessmentIn(Schema):
    needs: dict[Need, int] = Field(description="Severity (0 none … 4 critical) per need")
    summary: str = Field(default="", max_length=10_000)


class AssessmentFilters(Schema):
    case_id: int | None = Field(default=None, ge=1, le=ID_MAX)


# --- output -----------------------------------------------------------------------------------
class AssessmentSummary(Schema):
    id: int
    case_id: int
    episode: int
    assessed_by_id: int
    assessed_at: dt.datetime
    needs: dict[str, int]

    @staticmethod
    def resolve_needs(obj: Assessment) -> dict[str, int]:
        return services.needs_of(obj)


class AssessmentOut(Schema):
    id: int
    case_id: int
    episode: int
    assessed_by_id: int
    assessed_at: dt.datetime
    needs: dict[str, int]
    summary: str


class CaseSummary(Schema):
    id: int
    household_id: int
    caseworker_id: int
    status: str
    risk: str
    episode: int
    next_follow_up: IsoDate | None
    last_contact_at: dt.datetime | None
    opened_at: dt.datetime
    closed_at: dt.datetime | None
    awaiting: bool
    version: int


class CaseRefOut(Schema):
    """A case the caller no longer sees (opened for, or given to, a colleague)."""

    id: int


class CaseStatusChangeOut(Schema):
    from_status: str | None
    to_status: str
    episode: int
    by_id: int
    approved_by_id: int | None
    note: str
    at: dt.datetime

    @staticmethod
    def resolve_from_status(obj: StatusChange) -> str | None:
        return obj.from_status or None


class CaseApprovalOut(Schema):
    id: int
    kind: str
    episode: int
    requested_by_id: int
    requested_at: dt.datetime
    note: str
    decision: str
    decided_by_id: int | None
    decided_at: dt.datetime | None
    reason: str


class CaseTaskOut(Schema):
    id: int
    title: str
    due_on: IsoDate
    assigned_to_id: int
    done_at: dt.datetime | None
    done_by_id: int | None


class CaseNoteAddedOut(Schema):
    id: int
    is_contact: bool
    written_by_id: int
    written_at: dt.datetime


class CaseNoteOut(CaseNoteAddedOut):
    text: str


class CaseOut(Schema):
    id: int
    household_id: int
    caseworker_id: int
    status: str
    risk: str
    episode: int
    plan: str
    opened_by_id: int | None
    opened_at: dt.datetime
    closed_at: dt.datetime | None
    next_follow_up: IsoDate | None
    last_contact_at: dt.datetime | None
    updated_at: dt.datetime
    version: int
    history: list[CaseStatusChangeOut]
    approvals: list[CaseApprovalOut]
    tasks: list[CaseTaskOut]
    assessment_ids: list[int]


# --- helpers ----------------------------------------------------------------------------------
def _action(
    path: str, out: Any, summary: str, *, status: int = 200
) -> Callable[[Endpoint], Endpoint]:
    """An action on one case (a POST to /cases/{id}/<path>): it answers `status` with `out`,
    or with the refusal."""
    return router.post(
        f"/{{int:case_id}}/{path}",
        response={status: out, **errors(403, 404, 409, 422)},
        summary=summary,
    )


CASES = PathRecords(
    Case, may_see=may_see_cases, may_not_change=gettext_lazy("Your role cannot change cases.")
)


def _colleague(request: AuthedRequest, user_id: int, field: str) -> User:
    found = User.objects.filter(
        pk=user_id, organisation_id=CASES.caller(request).organisation_id, is_active=True
    ).first()
    if found is None:
        raise invalid(field, _("No colleague with this number."))
    return found


def case_out(user: User, case: Case) -> CaseOut:
    view = selectors.case_detail(user=user, case=case)
    return CaseOut.model_validate(
        {
            "id": case.pk,
            "household_id": case.household_id,
            "caseworker_id": case.caseworker_id,
            "status": case.status,
            "risk": case.risk,
            "episode": case.episode,
            "plan": view.plan,
            "opened_by_id": case.opened_by_id,
            "opened_at": case.opened_at,
            "closed_at": case.closed_at,
            "next_follow_up": case.next_follow_up,
            "last_contact_at": case.last_contact_at,
            "updated_at": case.updated_at,
            "version": case.version,
            "history": [CaseStatusChangeOut.from_orm(c) for c in view.changes],
            "approvals": [CaseApprovalOut.from_orm(a) for a in view.approvals],
            "tasks": [CaseTaskOut.from_orm(t) for t in view.tasks],
            "assessment_ids": [a.assessment.pk for a in view.assessments],
        }
    )


def _case_or_ref(user: User, case: Case) -> CaseOut | CaseRefOut:
    """The case, or only its number once the caller no longer sees it."""
    if not access.visible_to(user, Case).filter(pk=case.pk).exists():
        return CaseRefOut(id=case.pk)
    return case_out(user, case)


# --- cases ------------------------------------------------------------------------------------
@router.get("", response={200: list[CaseSummary], **errors(404, 422)}, summary="Cases you may see")
@paginated
def list_cases(request: AuthedRequest, filters: Query[CaseFilters]) -> Any:
    wanted = filters.dict()
    wanted["caseworker"] = wanted.pop("caseworker_id")
    wanted["household"] = wanted.pop("household_id")
    return selectors.case_list(user=CASES.caller(request), filters=wanted)


@router.post(
    "",
    response={201: CaseOut | CaseRefOut, **errors(403, 404, 409, 422)},
    summary="Open a case for a household",
)
def open_case(request: AuthedRequest, payload: CaseIn) -> Status[CaseOut | CaseRefOut]:
    user = CASES.caller(request)
    if not may_work_on_cases(user):
        raise NotAllowed(_("Your role cannot open cases."))
    household = access.get_visible_or_404(user, Household, pk=payload.household_id)
    caseworker = (
        user
        if payload.caseworker_id is None
        else _colleague(request, payload.caseworker_id, "caseworker_id")
    )
    case = services.case_open(
        household=household,
        caseworker=caseworker,
        opened_by=user,
        risk=payload.risk,
        next_follow_up=payload.next_follow_up,
        plan=payload.plan,
    )
    return Status(201, _case_or_ref(user, case))


@router.get(
    "/{int:case_id}",
    response={200: CaseOut, **errors(404, 422)},
    summary="One case with its history, approvals and tasks",
)
def get_case(request: AuthedRequest, case_id: int) -> CaseOut:
    return case_out(request.user, CASES.visible(request, case_id))


@router.patch(
    "/{int:case_id}",
    response={200: CaseOut, **errors(403, 404, 409, 422)},
    summary="Change the risk, next follow-up or plan; 409 if the case changed",
)
def update_case(request: AuthedRequest, case_id: int, payload: CasePatch) -> CaseOut:
    case = CASES.changeable(request, case_id)
    changes = payload.dict(exclude_unset=True)
    version = changes.pop("version")
    case = services.case_update(
        case=case, updated_by=request.user, expected_version=version, **changes
    )
    return case_out(request.user, case)


@_action(
    "transitions",
    CaseOut,
    "Move the status (a direct move; agreeing the plan and closing need an approval)",
)
def transition(request: AuthedRequest, case_id: int, payload: CaseTransitionIn) -> CaseOut:
    case = services.case_transition(
        case=CASES.changeable(request, case_id),
        to_status=payload.to_status,
        by=request.user,
        expected_version=payload.version,
    )
    return case_out(request.user, case)


@_action("reopen", CaseOut, "Reopen a closed case as its next episode")
def reopen(request: AuthedRequest, case_id: int, payload: CaseReopenIn) -> CaseOut:
    case = services.case_reopen(
        case=CASES.changeable(request, case_id),
        by=request.user,
        reason=payload.reason,
        expected_version=payload.version,
    )
    return case_out(request.user, case)


@_action("assign", CaseOut | CaseRefOut, "Give the case to another caseworker (coordinators)")
def assign(request: AuthedRequest, case_id: int, payload: CaseAssignIn) -> CaseOut | CaseRefOut:
    case = CASES.changeable(request, case_id)  # the case named first: 404 before the body
    case = services.case_assign(
        case=case,
        caseworker=_colleague(request, payload.caseworker_id, "caseworker_id"),
        assigned_by=request.user,
        expected_version=payload.version,
    )
    return _case_or_ref(request.user, case)


# --- approvals --------------------------------------------------------------------------------
@_action(
    "approvals",
    CaseApprovalOut,
    "Ask a coordinator to agree the plan or to close the case",
    status=201,
)
def request_approval(
    request: AuthedRequest, case_id: int, payload: CaseApprovalIn
) -> Status[ApprovalRequest]:
    approval = services.approval_request(
        case=CASES.changeable(request, case_id),
        kind=payload.kind,
        requested_by=request.user,
        note=payload.note,
        expected_version=payload.version,
    )
    return Status(201, approval)


def _approval(request: AuthedRequest, case_id: int, approval_id: int) -> ApprovalRequest:
    case = CASES.changeable(request, case_id)
    approval = ApprovalRequest.objects.filter(case=case, pk=approval_id).first()
    if approval is None:
        raise NotVisible()
    return approval


@_action(
    "approvals/{int:approval_id}/decision",
    CaseApprovalOut,
    "Approve (performing the move) or refuse, with a reason; never your own request",
)
def decide(
    request: AuthedRequest, case_id: int, approval_id: int, payload: CaseDecisionIn
) -> ApprovalRequest:
    approval = _approval(request, case_id, approval_id)
    if not may_approve_cases(request.user):
        raise NotVisible()  # as on the case's page: deciding is a coordinator's, before the body
    return services.approval_decide(
        approval=approval,
        decided_by=request.user,
        approve=payload.approve,
        reason=payload.reason,
    )


@_action("approvals/{int:approval_id}/withdraw", CaseApprovalOut, "Take a waiting request back")
def withdraw(request: AuthedRequest, case_id: int, approval_id: int) -> ApprovalRequest:
    return services.approval_withdraw(
        approval=_approval(request, case_id, approval_id), withdrawn_by=request.user
    )


# --- notes and tasks --------------------------------------------------------------------------
@router.get(
    "/{int:case_id}/notes",
    response={200: list[CaseNoteOut], **errors(404, 422)},
    summary="The case's notes (each read is audited)",
)
def list_notes(request: AuthedRequest, case_id: int) -> list[CaseNoteOut]:
    view = selectors.case_detail(user=request.user, case=CASES.visible(request, case_id))
    return [
        CaseNoteOut(
            id=note.pk,
            text=text,
            is_contact=note.is_contact,
            written_by_id=note.written_by_id,
            written_at=note.written_at,
        )
        for note, text in view.notes
    ]


@_action("notes", CaseNoteAddedOut, "Add a note", status=201)
def add_note(request: AuthedRequest, case_id: int, payload: CaseNoteIn) -> Status[Any]:
    note = services.note_add(
        case=CASES.changeable(request, case_id),
        written_by=request.user,
        text=payload.text,
        is_contact=payload.is_contact,
    )
    return Status(201, note)


@_action("tasks", CaseTaskOut, "Add a task with a due date", status=201)
def add_task(request: AuthedRequest, case_id: int, payload: CaseTaskIn) -> Status[Task]:
    case = CASES.changeable(request, case_id)
    task = services.task_add(
        case=case,
        added_by=request.user,
        title=payload.title,
        due_on=payload.due_on,
        assigned_to=None
        if payload.assigned_to_id is None
        else _colleague(request, payload.assigned_to_id, "assigned_to_id"),
    )
    return Status(201, task)


@_action("tasks/{int:task_id}/done", CaseTaskOut, "Mark a task done (once)")
def task_done(request: AuthedRequest, case_id: int, task_id: int) -> Task:
    case = CASES.changeable(request, case_id)
    task = Task.objects.filter(case=case, pk=task_id).first()
    if task is None:
        raise NotVisible()
    return services.task_done(task=task, done_by=request.user)


# --- assessments ------------------------------------------------------------------------------
def _assessment_out(assessment: Assessment, summary: str) -> AssessmentOut:
    return AssessmentOut(
        id=assessment.pk,
        case_id=assessment.case_id,
        episode=assessment.episode,
        assessed_by_id=assessment.assessed_by_id,
        assessed_at=assessment.assessed_at,
        needs=services.needs_of(assessment),
        summary=summary,
    )


@_action(
    "assessments",
    AssessmentOut,
    "Record a needs assessment (the first marks an open case assessed)",
    status=201,
)
def record_assessment(
    request: AuthedRequest, case_id: int, payload: AssessmentIn
) -> Status[AssessmentOut]:
    assessment = services.assessment_record(
        case=CASES.changeable(request, case_id),
        assessed_by=request.user,
        needs={Need(k).value: v for k, v in payload.needs.items()},
        summary=payload.summary,
    )
    return Status(201, _assessment_out(assessment, assessment.summary))


@assessments_router.get(
    "",
    response={200: list[AssessmentSummary], **errors(404, 422)},
    summary="Needs assessments you may see, newest first (no summaries)",
)
@paginated
def list_assessments(request: AuthedRequest, filters: Query[AssessmentFilters]) -> Any:
    found = access.visible_to(CASES.caller(request), Assessment).prefetch_related("needs")
    if filters.case_id is not None:
        found = found.filter(case_id=filters.case_id)
    return found


@assessments_router.get(
    "/{int:assessment_id}",
    response={200: AssessmentOut, **errors(404, 422)},
    summary="One needs assessment, with its summary (audited)",
)
def get_assessment(request: AuthedRequest, assessment_id: int) -> AssessmentOut:
    assessment = access.get_visible_or_404(CASES.caller(request), Assessment, pk=assessment_id)
    summary = (
        access.reveal(
            request.user, assessment, wanted=["summary"], action="case.assessment.viewed"
        ).get("summary", "")
        if assessment.summary
        else ""
    )
    return _assessment_out(assessment, summary)
