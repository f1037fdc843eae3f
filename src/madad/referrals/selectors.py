"""Reads of referrals, filtered by what the user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import F, Q, QuerySet

from madad import access
from madad.access.referrals import is_partner_user
from madad.cases.models import Case
from madad.referrals.models import Referral


def referral_list(
    *, user: Any, case: Case | None = None, status: str | None = None
) -> QuerySet[Referral]:
    """Staff: the referrals of the cases they can see. Partner users: the referrals sent to
    their organisation whose consent is in force (see madad.access.referrals)."""
    referrals = access.visible_to(user, Referral).select_related("organisation", "partner")
    if case is not None:
        referrals = referrals.filter(case=case)
    if status:
        referrals = referrals.filter(status=status)
    return referrals


def partner_inbox(*, user: Any) -> QuerySet[Referral]:
    """A partner's referrals, those waiting for an answer first."""
    if not is_partner_user(user):
        return Referral.objects.none()
    return referral_list(user=user).order_by(
        F("responded_at").asc(nulls_first=True), "-sent_at", "-id"
    )


def referral_responses_for(user: Any) -> QuerySet[Referral]:
    """New answers from partners for the caseworker's day: referrals of the user's own cases
    (or that they sent) answered since the user last opened them. Newest answer first."""
    if is_partner_user(user):
        return Referral.objects.none()
    return (
        referral_list(user=user)
        .filter(
            Q(case__caseworker=user) | Q(sent_by=user),
            responded_at__isnull=False,
        )
        .filter(
            Q(response_seen_at__isnull=True) | Q(response_seen_at__lt=F("responded_at")),
        )
        .select_related("case")
        .order_by("-responded_at", "-id")
    )
