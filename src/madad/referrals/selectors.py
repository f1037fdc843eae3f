"""Reads of referrals, filtered by what the user may see."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Q, QuerySet

from madad import access
from madad.access.referrals import is_partner_user
from madad.cases.models import Case
from madad.referrals.models import Referral, ReferralAnswer


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


@dataclass(frozen=True)
class Answer:
    """One answer of the partner as shown: the row (from, to, when) and its own note."""

    answer: ReferralAnswer
    note: str


def referral_answers(*, user: Any, referrals: Iterable[Referral]) -> dict[int, list[Answer]]:
    """The history of answers of each of these referrals that the user may see (exactly those
    who see the referral, madad.access.referrals), oldest first. Each note is read through
    access.reveal, audited as "referral.answer.viewed", like what the referral shares."""
    answers: dict[int, list[Answer]] = {referral.pk: [] for referral in referrals}
    rows = access.visible_to(user, ReferralAnswer).filter(referral_id__in=list(answers))
    for row in rows.order_by("at", "id"):
        note = ""
        if row.note:
            shown = access.reveal(user, row, wanted=["note"], action="referral.answer.viewed")
            note = shown.get("note", "")
        answers[row.referral_id].append(Answer(answer=row, note=note))
    return answers
