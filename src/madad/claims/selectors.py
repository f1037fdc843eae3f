"""Reads of compensation claims, filtered by what the user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from madad import access
from madad.cases.models import Case
from madad.claims.models import Claim, ClaimStatusChange
from madad.evidence.models import EvidenceFile


def claim_list(
    *, user: Any, case: Case | None = None, status: str | None = None
) -> QuerySet[Claim]:
    claims = access.visible_to(user, Claim).select_related("case", "incident", "created_by")
    if case is not None:
        claims = claims.filter(case=case)
    if status:
        claims = claims.filter(status=status)
    return claims


def claims_needing_action(user: Any, *, mine_only: bool = True) -> QuerySet[Claim]:
    """Claims whose next action is due (today or earlier) and not paid, soonest first; by
    default those of the user's own cases (the caseworker's day), else every claim they see."""
    claims = (
        claim_list(user=user)
        .filter(next_action_on__lte=timezone.localdate())
        .exclude(status=Claim.Status.PAID)
    )
    if mine_only:
        claims = claims.filter(case__caseworker=user)
    return claims.order_by("next_action_on", "id")


def claim_history(*, user: Any, claim: Claim) -> QuerySet[ClaimStatusChange]:
    return access.visible_to(user, ClaimStatusChange).filter(claim=claim).select_related("by")


def claim_documents(*, claim: Claim) -> QuerySet[EvidenceFile]:
    """The claim's documents, for someone who can see the claim (callers fetch the claim
    through the access policy first)."""
    return claim.documents.select_related("uploaded_by").order_by("-uploaded_at", "-id")
