"""Reads of assistance, filtered by what the user may see."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import BooleanField, F, OuterRef, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models import Case as DbCase

from madad import access
from madad.access.assistance import may_approve_assistance, may_approve_over_limit
from madad.assistance.models import Assistance, Kind, Limit
from madad.cases.models import Case

S = Assistance.Status


def assistance_list(
    *, user: Any, case: Case | None = None, status: str | None = None
) -> QuerySet[Assistance]:
    items = access.visible_to(user, Assistance).select_related(
        "case",
        "requested_by",
        "approved_by",
        "disbursed_by",
        "receipt_confirmed_by",
        "cancelled_by",
    )
    if case is not None:
        items = items.filter(case=case)
    if status:
        items = items.filter(status=status)
    return items


def _with_limit(items: QuerySet[Assistance]) -> QuerySet[Assistance]:
    """Each item with its kind's limit and whether it is over it (see _within_limit)."""
    limit = Limit.objects.filter(
        organisation_id=OuterRef("case__organisation_id"), kind=OuterRef("kind")
    ).values("max_amount")[:1]
    return items.annotate(kind_limit=Subquery(limit)).annotate(
        over_limit=DbCase(
            When(_within_limit(), then=Value(False)),
            default=Value(True),
            output_field=BooleanField(),
        )
    )


def _within_limit() -> Q:
    # the same rule as services.is_over_limit: no limit set means a coordinator approves
    return Q(amount__isnull=True) | Q(kind_limit__isnull=False, amount__lte=F("kind_limit"))


def awaiting_approval(*, user: Any) -> QuerySet[Assistance]:
    """Requested items this user could approve now: visible, not their own request, and, for
    a user who is not a coordinator, within the kind's limit. Oldest first."""
    if not may_approve_assistance(user):
        return Assistance.objects.none()
    items = _with_limit(assistance_list(user=user, status=S.REQUESTED)).exclude(requested_by=user)
    if not may_approve_over_limit(user):
        items = items.filter(_within_limit())
    return items.filter(case__status__in=(Case.Status.PLAN_AGREED, Case.Status.ASSISTING)).order_by(
        "requested_at", "id"
    )


def to_hand_over(*, user: Any) -> QuerySet[Assistance]:
    """Approved help in kind without an amount, waiting to be handed over, oldest approval
    first. (Items with an amount wait in the fund's list of assistance to pay.)"""
    return (
        assistance_list(user=user, status=S.APPROVED)
        .filter(amount__isnull=True)
        .order_by("approved_at", "id")
    )


def limits_by_kind(*, user: Any) -> dict[str, Limit | None]:
    """Every kind with its limit in the user's organisation (None where none is set)."""
    limits = {
        limit.kind: limit for limit in access.visible_to(user, Limit).select_related("updated_by")
    }
    return {kind: limits.get(kind) for kind in Kind.values}


def case_totals(*, user: Any, case: Case) -> dict[str, Decimal]:
    """Rupees approved (and later) and rupees disbursed (and later) on one case."""
    items = assistance_list(user=user, case=case)
    approved = items.filter(status__in=(S.APPROVED, S.DISBURSED, S.RECEIPT_CONFIRMED)).aggregate(
        total=Sum("amount")
    )["total"]
    disbursed = items.filter(status__in=(S.DISBURSED, S.RECEIPT_CONFIRMED)).aggregate(
        total=Sum("amount")
    )["total"]
    return {"approved": approved or Decimal("0.00"), "disbursed": disbursed or Decimal("0.00")}
