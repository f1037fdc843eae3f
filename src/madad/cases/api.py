"""/api/v1/cases and /api/v1/assessments: cases, their status and approvals, notes, tasks and
needs assessments.

Only the caseworker of a case (or their team, with MADAD_CASE_VISIBILITY=team) and the
coordinators of its organisation see it; for anybody else it does not exist (404). The plan,
the notes and the assessment summaries are read through access.reveal (audited). Refusals by
the case's state answer 409 with a stable code (invalid_transition, approval_needed,
pending_exists, already_decided, stale, active_case_exists, closed, already_done); refusals of
who asks answer 403 (not_requester: the four-eyes rule, not_allowed).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from madad import access
from madad.access.cases import may_see_cases, may_work_on_cases
from madad.accounts.models import User
from madad.api.errors import ApiError
from madad.api.pagination import paginated
from madad.cases import selectors, services
from madad.cases.errors import CaseRefused
from madad.cases.models import ApprovalRequest, Assessment, Case, Need, Task
from madad.households.models import Household

router = Router(tags=["cases"])
assessments_router = Router(tags=["cases"])

ID_MAX = 2**62
VERSION_HELP = "The version of the case you read; 409 if it changed since."


# --- input ------------------------------------------------------------------------------------
class CaseIn(Schema):
    household_id: int = Field(ge=1, le=ID_MAX)
    caseworker_id: int | None = Field(
        default=None, ge=1, le=ID_MAX, description="By default, the caller"
    )
    risk: Case.Risk = Case.Risk.MEDIUM
    next_follow_up: dt.date | None = None
    plan: str = Field(default="", max_length=10_000)


class CasePatch(Schema):
    version: int = Field(ge=1, le=2_000_000_000)
    risk: Case.Risk | None = None
    next_follow_up: dt.date | None = None
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


class TransitionIn(Schema):
    to_status: Case.Status
    version: int | None = Field(default=None, ge=1, le=2_000_000_000, description=VERSION_HELP)


class ReopenIn(Schema):
    reason: str = Field(min_length=1, max_length=2_000)
    version: int | None = Field(default=None, ge=1, le=2_000_000_000, description=VERSION_HELP)


class AssignIn(Schema):
    caseworker_id: int = Field(ge=1, le=ID_MAX)
    version: int | None = Field(default=None, ge=1, le=2_000_000_000, description=VERSION_HELP)


class ApprovalIn(Schema):
    kind: ApprovalRequest.Kind
    note: str = Field(default="", max_length=2_000)
    version: int | None = Field(default=None, ge=1, le=2_000_000_000, description=VERSION_HELP)


class DecisionIn(Schema):
    approve: bool
    reason: str = Field(
        default="",
        max_length=2_000,
        description="Needed to refuse, so that the caseworker knows why",
    )


class NoteIn(Schema):
    text: str = Field(min_length=1, max_length=10_000)
    is_contact: bool = False


class TaskIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    due_on: dt.date
    assigned_to_id: int | None = Field(default=None, ge=1, le=ID_MAX)


class AssessmentIn(Schema):
    needs: dict[Need, int] = Field(description="Severity (0 none … 4 critical) per need")
    summary: str = Field(default="", max_length=10_000)


class AssessmentFilters(Schema):
    case_id: int | None = Field(default=None, ge=1, le=ID_MAX)


class AssessmentSummary(Schema):
    id: int
    case_id: int
    episode: int
    assessed_by_id: int
    assessed_at: dt.datetime
    needs: dict[str, int]

    @staticmethod
    def resolve_needs(obj: Assessment) -> dict[str, int]:
        return {n.need: n.severity for n in obj.needs.all()}


class CaseSummary(Schema):
    id: int
    household_id: int
    caseworker_id: int
    status: str
    risk: str
    episode: int
    next_follow_up: dt.date | None
    last_contact_at: dt.datetime | None
    opened_at: dt.datetime
    closed_at: dt.datetime | None
    awaiting: bool
    version: int


# --- helpers ----------------------------------------------------------------------------------
def _invalid(exc: ValidationError) -> ApiError:
    return ApiError(
        422,
        "invalid",
        _("The request has errors."),
        {k: [str(m) for m in v] for k, v in exc.message_dict.items()},
    )


def _refused(refused: CaseRefused) -> ApiError:
    return ApiError(409 if refused.is_conflict else 403, refused.code, refused.message)


def _user(request: HttpRequest) -> User:
    if not may_see_cases(request.user):
        raise ApiError(404, "not_found", _("Not found."))
    return cast(User, request.user)


def _case(request: HttpRequest, case_id: int) -> Case:
    _user(request)
    return access.get_visible_or_404(request.user, Case, request=request, pk=case_id)


def _editable(request: HttpRequest, case_id: int) -> Case:
    case = _case(request, case_id)
    if not access.can_change(request.user, case):
        raise ApiError(403, "forbidden", _("Your role cannot change cases."))
    return case


def _colleague(request: HttpRequest, user_id: int | None, field: str) -> User | None:
    if user_id is None:
        return None
    found = User.objects.filter(
        pk=user_id, organisation_id=_user(request).organisation_id, is_active=True
    ).first()
    if found is None:
        raise ApiError(
            422,
            "invalid",
            _("The request has errors."),
            {field: [_("No colleague with this number.")]},
        )
    return found


def _approval_out(a: ApprovalRequest) -> dict[str, Any]:
    return {
        "id": a.pk,
        "kind": a.kind,
        "episode": a.episode,
        "requested_by_id": a.requested_by_id,
        "requested_at": a.requested_at,
        "note": a.note,
        "decision": a.decision,
        "decided_by_id": a.decided_by_id,
        "decided_at": a.decided_at,
        "reason": a.reason,
    }


def _task_out(t: Task) -> dict[str, Any]:
    return {
        "id": t.pk,
        "title": t.title,
        "due_on": t.due_on,
        "assigned_to_id": t.assigned_to_id,
        "done_at": t.done_at,
        "done_by_id": t.done_by_id,
    }


def _assessment_out(a: Assessment, summary: str) -> dict[str, Any]:
    return {
        "id": a.pk,
        "case_id": a.case_id,
        "episode": a.episode,
        "assessed_by_id": a.assessed_by_id,
        "assessed_at": a.assessed_at,
        "needs": {n.need: n.severity for n in a.needs.all()},
        "summary": summary,
    }


def case_out(request: HttpRequest, case: Case) -> dict[str, Any]:
    view = selectors.case_detail(user=request.user, case=case, request=request)  # type: ignore[arg-type]
    return {
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
        "history": [
            {
                "from_status": c.from_status or None,
                "to_status": c.to_status,
                "episode": c.episode,
                "by_id": c.by_id,
                "approved_by_id": c.approved_by_id,
                "reason": c.reason,
                "at": c.at,
            }
            for c in view.changes
        ],
        "approvals": [_approval_out(a) for a in view.approvals],
        "tasks": [_task_out(t) for t in view.tasks],
        "assessment_ids": [a.assessment.pk for a in view.assessments],
    }


# --- cases ------------------------------------------------------------------------------------
@router.get("", response=list[CaseSummary], summary="Cases you may see")
@paginated
def list_cases(request: HttpRequest, filters: Query[CaseFilters]) -> Any:
    _user(request)
    wanted = filters.dict()
    wanted["caseworker"] = wanted.pop("caseworker_id")
    wanted["household"] = wanted.pop("household_id")
    return selectors.case_list(user=request.user, filters=wanted)


@router.post("", response={201: dict}, summary="Open a case for a household")
def open_case(request: HttpRequest, payload: CaseIn) -> Status[dict[str, Any]]:
    user = _user(request)
    if not may_work_on_cases(user):
        raise ApiError(403, "forbidden", _("Your role cannot open cases."))
    household = access.get_visible_or_404(user, Household, request=request, pk=payload.household_id)
    caseworker = _colleague(request, payload.caseworker_id, "caseworker_id") or user
    try:
        case = services.case_open(
            household=household,
            caseworker=caseworker,
            opened_by=user,
            risk=payload.risk,
            next_follow_up=payload.next_follow_up,
            plan=payload.plan,
        )
    except ValidationError as exc:
        raise _invalid(exc) from None
    except CaseRefused as refused:
        raise _refused(refused) from None
    if not access.visible_to(user, Case).filter(pk=case.pk).exists():
        # opened for a colleague: the caller no longer sees it
        return Status(201, {"id": case.pk})
    return Status(201, case_out(request, case))


@router.get("/{int:case_id}", summary="One case with its history, approvals and tasks")
def get_case(request: HttpRequest, case_id: int) -> dict[str, Any]:
    return case_out(request, _case(request, case_id))


@router.patch(
    "/{int:case_id}",
    response={200: dict},
    summary="Change the risk, next follow-up or plan; 409 if the case changed",
)
def update_case(request: HttpRequest, case_id: int, payload: CasePatch) -> dict[str, Any]:
    case = _editable(request, case_id)
    changes = payload.dict(exclude_unset=True)
    version = changes.pop("version")
    try:
        case = services.case_update(
            case=case,
            updated_by=request.user,  # type: ignore[arg-type]
            expected_version=version,
            **changes,
        )
    except ValidationError as exc:
        raise _invalid(exc) from None
    except CaseRefused as refused:
        raise _refused(refused) from None
    return case_out(request, case)


def _act(request: HttpRequest, case_id: int, action: Any) -> dict[str, Any]:
    case = _editable(request, case_id)
    try:
        action(case, request.user)
    except ValidationError as exc:
        raise _invalid(exc) from None
    except CaseRefused as refused:
        raise _refused(refused) from None
    case.refresh_from_db()
    return case_out(request, case)


@router.post(
    "/{int:case_id}/transitions",
    response={200: dict},
    summary="Move the status (a direct move; agreeing the plan and closing need an approval)",
)
def transition(request: HttpRequest, case_id: int, payload: TransitionIn) -> dict[str, Any]:
    return _act(
        request,
        case_id,
        lambda case, user: services.case_transition(
            case=case, to_status=payload.to_status, by=user, expected_version=payload.version
        ),
    )


@router.post(
    "/{int:case_id}/reopen",
    response={200: dict},
    summary="Reopen a closed case as its next episode",
)
def reopen(request: HttpRequest, case_id: int, payload: ReopenIn) -> dict[str, Any]:
    return _act(
        request,
        case_id,
        lambda case, user: services.case_reopen(
            case=case, by=user, reason=payload.reason, expected_version=payload.version
        ),
    )


@router.post(
    "/{int:case_id}/assign",
    response={200: dict},
    summary="Give the case to another caseworker (coordinators)",
)
def assign(request: HttpRequest, case_id: int, payload: AssignIn) -> dict[str, Any]:
    caseworker = _colleague(request, payload.caseworker_id, "caseworker_id")
    case = _editable(request, case_id)
    try:
        services.case_assign(
            case=case,
            caseworker=caseworker,  # type: ignore[arg-type]
            assigned_by=request.user,  # type: ignore[arg-type]
            expected_version=payload.version,
        )
    except ValidationError as exc:
        raise _invalid(exc) from None
    except CaseRefused as refused:
        raise _refused(refused) from None
    if not access.visible_to(request.user, Case).filter(pk=case.pk).exists():
        return {"id": case.pk}
    return case_out(request, case)


# --- approvals --------------------------------------------------------------------------------
@router.post(
    "/{int:case_id}/approvals",
    response={201: dict},
    summary="Ask a coordinator to agree the plan or to close the case",
)
def request_approval(
    request: HttpRequest, case_id: int, payload: ApprovalIn
) -> Status[dict[str, Any]]:
    case = _editable(request, case_id)
    try:
        approval = services.approval_request(
            case=case,
            kind=payload.kind,
            requested_by=request.user,  # type: ignore[arg-type]
            note=payload.note,
            expected_version=payload.version,
        )
    except ValidationError as exc:
        raise _invalid(exc) from None
    except CaseRefused as refused:
        raise _refused(refused) from None
    return Status(201, _approval_out(approval))


def _approval(request: HttpRequest, case_id: int, approval_id: int) -> ApprovalRequest:
    case = _editable(request, case_id)
    approval = ApprovalRequest.objects.filter(case=case, pk=approval_id).first()
    if approval is None:
        raise ApiError(404, "not_found", _("Not found."))
    return approval


@router.post(
    "/{int:case_id}/approvals/{int:approval_id}/decision",
    response={200: dict},
    summary="Approve (performing the move) or refuse, with a reason; never your own request",
)
def decide(
    request: HttpRequest, case_id: int, approval_id: int, payload: DecisionIn
) -> dict[str, Any]:
    approval = _approval(request, case_id, approval_id)
    try:
        approval = services.approval_decide(
            approval=approval,
            decided_by=request.user,  # type: ignore[arg-type]
            approve=payload.approve,
            reason=payload.reason,
        )
    except ValidationError as exc:
        raise _invalid(exc) from None
    except CaseRefused as refused:
        raise _refused(refused) from None
    return _approval_out(approval)


@router.post(
    "/{int:case_id}/approvals/{int:approval_id}/withdraw",
    response={200: dict},
    summary="Take a waiting request back",
)
def withdraw(request: HttpRequest, case_id: int, approval_id: int) -> dict[str, Any]:
    approval = _approval(request, case_id, approval_id)
    try:
        approval = services.approval_withdraw(approval=approval, withdrawn_by=request.user)  # type: ignore[arg-type]
    except CaseRefused as refused:
        raise _refused(refused) from None
    return _approval_out(approval)


# --- notes and tasks --------------------------------------------------------------------------
@router.get(
    "/{int:case_id}/notes",
    response={200: list[dict]},
    summary="The case's notes (each read is audited)",
)
def list_notes(request: HttpRequest, case_id: int) -> list[dict[str, Any]]:
    case = _case(request, case_id)
    return [
        {
            "id": n.pk,
            "text": text,
            "is_contact": n.is_contact,
            "written_by_id": n.written_by_id,
            "written_at": n.written_at,
        }
        for n, text in selectors.case_detail(
            user=request.user,
            case=case,  # type: ignore[arg-type]
            request=request,
        ).notes
    ]


@router.post("/{int:case_id}/notes", response={201: dict}, summary="Add a note")
def add_note(request: HttpRequest, case_id: int, payload: NoteIn) -> Status[dict[str, Any]]:
    case = _editable(request, case_id)
    try:
        note = services.note_add(
            case=case,
            written_by=request.user,  # type: ignore[arg-type]
            text=payload.text,
            is_contact=payload.is_contact,
        )
    except ValidationError as exc:
        raise _invalid(exc) from None
    return Status(
        201,
        {
            "id": note.pk,
            "is_contact": note.is_contact,
            "written_by_id": note.written_by_id,
            "written_at": note.written_at,
        },
    )


@router.post("/{int:case_id}/tasks", response={201: dict}, summary="Add a task with a due date")
def add_task(request: HttpRequest, case_id: int, payload: TaskIn) -> Status[dict[str, Any]]:
    case = _editable(request, case_id)
    try:
        task = services.task_add(
            case=case,
            added_by=request.user,  # type: ignore[arg-type]
            title=payload.title,
            due_on=payload.due_on,
            assigned_to=_colleague(request, payload.assigned_to_id, "assigned_to_id"),
        )
    except ValidationError as exc:
        raise _invalid(exc) from None
    except CaseRefused as refused:
        raise _refused(refused) from None
    return Status(201, _task_out(task))


@router.post(
    "/{int:case_id}/tasks/{int:task_id}/done",
    response={200: dict},
    summary="Mark a task done (once)",
)
def task_done(request: HttpRequest, case_id: int, task_id: int) -> dict[str, Any]:
    case = _editable(request, case_id)
    task = Task.objects.filter(case=case, pk=task_id).first()
    if task is None:
        raise ApiError(404, "not_found", _("Not found."))
    try:
        task = services.task_done(task=task, done_by=request.user)  # type: ignore[arg-type]
    except CaseRefused as refused:
        raise _refused(refused) from None
    return _task_out(task)


# --- assessments ------------------------------------------------------------------------------
@router.post(
    "/{int:case_id}/assessments",
    response={201: dict},
    summary="Record a needs assessment (the first marks an open case assessed)",
)
def record_assessment(
    request: HttpRequest, case_id: int, payload: AssessmentIn
) -> Status[dict[str, Any]]:
    case = _editable(request, case_id)
    try:
        assessment = services.assessment_record(
            case=case,
            assessed_by=request.user,  # type: ignore[arg-type]
            needs={Need(k).value: v for k, v in payload.needs.items()},
            summary=payload.summary,
        )
    except ValidationError as exc:
        raise _invalid(exc) from None
    except CaseRefused as refused:
        raise _refused(refused) from None
    return Status(201, _assessment_out(assessment, assessment.summary))


def _summary(request: HttpRequest, assessment: Assessment) -> str:
    if not assessment.summary:
        return ""
    return access.reveal(
        request.user,
        assessment,
        request=request,  # type: ignore[arg-type]
        wanted=["summary"],
        action="case.assessment.viewed",
    ).get("summary", "")


@assessments_router.get(
    "",
    response=list[AssessmentSummary],
    summary="Needs assessments you may see, newest first (no summaries)",
)
@paginated
def list_assessments(request: HttpRequest, filters: Query[AssessmentFilters]) -> Any:
    _user(request)
    found = access.visible_to(request.user, Assessment).prefetch_related("needs")
    if filters.case_id is not None:
        found = found.filter(case_id=filters.case_id)
    return found


@assessments_router.get(
    "/{int:assessment_id}", summary="One needs assessment, with its summary (audited)"
)
def get_assessment(request: HttpRequest, assessment_id: int) -> dict[str, Any]:
    _user(request)
    assessment = access.get_visible_or_404(
        request.user, Assessment, request=request, pk=assessment_id
    )
    return _assessment_out(assessment, _summary(request, assessment))
