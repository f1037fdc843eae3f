"""Who may see and change the gazetteer.

Place names and centroids are public knowledge, shared by every organisation: any active staff
user (partners included) may look them up. Changing them is the `place.edit` capability.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from madad.access.base import Rules, can
from madad.access.roles import Capability
from madad.accounts.models import User


class PlaceRules(Rules):
    def visible(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset

    def can_change(self, user: User, obj: Any) -> bool:
        return can(user, Capability.PLACE_EDIT)


RULES: dict[str, Rules] = {
    "places.place": PlaceRules(
        public_fields=frozenset(
            {"id", "code", "name", "name_ur", "level", "parent", "latitude", "longitude", "version"}
        ),
    ),
}
