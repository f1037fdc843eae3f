"""Synthetic demo cases for the demo households, at every stage: open, assessed (some waiting
for the plan to be agreed), plan agreed, assisting, follow-up (some waiting to be closed),
closed, and reopened as a second episode; with assessments, encrypted notes, tasks, a refused
request now and then, late follow-ups and cases nobody contacted for weeks.

Everything goes through the services, as the demo caseworker asks and the demo coordinator
decides (never their own request). Afterwards each case's timestamps are spread over the months
since it was opened, in the order things happened, so that the day and the coordinator's view
have something to show. Runs after the households loader.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from madad.accounts.models import User
from madad.accounts.roles import Role
from madad.cases import services
from madad.cases.models import ApprovalRequest, Assessment, Case, Need, Note, StatusChange, Task
from madad.core.demo import DemoContext
from madad.households.models import Household

# stage: share of the households
STAGES = [
    ("open", 10),
    ("assessed", 10),
    ("awaiting_plan", 8),
    ("plan_agreed", 8),
    ("assisting", 24),
    ("follow_up", 10),
    ("awaiting_close", 6),
    ("closed", 16),
    ("reopened", 8),
]
PLANS = [
    "(Demo) School fees for the children for one year; a cash grant for three months while "
    "the family finds an income; referral for legal aid on the FIR.",
    "(Demo) Medical bills for the injured member; rent for two months; livelihood grant for a "
    "sewing machine.",
    "(Demo) Food support for two months; psychosocial support for the children; help to file "
    "for government compensation.",
]
NOTES = [
    "(Demo) Home visit. The family is safe but afraid to go out after dark.",
    "(Demo) Phone call with the head of household; the school asked about the fees again.",
    "(Demo) Met at the office; brought copies of the FIR and the hospital record.",
    "(Demo) The landlord agreed to wait one more month for the rent.",
]
TASKS = [
    "(Demo) Collect the school fee receipts",
    "(Demo) Visit the family",
    "(Demo) Check the compensation file at the deputy commissioner's office",
    "(Demo) Call the hospital about the bills",
]


def _needs(rng: random.Random) -> dict[str, int]:
    return {need: rng.choices([0, 1, 2, 3, 4], [25, 20, 25, 20, 10])[0] for need in Need.values}


def _steps(stage: str) -> list[str]:
    """The actions that take a new case to `stage`."""
    path = ["assess", "plan", "ask_plan", "agree", "assist", "follow_up", "ask_close", "close"]
    upto = {
        "open": 0,
        "assessed": 2,
        "awaiting_plan": 3,
        "plan_agreed": 4,
        "assisting": 5,
        "follow_up": 6,
        "awaiting_close": 7,
        "closed": 8,
        "reopened": 8,
    }[stage]
    steps = path[:upto]
    if stage == "reopened":
        steps += ["reopen", "assess"]
    return steps


def _build(rng: random.Random, household: Household, stage: str, worker: User, boss: User) -> Case:
    case = services.case_open(
        household=household,
        caseworker=worker,
        opened_by=worker,
        risk=rng.choices(Case.Risk.values, [20, 45, 25, 10])[0],
    )

    def ask(kind: str) -> ApprovalRequest:
        return services.approval_request(case=case, kind=kind, requested_by=worker)

    def approve(kind: str) -> None:
        approval = ask(kind)
        if rng.random() < 0.15:
            services.approval_decide(
                approval=approval,
                decided_by=boss,
                approve=False,
                reason="(Demo) Please add the rent arrears and ask again.",
            )
            approval = ask(kind)
        services.approval_decide(approval=approval, decided_by=boss, approve=True)

    actions: dict[str, Callable[[], Any]] = {
        "assess": lambda: services.assessment_record(
            case=case,
            assessed_by=worker,
            needs=_needs(rng),
            summary="(Demo) The family lost its main income; the children's schooling is at risk.",
        ),
        "plan": lambda: services.case_update(
            case=case, updated_by=worker, expected_version=case.version, plan=rng.choice(PLANS)
        ),
        "ask_plan": lambda: ask("agree_plan"),
        "agree": lambda: services.approval_decide(
            approval=case.approval_requests.get(decision="pending"), decided_by=boss, approve=True
        ),
        "assist": lambda: services.case_transition(case=case, to_status="assisting", by=worker),
        "follow_up": lambda: services.case_transition(case=case, to_status="follow_up", by=worker),
        "ask_close": lambda: ask("close"),
        "close": lambda: services.approval_decide(
            approval=case.approval_requests.get(decision="pending"), decided_by=boss, approve=True
        ),
        "reopen": lambda: services.case_reopen(
            case=case, by=worker, reason="(Demo) The family was threatened again."
        ),
    }
    steps = _steps(stage)
    if "ask_plan" in steps and "agree" in steps and rng.random() < 0.2:
        # now and then a plan is refused once before it is agreed
        steps[steps.index("ask_plan") : steps.index("agree") + 1] = ["agree_after_refusal"]
        actions["agree_after_refusal"] = lambda: approve("agree_plan")
    for step in steps:
        actions[step]()
        case.refresh_from_db()
        if step in ("assess", "assist") and rng.random() < 0.7:
            services.note_add(case=case, written_by=worker, text=rng.choice(NOTES), is_contact=True)
    if not case.is_closed:
        for _n in range(rng.choice([0, 1, 2])):
            services.task_add(
                case=case,
                added_by=worker,
                title=rng.choice(TASKS),
                due_on=timezone.localdate() + dt.timedelta(days=rng.randint(-5, 20)),
            )
    return case


def _spread(rng: random.Random, case: Case, opened: dt.datetime) -> None:
    """Moves every timestamp of the case's records into [opened, now), keeping their order."""
    now = timezone.now()
    stamps: list[tuple[dt.datetime, Any, int, str]] = []
    for model, fields in (
        (StatusChange, ["at"]),
        (ApprovalRequest, ["requested_at", "decided_at"]),
        (Assessment, ["assessed_at"]),
        (Note, ["written_at"]),
        (Task, ["created_at", "done_at"]),
    ):
        for row in model.objects.filter(case=case).values("pk", *fields):
            stamps.extend((row[f], model, row["pk"], f) for f in fields if row[f] is not None)
    stamps.sort(key=lambda s: (s[0], s[1].__name__, s[2]))
    span = (now - opened - dt.timedelta(days=1)).total_seconds()
    moved: dict[tuple[Any, int], dict[str, dt.datetime]] = {}
    for i, (_old, model, pk, field) in enumerate(stamps):
        at = opened + dt.timedelta(seconds=span * i / max(1, len(stamps)))
        moved.setdefault((model, pk), {})[field] = at
    for (model, pk), values in moved.items():
        model.objects.filter(pk=pk).update(**values)
    last = stamps and moved[(stamps[-1][1], stamps[-1][2])][stamps[-1][3]]
    changes = StatusChange.objects.filter(case=case)
    closing = changes.filter(to_status="closed").order_by("-at").first()
    contact = Note.objects.filter(case=case, is_contact=True).order_by("-written_at").first()
    case.refresh_from_db()
    Case.objects.filter(pk=case.pk).update(
        opened_at=opened,
        updated_at=last or opened,
        closed_at=closing.at if case.is_closed and closing else None,
        last_contact_at=contact.written_at if contact else None,
        next_follow_up=None
        if case.is_closed
        else timezone.localdate() + dt.timedelta(days=rng.randint(-12, 25)),
    )


def load(context: DemoContext) -> None:
    if Case.objects.filter(organisation=context.relief).exists():
        return
    households = list(Household.objects.filter(organisation=context.relief).order_by("pk"))
    if not households:
        context.report.append("no cases (no households yet)")
        return
    rng = context.rng
    worker, boss = context.users[Role.CASEWORKER], context.users[Role.COORDINATOR]
    stages = [s for s, _w in STAGES]
    weights = [w for _s, w in STAGES]
    # every stage at least once, then by their shares
    plan = stages[: len(households)] + rng.choices(
        stages, weights, k=max(0, len(households) - len(stages))
    )
    with transaction.atomic():
        for household, stage in zip(households, plan, strict=False):
            case = _build(rng, household, stage, worker, boss)
            opened = timezone.now() - dt.timedelta(
                days=rng.randint(20, 400), hours=rng.randint(0, 23)
            )
            _spread(rng, case, opened)
    context.report.append(f"{len(households)} cases at every stage")
