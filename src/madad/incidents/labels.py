"""Names of places and vocabulary in the language of the current request."""

from __future__ import annotations

from django.utils.translation import get_language

from madad.places.models import Place


def in_urdu() -> bool:
    return (get_language() or "").startswith("ur")


def place_name(place: Place | None) -> str:
    if place is None:
        return ""
    return place.name_ur if in_urdu() and place.name_ur else place.name


def place_label(place: Place | None) -> str:
    """ "Nazimabad, Central": the place and the place it is part of (not the city)."""
    if place is None:
        return ""
    parent = place.parent if place.parent_id else None
    if parent is None or parent.level == Place.Level.CITY:
        return place_name(place)
    return (
        f"{place_name(place)}، {place_name(parent)}"
        if in_urdu()
        else f"{place_name(place)}, {place_name(parent)}"
    )
