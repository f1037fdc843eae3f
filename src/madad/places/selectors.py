"""Reads of the gazetteer, through the access policy."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, IntegerField, QuerySet, Value, When

from madad import access
from madad.places.gazetteer import LEVELS
from madad.places.models import Place, PlaceChange
from madad.places.search import place_query

_LEVEL_RANK = Case(
    *(When(level=level, then=Value(rank)) for rank, level in enumerate(LEVELS)),
    default=Value(len(LEVELS)),
    output_field=IntegerField(),
)


def place_list(
    *, user: Any, query: str = "", level: str = "", parent: Place | None = None
) -> QuerySet[Place]:
    """Places the user may see, matching every word of `query` in either name (English or
    Urdu, any case or diacritics), broadest first."""
    places = access.visible_to(user, Place).select_related("parent", "parent__parent")
    if query:
        match = place_query(query)
        places = places.filter(match) if match is not None else places.none()
    if level:
        places = places.filter(level=level)
    if parent is not None:
        places = places.filter(parent=parent)
    return places.annotate(level_rank=_LEVEL_RANK).order_by("level_rank", "name", "id")


def pending_place_changes(*, user: Any, place: Place | None = None) -> QuerySet[PlaceChange]:
    """Changes waiting for a second administrator, oldest first (none for other users)."""
    changes = access.visible_to(user, PlaceChange).filter(status=PlaceChange.Status.PENDING)
    if place is not None:
        changes = changes.filter(place=place)
    return changes.select_related("place", "parent", "proposed_by").order_by("proposed_at", "id")
