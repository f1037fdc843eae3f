"""Who may see persons, and which of their fields."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from madad.access.base import Rules, can, in_relief_org
from madad.access.roles import Capability
from madad.accounts.models import User

PERSON_IDENTITY_FIELDS = (
    "given_name",
    "family_name",
    "full_name_ur",
    "father_name",
    "aliases",
    "date_of_birth",
    "cnic",
    "phone",
    "address",
    "mother_tongue",
)


class PersonRules(Rules):
    def visible(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if can(user, Capability.PERSON_VIEW) and in_relief_org(user):
            return queryset.filter(organisation_id=user.organisation_id)
        return queryset.none()

    def can_change(self, user: User, obj: Any) -> bool:
        # the same organisation test as visible(): nobody changes what they may not see
        return (
            can(user, Capability.PERSON_EDIT)
            and in_relief_org(user)
            and obj.organisation_id == user.organisation_id
        )


RULES: dict[str, Rules] = {
    "people.person": PersonRules(
        public_fields=frozenset(
            {"id", "sex", "age", "deceased", "occupation", "created_at", "version"}
        ),
        restricted_fields={
            name: Capability.PERSON_IDENTITY_VIEW for name in PERSON_IDENTITY_FIELDS
        },
    ),
}
