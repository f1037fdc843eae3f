"""Who may see households and their members, and which of their fields.

- Households belong to the relief organisation that registered them; partner organisations
  never see one (404).
- A role with ``household.view`` and ``case.view_all`` (coordinators) sees every household of
  its organisation.
- A role with ``household.view`` but only some cases (caseworkers) sees the households of the
  cases it may see, and the households it registered itself (so that a household registered
  today can have its case opened tomorrow).
- The address is encrypted; it needs ``person.identity.view`` like a person's address, and
  every read goes through ``access.reveal`` (audited as ``household.address.viewed``).
- Members are visible with their household. Their names are the persons' identity fields,
  read through the persons' own rules.
- Changing a household or its members needs ``household.edit`` and a household the user sees.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from madad.access.base import Rules, can, in_relief_org, is_staff_user
from madad.access.cases import case_visibility
from madad.access.roles import Capability
from madad.accounts.models import User
from madad.cases.models import Case


def may_see_households(user: Any) -> bool:
    return is_staff_user(user) and in_relief_org(user) and can(user, Capability.HOUSEHOLD_VIEW)


def may_register_households(user: Any) -> bool:
    return may_see_households(user) and can(user, Capability.HOUSEHOLD_EDIT)


def household_visibility(user: User, prefix: str = "") -> Q | None:
    """The condition on households (or rows reaching one through `prefix`) the user may see;
    None when they may see none."""
    if not may_see_households(user):
        return None
    condition = Q(**{f"{prefix}organisation_id": user.organisation_id})
    if can(user, Capability.CASE_VIEW_ALL):
        return condition
    registered = Q(**{f"{prefix}created_by_id": user.pk})
    cases = case_visibility(user)
    if cases is None:
        return condition & registered
    return condition & (
        registered | Q(**{f"{prefix}pk__in": Case.objects.filter(cases).values("household_id")})
    )


class HouseholdRules(Rules):
    def visible(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        condition = household_visibility(user)
        return queryset.none() if condition is None else queryset.filter(condition)

    def can_change(self, user: User, obj: Any) -> bool:
        if not may_register_households(user) or obj.organisation_id != user.organisation_id:
            return False
        return self.visible(user, type(obj)._default_manager.filter(pk=obj.pk)).exists()


class MemberRules(Rules):
    def visible(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        condition = household_visibility(user, prefix="household__")
        return queryset.none() if condition is None else queryset.filter(condition)

    def can_change(self, user: User, obj: Any) -> bool:
        return HouseholdRules().can_change(user, obj.household)


RULES: dict[str, Rules] = {
    "households.household": HouseholdRules(
        public_fields=frozenset(
            {
                "id",
                "organisation",
                "head",
                "place",
                "monthly_income_before",
                "monthly_income_after",
                "affected_by",
                "created_by",
                "created_at",
                "updated_at",
                "version",
            }
        ),
        restricted_fields={"address": Capability.PERSON_IDENTITY_VIEW},
    ),
    "households.member": MemberRules(
        public_fields=frozenset(
            {"id", "household", "person", "relation", "dependant", "schooling", "added_at"}
        ),
    ),
}
