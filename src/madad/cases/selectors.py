"""Reads about cases, through the access policy: the case list, one case with its history, the
caseworker's day and the coordinator's view."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from madad import access
from madad.access.cases import may_approve_cases, may_see_cases
from madad.access.roles import Capability
from madad.accounts.models import User
from madad.cases.models import ApprovalRequest, Assessment, Case, Note, StatusChange, Task
from madad.claims.models import Claim
from madad.claims.selectors import claims_needing_action
from madad.people.models import Person
from madad.referrals.models import Referral
from madad.referrals.selectors import referral_responses_for

S = Case.Status
ACTIVE = [s for s in S.values if s != S.CLOSED]
NAMES = ("given_name", "family_name", "full_name_ur")


def _pending(kind: str | None = None) -> Exists:
    condition = Q(case=OuterRef("pk"), decision=ApprovalRequest.Decision.PENDING)
    if kind:
        condition &= Q(kind=kind)
    return Exists(ApprovalRequest.objects.filter(condition))


def case_list(*, user: Any, filters: dict[str, Any] | None = None) -> QuerySet[Case]:
    """The cases the user may see, newest first, narrowed by status ("active" for every status
    but closed), risk, caseworker, "overdue" (follow-up date passed) and "awaiting" (an
    approval waiting)."""
    cases = (
        access.visible_to(user, Case)
        .select_related("household", "caseworker")
        .annotate(awaiting=_pending())
    )
    filters = filters or {}
    status = filters.get("status")
    if status == "active":
        cases = cases.exclude(status=S.CLOSED)
    elif status:
        cases = cases.filter(status=status)
    if filters.get("risk"):
        cases = cases.filter(risk=filters["risk"])
    if filters.get("caseworker"):
        cases = cases.filter(caseworker=filters["caseworker"])
    if filters.get("household"):
        cases = cases.filter(household=filters["household"])
    if filters.get("overdue"):
        cases = cases.filter(next_follow_up__lt=timezone.localdate()).exclude(status=S.CLOSED)
    if filters.get("awaiting"):
        cases = cases.filter(awaiting=True)
    return cases


def person_names(user: Any, persons: list[Person]) -> dict[int, dict[str, str]]:
    """Display names by person id ("latin", "urdu"), each read audited through access.reveal,
    only for a role that may see identities."""
    if not access.can(user, Capability.PERSON_IDENTITY_VIEW):
        return {}
    names: dict[int, dict[str, str]] = {}
    for person in {p.pk: p for p in persons if p is not None}.values():
        shown = access.reveal(user, person, wanted=NAMES)
        names[person.pk] = {
            "latin": " ".join(filter(None, [shown.get("given_name"), shown.get("family_name")])),
            "urdu": shown.get("full_name_ur", ""),
        }
    return names


def head_names(user: Any, cases: Any) -> dict[int, dict[str, str]]:
    heads = [c.household.head for c in cases if c.household.head is not None]
    visible = set(
        access.visible_to(user, Person)
        .filter(pk__in=[p.pk for p in heads])
        .values_list("pk", flat=True)
    )
    return person_names(user, [p for p in heads if p.pk in visible])


# --- one case ---------------------------------------------------------------------------------
@dataclass
class AssessmentView:
    assessment: Assessment
    summary: str
    needs: dict[str, int]


@dataclass
class CaseView:
    case: Case
    plan: str
    changes: list[StatusChange]
    approvals: list[ApprovalRequest]
    notes: list[tuple[Note, str]]
    tasks: list[Task]
    assessments: list[AssessmentView]
    pending: dict[str, ApprovalRequest] = field(default_factory=dict)


def case_detail(*, user: User, case: Case) -> CaseView:
    """The case with its history; the plan, notes and assessment summaries are read through
    access.reveal (each audited)."""
    plan = (
        access.reveal(user, case, wanted=["plan"], action="case.plan.viewed").get("plan", "")
        if case.plan
        else ""
    )
    notes = list(access.visible_to(user, Note).filter(case=case).select_related("written_by"))
    note_texts = [
        (
            n,
            access.reveal(user, n, wanted=["text"], action="case.note.viewed").get("text", ""),
        )
        for n in notes
    ]
    assessments = list(
        access.visible_to(user, Assessment)
        .filter(case=case)
        .select_related("assessed_by")
        .prefetch_related("needs")
    )
    summaries = {
        a.pk: access.reveal(user, a, wanted=["summary"], action="case.assessment.viewed").get(
            "summary", ""
        )
        if a.summary
        else ""
        for a in assessments
    }
    approvals = list(
        access.visible_to(user, ApprovalRequest)
        .filter(case=case)
        .select_related("requested_by", "decided_by")
    )
    return CaseView(
        case=case,
        plan=plan,
        changes=list(
            access.visible_to(user, StatusChange)
            .filter(case=case)
            .select_related("by", "approved_by")
        ),
        approvals=approvals,
        notes=note_texts,
        tasks=list(
            access.visible_to(user, Task)
            .filter(case=case)
            .select_related("assigned_to", "done_by")
            .order_by("done_at", "due_on", "id")
        ),
        assessments=[
            AssessmentView(a, summaries[a.pk], {n.need: n.severity for n in a.needs.all()})
            for a in assessments
        ],
        pending={a.kind: a for a in approvals if a.is_pending},
    )


# --- the caseworker's day and the coordinator's view ------------------------------------------
@dataclass
class Day:
    overdue_follow_ups: list[Case]
    due_today: list[Case]
    tasks_due: list[Task]
    awaiting_approval: list[ApprovalRequest]
    recently_refused: list[ApprovalRequest]
    referral_responses: list[Referral]
    claims_needing_action: list[Claim]


def my_day(*, user: User, today: dt.date | None = None, days_ahead: int = 7) -> Day:
    """What a caseworker has to do: follow-ups that are late or due today on their own cases,
    their open tasks due within `days_ahead` days (late ones first), their requests waiting
    for a coordinator, requests refused in the last two weeks, new answers to their referrals and
    their claims needing action."""
    today = today or timezone.localdate()
    mine = (
        access.visible_to(user, Case)
        .filter(caseworker=user)
        .exclude(status=S.CLOSED)
        .select_related("household")
    )
    tasks = (
        access.visible_to(user, Task)
        .filter(
            assigned_to=user,
            done_at__isnull=True,
            due_on__lte=today + dt.timedelta(days=days_ahead),
        )
        .exclude(case__status=S.CLOSED)
        .select_related("case")
        .order_by("due_on", "id")
    )
    approvals = access.visible_to(user, ApprovalRequest).select_related("case", "decided_by")
    return Day(
        overdue_follow_ups=list(
            mine.filter(next_follow_up__lt=today).order_by("next_follow_up", "id")
        ),
        due_today=list(mine.filter(next_follow_up=today).order_by("id")),
        tasks_due=list(tasks),
        awaiting_approval=list(
            approvals.filter(
                decision=ApprovalRequest.Decision.PENDING, case__caseworker=user
            ).order_by("requested_at")
        ),
        recently_refused=list(
            approvals.filter(
                decision=ApprovalRequest.Decision.REFUSED,
                case__caseworker=user,
                decided_at__gte=timezone.now() - dt.timedelta(days=14),
            ).order_by("-decided_at")
        ),
        referral_responses=list(referral_responses_for(user)),
        claims_needing_action=list(claims_needing_action(user)),
    )


@dataclass
class Caseload:
    caseworker: User
    active: int
    by_status: dict[str, int]
    overdue: int
    high_risk: int


@dataclass
class Overview:
    caseloads: list[Caseload]
    approvals_waiting: list[ApprovalRequest]
    without_contact: list[Case]
    no_contact_days: int


def coordinator_overview(*, user: User, today: dt.date | None = None) -> Overview | None:
    """For a coordinator (case.approve with every case of the organisation in view): active
    cases per caseworker by status, with late follow-ups and high or critical risk; every
    approval waiting, oldest first; and the active cases with no recorded contact for
    MADAD_CASE_NO_CONTACT_DAYS days (counted from the opening when there was none yet).
    None for anybody else."""
    if not (may_approve_cases(user) and may_see_cases(user)):
        return None
    today = today or timezone.localdate()
    days = settings.CASE_NO_CONTACT_DAYS
    active = access.visible_to(user, Case).exclude(status=S.CLOSED)
    rows = (
        active.values("caseworker", "status")
        .annotate(
            n=Count("id"),
            late=Count("id", filter=Q(next_follow_up__lt=today)),
            high=Count("id", filter=Q(risk__in=[Case.Risk.HIGH, Case.Risk.CRITICAL])),
        )
        .order_by()
    )
    loads: dict[int, Caseload] = {}
    workers = {u.pk: u for u in User.objects.filter(pk__in={r["caseworker"] for r in rows})}
    for row in rows:
        load = loads.setdefault(
            row["caseworker"],
            Caseload(workers[row["caseworker"]], 0, dict.fromkeys(ACTIVE, 0), 0, 0),
        )
        load.active += row["n"]
        load.by_status[row["status"]] = row["n"]
        load.overdue += row["late"]
        load.high_risk += row["high"]
    cutoff = timezone.now() - dt.timedelta(days=days)
    without_contact = (
        active.filter(
            Q(last_contact_at__lt=cutoff) | Q(last_contact_at__isnull=True, opened_at__lt=cutoff)
        )
        .select_related("caseworker", "household")
        .order_by("last_contact_at", "opened_at", "id")
    )
    return Overview(
        caseloads=sorted(loads.values(), key=lambda c: (-c.active, c.caseworker.full_name)),
        approvals_waiting=list(
            access.visible_to(user, ApprovalRequest)
            .filter(decision=ApprovalRequest.Decision.PENDING)
            .select_related("case", "case__caseworker", "requested_by")
            .order_by("requested_at", "id")
        ),
        without_contact=list(without_contact[:200]),
        no_contact_days=days,
    )
