"""Where a public incident is: its place made coarser as its location precision says.

The gazetteer is small (a city has hundreds of places, not millions), so it is read once per
request and every generalisation is done in memory; the database only ever groups incidents by
(place, precision), which an index serves.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.db.models import Q
from django.utils.translation import get_language

from madad.access.public import (
    LEVEL_RANK,
    LOCATION_PRECISIONS,
    PUBLIC_PLACE_COLUMNS,
    public_level,
)
from madad.places.models import Place


@dataclass(frozen=True)
class PublicPlace:
    id: int
    code: str
    name: str
    name_ur: str
    level: str
    parent_id: int | None
    latitude: float
    longitude: float

    @property
    def label(self) -> str:
        """The name in the current language."""
        if (get_language() or "").startswith("ur") and self.name_ur:
            return self.name_ur
        return self.name

    @property
    def level_label(self) -> str:
        return str(dict(Place.Level.choices).get(self.level, self.level))


class Gazetteer:
    """Every place, with the generalisation rules of access.public applied in memory."""

    def __init__(self, places: list[PublicPlace]) -> None:
        self.by_id = {p.id: p for p in places}
        self.by_code = {p.code: p for p in places}
        self._general: dict[tuple[int, str], PublicPlace] = {}

    @classmethod
    def load(cls) -> Gazetteer:
        rows = Place.objects.order_by("name").values(*PUBLIC_PLACE_COLUMNS)
        return cls(
            [
                PublicPlace(
                    id=r["id"],
                    code=r["code"],
                    name=r["name"],
                    name_ur=r["name_ur"] or "",
                    level=r["level"],
                    parent_id=r["parent_id"],
                    latitude=float(r["latitude"]),
                    longitude=float(r["longitude"]),
                )
                for r in rows
            ]
        )

    def parent(self, place: PublicPlace) -> PublicPlace | None:
        return self.by_id.get(place.parent_id) if place.parent_id else None

    def generalise(self, place_id: int, location_precision: str) -> PublicPlace | None:
        """The place an incident at `place_id` is shown at: the place itself or the nearest
        place above it that is at least as coarse as the precision allows."""
        key = (place_id, location_precision)
        if key not in self._general:
            wanted = LEVEL_RANK[public_level(location_precision)]
            place = self.by_id.get(place_id)
            steps = 0
            while place is not None and LEVEL_RANK.get(place.level, 3) < wanted and steps < 8:
                place = self.parent(place)
                steps += 1
            if place is None:
                return None
            self._general[key] = place
        return self._general[key]

    def ancestor(self, place: PublicPlace | None, level: str) -> PublicPlace | None:
        """This place or the nearest one above it at `level`, or None when the place is coarser
        than `level` (a district has no town)."""
        steps = 0
        while place is not None and place.level != level and steps < 8:
            if LEVEL_RANK.get(place.level, 3) > LEVEL_RANK[level]:
                return None
            place = self.parent(place)
            steps += 1
        return place

    def is_within(self, place: PublicPlace | None, area: PublicPlace) -> bool:
        steps = 0
        while place is not None and steps < 8:
            if place.id == area.id:
                return True
            place = self.parent(place)
            steps += 1
        return False

    def within_q(self, area: PublicPlace) -> Q:
        """Incidents whose *public* place is `area` or below it. An incident recorded in a
        neighbourhood of the area but published only at a coarser level is not within it: a
        filter must not reveal more than the map does."""
        query = Q(pk__in=[])
        known = list(LOCATION_PRECISIONS)
        for precision in [*known, ""]:
            ids = [
                pid for pid in self.by_id if self.is_within(self.generalise(pid, precision), area)
            ]
            if not ids:
                continue
            if precision:
                query |= Q(location_precision=precision, place_id__in=ids)
            else:  # any other value is published as coarsely as possible
                query |= Q(place_id__in=ids) & ~Q(location_precision__in=known)
        return query

    @cached_property
    def districts(self) -> list[PublicPlace]:
        return sorted(
            (p for p in self.by_id.values() if p.level == "district"), key=lambda p: p.name
        )

    @cached_property
    def towns(self) -> list[PublicPlace]:
        return sorted((p for p in self.by_id.values() if p.level == "town"), key=lambda p: p.name)
