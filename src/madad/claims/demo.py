"""Synthetic demo compensation claims at several statuses.

For some of the demo cases that are not closed, the demo caseworker records a claim on a
fictitious government scheme, for the incident that hit the household when there is one, and
moves it along: documents requested, handed in, approved, paid, rejected and appealed. Some
claims have their next action due today or earlier (the caseworker's day shows them), and a
few carry a demo document (a plain text file stored as evidence of the incident).
Runs after the cases loader; idempotent.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from madad.accounts.roles import Role
from madad.cases.models import Case
from madad.claims import services
from madad.claims.models import Claim
from madad.core.demo import DemoContext, scaled
from madad.incidents.models import Incident

SCHEMES = [
    (
        "(Demo) Provincial compensation scheme for victims of violence",
        "(Demo) Home Department, provincial government",
    ),
    (
        "(Demo) Relief package for the families of those killed",
        "(Demo) Office of the Deputy Commissioner",
    ),
    (
        "(Demo) Compensation for property destroyed in attacks",
        "(Demo) Provincial Relief Commissioner",
    ),
]
# the statuses a claim passes through to reach its stage
PATHS: dict[str, list[str]] = {
    "filed": [],
    "documents_requested": ["documents_requested"],
    "resubmitted": ["documents_requested", "filed"],
    "approved": ["approved"],
    "paid": ["documents_requested", "filed", "approved", "paid"],
    "rejected": ["rejected"],
    "appealed": ["rejected", "appealed"],
}
NEXT = {
    "filed": "(Demo) Ask the office whether the file has reached the committee",
    "documents_requested": "(Demo) Bring the death certificate and the FIR copy",
    "resubmitted": "(Demo) Check that the documents were received",
    "approved": "(Demo) Collect the cheque",
    "rejected": "(Demo) Decide with the family whether to appeal",
    "appealed": "(Demo) Appeal hearing",
}
DEMO_CLAIMS = 14


def _incident_of(case: Case) -> Incident | None:
    return Incident.objects.filter(acts__households=case.household).order_by("pk").first()


def load(context: DemoContext) -> None:
    if Claim.objects.filter(case__organisation=context.relief).exists():
        return
    cases = list(
        Case.objects.filter(organisation=context.relief)
        .exclude(status__in=[Case.Status.CLOSED, Case.Status.OPEN])
        .order_by("pk")
    )
    if not cases:
        context.report.append("no claims (no assessed cases yet)")
        return
    rng = context.rng
    worker = context.users[Role.CASEWORKER]
    today = timezone.localdate()
    stages = list(PATHS)
    count = scaled(context, DEMO_CLAIMS)
    plan = stages[:count] + rng.choices(stages, k=max(0, count - len(stages)))
    with transaction.atomic():
        for n, stage in enumerate(plan):
            case = cases[n % len(cases)]
            scheme, authority = SCHEMES[n % len(SCHEMES)]
            claimed = Decimal(rng.randrange(100_000, 1_000_001, 50_000))
            filed_on = today - dt.timedelta(days=rng.randint(30, 300))
            claim = services.claim_file(
                case=case,
                filed_by=worker,
                scheme=scheme,
                authority=authority,
                authority_reference=f"DEMO/{filed_on.year}/{rng.randint(100, 999)}",
                filed_on=filed_on,
                amount_claimed=claimed,
                incident=_incident_of(case),
            )
            for status in PATHS[stage]:
                award = (
                    (claimed * Decimal(rng.choice(["0.5", "0.75", "1"]))).quantize(Decimal("1"))
                    if status == "approved"
                    else None
                )
                services.claim_update_status(
                    claim=claim,
                    changed_by=worker,
                    status=status,
                    amount_awarded=award,
                    note=f"(Demo) {Claim.Status(status).label}.",
                )
            if claim.status != Claim.Status.PAID:
                # about half are due today or late: the caseworker's day lists them
                due = today + dt.timedelta(days=rng.randint(-10, 20))
                services.claim_set_next_action(
                    claim=claim, changed_by=worker, next_action_on=due, next_action=NEXT[stage]
                )
            if claim.incident_id and n % 4 == 0:
                services.claim_attach_document(
                    claim=claim,
                    uploaded_by=worker,
                    description="(Demo) Copy of the FIR",
                    file=ContentFile(
                        b"(Demo) First Information Report - copy for the "
                        b"compensation file. Fictitious.\n",
                        name="demo-fir-copy.txt",
                    ),
                )
    context.report.append(f"{len(plan)} compensation claims at several statuses")
