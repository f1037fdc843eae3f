"""The building blocks of the access policy: capabilities of a user, and per-model rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from madad.access.roles import capabilities_of

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from madad.accounts.models import User


def is_staff_user(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def can(user: User | AnonymousUser | None, capability: str) -> bool:
    """Whether the user's role carries the capability (see madad.access.roles)."""
    if not is_staff_user(user):
        return False
    return capability in capabilities_of(user.role)  # type: ignore[union-attr]


def in_relief_org(user: User) -> bool:
    return not user.organisation.is_partner


@dataclass(frozen=True)
class Rules:
    """What one model allows. A subclass overrides the parts that differ; the defaults refuse."""

    # fields anybody who may read the record may see
    public_fields: frozenset[str] = field(default_factory=frozenset)
    # restricted fields, each with the capability needed to see it
    restricted_fields: dict[str, str] = field(default_factory=dict)

    def visible(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.none()

    def can_change(self, user: User, obj: Any) -> bool:
        return False

    def fields_of(self, user: User, obj: Any, fields: frozenset[str]) -> frozenset[str]:
        """The fields of this one record the user may read, given the ones their role may read
        (`fields`). Rules where it depends on the record (the case's own caseworker) narrow it."""
        return fields
