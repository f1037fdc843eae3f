"""Who may see and change the gazetteer.

Place names and centroids are public knowledge, shared by every organisation: any active staff
user (partners included) may look them up. The gazetteer is reference data of the deployment:
only administrators (the `place.edit` capability) propose changes to it, and a change reaches
the places (and the public map) only when a second administrator approves it
(madad.places.services). Pending changes are seen by those who may approve them.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from madad.access.base import Rules, can, is_staff_user
from madad.access.roles import Capability
from madad.accounts.models import User


def may_edit_places(user: User | AnonymousUser | None) -> bool:
    return is_staff_user(user) and can(user, Capability.PLACE_EDIT)


class PlaceRules(Rules):
    def visible(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset

    def can_change(self, user: User, obj: Any) -> bool:
        return may_edit_places(user)


class PlaceChangeRules(Rules):
    def visible(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset if may_edit_places(user) else queryset.none()

    def can_change(self, user: User, obj: Any) -> bool:
        return may_edit_places(user)


RULES: dict[str, Rules] = {
    "places.place": PlaceRules(
        public_fields=frozenset(
            {"id", "code", "name", "name_ur", "level", "parent", "latitude", "longitude", "version"}
        ),
    ),
    "places.placechange": PlaceChangeRules(
        public_fields=frozenset(
            {
                "id",
                "place",
                "base_version",
                "name",
                "name_ur",
                "latitude",
                "longitude",
                "parent",
                "fields",
                "status",
                "proposed_by",
                "proposed_at",
                "decided_by",
                "decided_at",
                "version",
            }
        ),
    ),
}
