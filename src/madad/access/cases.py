"""Who may see cases and their parts (status history, approvals, notes, tasks, assessments).

- Cases belong to the relief organisation that opened them. Partner organisations never see a
  case (404); what a partner sees of a referral is the referrals rules' business.
- A role with ``case.view_all`` (coordinators) sees every case of its organisation.
- A role with ``case.view_assigned`` (caseworkers) sees the cases assigned to them; with the
  setting MADAD_CASE_VISIBILITY=team also the cases assigned to anybody who shares one of their
  case teams (madad.cases.models.Team). Another caseworker's case answers 404.
- The parts of a case are visible with their case. The plan, the notes and the assessment
  summaries are encrypted; every read of them goes through ``access.reveal`` and is audited.
- Changing a case or adding to it needs ``case.edit`` and a case the user can see. Deciding an
  approval needs ``case.approve`` too, and the services add the four-eyes rule.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet

from madad.access.base import Rules, can, in_relief_org, is_staff_user
from madad.access.roles import Capability
from madad.accounts.models import User


def may_see_cases(user: Any) -> bool:
    """Whether cases exist at all for this user."""
    return (
        is_staff_user(user)
        and in_relief_org(user)
        and (can(user, Capability.CASE_VIEW_ALL) or can(user, Capability.CASE_VIEW_ASSIGNED))
    )


def may_work_on_cases(user: Any) -> bool:
    return may_see_cases(user) and can(user, Capability.CASE_EDIT)


def may_approve_cases(user: Any) -> bool:
    return may_see_cases(user) and can(user, Capability.CASE_APPROVE)


def case_visibility(user: User, prefix: str = "") -> Q | None:
    """The condition on cases (or on rows reaching a case through `prefix`, e.g. "case__")
    that this user may see; None when they may see no case at all."""
    if not may_see_cases(user):
        return None
    condition = Q(**{f"{prefix}organisation_id": user.organisation_id})
    if can(user, Capability.CASE_VIEW_ALL):
        return condition
    if settings.CASE_VISIBILITY == "team":
        colleagues = User.objects.filter(
            Q(pk=user.pk)
            | Q(case_teams__members=user, case_teams__organisation_id=user.organisation_id),
            organisation_id=user.organisation_id,
        ).values("pk")
        return condition & Q(**{f"{prefix}caseworker__in": colleagues})
    return condition & Q(**{f"{prefix}caseworker_id": user.pk})


class CaseRules(Rules):
    def visible(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        condition = case_visibility(user)
        return queryset.none() if condition is None else queryset.filter(condition)

    def can_change(self, user: User, obj: Any) -> bool:
        if not may_work_on_cases(user) or obj.organisation_id != user.organisation_id:
            return False
        return self.visible(user, type(obj)._default_manager.filter(pk=obj.pk)).exists()


class CasePartRules(Rules):
    """Rows of a case: visible and changeable with it."""

    case_path: str = "case"

    def visible(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        condition = case_visibility(user, prefix=f"{self.case_path}__")
        return queryset.none() if condition is None else queryset.filter(condition)

    def can_change(self, user: User, obj: Any) -> bool:
        case = obj
        for step in self.case_path.split("__"):
            case = getattr(case, step)
        return CaseRules().can_change(user, case)


class AssessedNeedRules(CasePartRules):
    case_path = "assessment__case"


class TeamRules(Rules):
    def visible(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if not may_see_cases(user):
            return queryset.none()
        return queryset.filter(organisation_id=user.organisation_id)

    def can_change(self, user: User, obj: Any) -> bool:
        return may_approve_cases(user) and obj.organisation_id == user.organisation_id


RULES: dict[str, Rules] = {
    "cases.case": CaseRules(
        public_fields=frozenset(
            {
                "id",
                "organisation",
                "household",
                "caseworker",
                "risk",
                "status",
                "episode",
                "plan",
                "opened_by",
                "opened_at",
                "closed_at",
                "next_follow_up",
                "last_contact_at",
                "updated_at",
                "version",
            }
        ),
    ),
    "cases.statuschange": CasePartRules(
        public_fields=frozenset(
            {
                "id",
                "case",
                "episode",
                "from_status",
                "to_status",
                "by",
                "approved_by",
                "reason",
                "at",
            }
        ),
    ),
    "cases.approvalrequest": CasePartRules(
        public_fields=frozenset(
            {
                "id",
                "case",
                "episode",
                "kind",
                "requested_by",
                "requested_at",
                "note",
                "decision",
                "decided_by",
                "decided_at",
                "reason",
            }
        ),
    ),
    "cases.note": CasePartRules(
        public_fields=frozenset({"id", "case", "text", "written_by", "written_at", "is_contact"}),
    ),
    "cases.task": CasePartRules(
        public_fields=frozenset(
            {
                "id",
                "case",
                "title",
                "due_on",
                "assigned_to",
                "created_by",
                "created_at",
                "done_at",
                "done_by",
            }
        ),
    ),
    "cases.assessment": CasePartRules(
        public_fields=frozenset({"id", "case", "episode", "assessed_by", "assessed_at", "summary"}),
    ),
    "cases.assessedneed": AssessedNeedRules(
        public_fields=frozenset({"id", "assessment", "need", "severity"}),
    ),
    "cases.team": TeamRules(public_fields=frozenset({"id", "name", "members"})),
}
