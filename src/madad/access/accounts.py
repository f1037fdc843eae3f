"""Who may see users, organisations and the audit trail."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from madad.access.base import Rules, can
from madad.access.roles import Capability
from madad.accounts.models import User


class UserRules(Rules):
    def visible(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if can(user, Capability.USERS_MANAGE):
            return queryset.filter(organisation_id=user.organisation_id)
        return queryset.filter(pk=user.pk)

    def can_change(self, user: User, obj: Any) -> bool:
        return can(user, Capability.USERS_MANAGE) and obj.organisation_id == user.organisation_id


class OrganisationRules(Rules):
    def visible(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(pk=user.organisation_id)


class AuditRules(Rules):
    def visible(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if can(user, Capability.AUDIT_VIEW):
            return queryset.filter(organisation_id=user.organisation_id)
        return queryset.none()


RULES: dict[str, Rules] = {
    "accounts.user": UserRules(public_fields=frozenset({"id", "email", "full_name", "role"})),
    "accounts.organisation": OrganisationRules(
        public_fields=frozenset({"id", "name", "name_ur", "kind"})
    ),
    "core.auditevent": AuditRules(
        public_fields=frozenset(
            {
                "id",
                "at",
                "actor_label",
                "action",
                "object_type",
                "object_id",
                "fields",
                "ip",
                "prev_hash",
                "hash",
            }
        )
    ),
}
