"""Who may see users, organisations and the audit trail."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from madad.access.base import Rules, can, is_staff_user
from madad.access.roles import Capability
from madad.accounts.models import User
from madad.accounts.roles import Role


def may_decide_roles(user: User) -> bool:
    """Who approves or refuses the roles asked for their organisation's users: administrators
    and coordinators (each never for a request of their own: madad.accounts.role_requests)."""
    return can(user, Capability.USERS_MANAGE) or (
        is_staff_user(user) and user.role == Role.COORDINATOR
    )


class UserRules(Rules):
    def visible(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if can(user, Capability.USERS_MANAGE):
            return queryset.filter(organisation_id=user.organisation_id)
        return queryset.filter(pk=user.pk)

    def can_change(self, user: User, obj: Any) -> bool:
        return can(user, Capability.USERS_MANAGE) and obj.organisation_id == user.organisation_id


class RoleRequestRules(Rules):
    def visible(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if may_decide_roles(user):
            return queryset.filter(user__organisation_id=user.organisation_id)
        return queryset.none()

    def can_change(self, user: User, obj: Any) -> bool:
        return may_decide_roles(user) and obj.user.organisation_id == user.organisation_id


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
    "accounts.rolerequest": RoleRequestRules(
        public_fields=frozenset({"id", "user", "role", "status", "requested_by", "requested_at"})
    ),
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
