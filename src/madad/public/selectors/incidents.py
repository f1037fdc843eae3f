"""The one public selector: verified incidents, whitelisted columns, generalised places.

Every public page, chart, map point, fact-sheet figure and open-data row comes from
``public_incidents(filters=...)``. It reads the database only with ``values()`` over the
columns access.public lists, so no model instance, and no encrypted field, is ever loaded.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language

from madad.access.public import (
    PUBLIC_ACT_COLUMNS,
    PUBLIC_INCIDENT_COLUMNS,
    PUBLIC_SOURCE_COLUMNS,
    PUBLIC_TYPE_COLUMNS,
    publishable_incidents,
)
from madad.incidents.models import Act, Incident, IncidentType, Source, format_partial_date
from madad.public.selectors.places import Gazetteer, PublicPlace

ACT_TYPES = [value for value, _label in Act.Type.choices]
ACT_LABELS = dict(Act.Type.choices)
SOURCE_LABELS = dict(Source.Kind.choices)
_TYPES_THROUGH = Incident.types.through


@dataclass(frozen=True)
class PublicType:
    code: str
    name: str
    name_ur: str

    @property
    def label(self) -> str:
        if (get_language() or "").startswith("ur") and self.name_ur:
            return self.name_ur
        return self.name


def type_table() -> dict[int, PublicType]:
    return {
        r["id"]: PublicType(code=r["code"], name=r["name"], name_ur=r["name_ur"] or "")
        for r in IncidentType.objects.order_by("position", "name").values(*PUBLIC_TYPE_COLUMNS)
    }


@dataclass(frozen=True)
class PublicFilters:
    """What a visitor (or a fact-sheet figure) narrows the public incidents to."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    year: int | None = None
    types: tuple[str, ...] = ()  # type codes: any of them
    district: str = ""  # place codes; the incident's *public* place is at or below it
    town: str = ""
    place: str = ""
    act: str = ""  # incidents with a victim to whom this happened; victims: those acts only

    def key(self) -> str:
        return "|".join(
            str(v)
            for v in (
                self.date_from,
                self.date_to,
                self.year,
                ",".join(sorted(self.types)),
                self.district,
                self.town,
                self.place,
                self.act,
            )
        )

    def as_query(self) -> dict[str, Any]:
        """The filters as the query string of the public incident list."""
        query: dict[str, Any] = {}
        if self.date_from:
            query["date_from"] = self.date_from.isoformat()
        if self.date_to:
            query["date_to"] = self.date_to.isoformat()
        if self.year:
            query["year"] = self.year
        if self.types:
            query["type"] = list(self.types)
        for name in ("district", "town", "place", "act"):
            if getattr(self, name):
                query[name] = getattr(self, name)
        return query


@dataclass(frozen=True)
class PublicIncident:
    """One verified incident as anyone may see it."""

    id: int
    start_date: dt.date
    start_precision: str
    end_date: dt.date | None
    end_precision: str
    place: PublicPlace | None
    district: PublicPlace | None
    town: PublicPlace | None
    public_level: str
    types: list[PublicType]
    acts: dict[str, int]  # act type -> victims to whom it happened, in Act.Type order
    victims: int  # people harmed, each once
    source_kinds: list[str]
    public_summary: str
    verified_on: dt.date | None

    @property
    def when(self) -> str:
        start = format_partial_date(self.start_date, self.start_precision)
        if self.end_date and self.end_date != self.start_date:
            end = format_partial_date(self.end_date, self.end_precision)
            return f"{start} \N{EN DASH} {end}"
        return start

    @property
    def date_iso(self) -> str:
        """The start date written only as precisely as it is known: 2011-03-14, 2011-03, 2011."""
        return iso_partial(self.start_date, self.start_precision)

    @property
    def end_iso(self) -> str:
        return iso_partial(self.end_date, self.end_precision) if self.end_date else ""

    @property
    def act_rows(self) -> list[tuple[str, str, int]]:
        return [(a, str(ACT_LABELS[a]), n) for a, n in self.acts.items() if n]

    @property
    def source_labels(self) -> list[str]:
        return [str(SOURCE_LABELS.get(k, k)) for k in self.source_kinds]


def iso_partial(value: dt.date | None, precision: str) -> str:
    if value is None:
        return ""
    if precision == "year":
        return f"{value:%Y}"
    if precision == "month":
        return f"{value:%Y-%m}"
    return value.isoformat()


@dataclass
class _Batch:
    types: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    acts: dict[int, dict[str, int]] = field(default_factory=lambda: defaultdict(dict))
    victims: dict[int, int] = field(default_factory=dict)
    sources: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))


class PublicIncidents:
    """Public incidents matching some filters. Use `public_incidents()` to get one."""

    def __init__(
        self, filters: PublicFilters | None = None, gazetteer: Gazetteer | None = None
    ) -> None:
        self.filters = filters or PublicFilters()
        self.gazetteer = gazetteer or Gazetteer.load()
        self._types: dict[int, PublicType] | None = None

    @property
    def types(self) -> dict[int, PublicType]:
        if self._types is None:
            self._types = type_table()
        return self._types

    # --- the queryset: kept inside the selector ----------------------------------------------
    def queryset(self) -> QuerySet[Incident]:
        """The matching incidents. Callers select columns from PUBLIC_INCIDENT_COLUMNS only."""
        f = self.filters
        incidents = publishable_incidents()
        if f.date_from:
            incidents = incidents.filter(
                Q(end_date__gte=f.date_from) | Q(end_date__isnull=True, start_date__gte=f.date_from)
            )
        if f.date_to:
            incidents = incidents.filter(start_date__lte=f.date_to)
        if f.year:
            incidents = incidents.filter(start_date__year=f.year)
        if f.types:
            incidents = incidents.filter(
                pk__in=_TYPES_THROUGH.objects.filter(incidenttype__code__in=f.types).values(
                    "incident_id"
                )
            )
        if f.act:
            incidents = incidents.filter(
                pk__in=Act.objects.filter(act_type=f.act).values("incident_id")
            )
        for level in ("district", "town", "place"):
            code = getattr(f, level)
            if code:
                area = self.gazetteer.by_code.get(code)
                incidents = (
                    incidents.filter(self.gazetteer.within_q(area)) if area else incidents.none()
                )
        return incidents

    def ids(self) -> QuerySet[Any]:
        return self.queryset().values("id")

    def acts(self) -> QuerySet[Act]:
        """The acts of the matching incidents (of the filtered act type, if any)."""
        acts = Act.objects.filter(incident_id__in=self.ids())
        return acts.filter(act_type=self.filters.act) if self.filters.act else acts

    # --- rows -------------------------------------------------------------------------------
    def count(self) -> int:
        return self.queryset().count()

    def page(self, number: Any, size: int = 25) -> Page[Any]:
        rows = self.queryset().order_by("-start_date", "-id").values(*PUBLIC_INCIDENT_COLUMNS)
        page = Paginator(rows, size).get_page(number)
        page.object_list = self._build(list(page.object_list))
        return page

    def get(self, pk: Any) -> PublicIncident:
        try:
            rows = list(publishable_incidents().filter(pk=int(pk)).values(*PUBLIC_INCIDENT_COLUMNS))
        except (TypeError, ValueError):
            rows = []
        if not rows:
            raise Http404
        return self._build(rows)[0]

    def existing(self, ids: list[int]) -> list[PublicIncident]:
        """Those of `ids` that are public, newest first (for a fact sheet's incidents)."""
        rows = (
            publishable_incidents()
            .filter(pk__in=ids)
            .order_by("-start_date", "-id")
            .values(*PUBLIC_INCIDENT_COLUMNS)
        )
        return self._build(list(rows))

    def iter_rows(self, chunk: int = 2000) -> Iterator[PublicIncident]:
        """Every matching incident, oldest first, read in chunks (for open data)."""
        last = 0
        base = self.queryset().order_by("id").values(*PUBLIC_INCIDENT_COLUMNS)
        while True:
            rows = list(base.filter(id__gt=last)[:chunk])
            if not rows:
                return
            # the chunk's ids are consecutive in order: its parts are read by range, which is
            # much cheaper to build and run than a list of 2,000 ids
            yield from self._build(rows, between=(rows[0]["id"], rows[-1]["id"]))
            last = rows[-1]["id"]

    def _build(
        self, rows: list[dict[str, Any]], between: tuple[int, int] | None = None
    ) -> list[PublicIncident]:
        """The rows as public incidents, with their parts read in one query each. The parts of
        other incidents that a range `between` also covers are read and then ignored."""
        ids = [r["id"] for r in rows]
        of: dict[str, Any] = (
            {"incident_id__gte": between[0], "incident_id__lte": between[1]}
            if between
            else {"incident_id__in": ids}
        )
        batch = _Batch()
        for incident_id, type_id in _TYPES_THROUGH.objects.filter(**of).values_list(
            "incident_id", "incidenttype_id"
        ):
            if type_id in self.types:
                batch.types[incident_id].append(type_id)
        order = {t: i for i, t in enumerate(self.types)}
        act_rows = (
            Act.objects.filter(**of)
            .order_by()
            .values(*PUBLIC_ACT_COLUMNS[:2])
            .annotate(n=Count("id"))
        )
        for row in act_rows:
            batch.acts[row["incident_id"]][row["act_type"]] = row["n"]
        for row in (
            Act.objects.filter(**of)
            .order_by()
            .values("incident_id")
            .annotate(n=Count(PUBLIC_ACT_COLUMNS[2], distinct=True))
        ):
            batch.victims[row["incident_id"]] = row["n"]
        kinds = (
            Source.objects.filter(**of).order_by().values_list(*PUBLIC_SOURCE_COLUMNS).distinct()
        )
        for incident_id, kind in kinds:
            batch.sources[incident_id].append(kind)
        kind_order = {k: i for i, k in enumerate(SOURCE_LABELS)}
        zone = timezone.get_current_timezone()
        built = []
        for r in rows:
            place = self.gazetteer.generalise(r["place_id"], r["location_precision"])
            types = [
                self.types[t] for t in sorted(batch.types.get(r["id"], []), key=order.__getitem__)
            ]
            acts = batch.acts.get(r["id"], {})
            verified = r["verified_at"]
            built.append(
                PublicIncident(
                    id=r["id"],
                    start_date=r["start_date"],
                    start_precision=r["start_precision"],
                    end_date=r["end_date"],
                    end_precision=r["end_precision"],
                    place=place,
                    district=self.gazetteer.ancestor(place, "district"),
                    town=self.gazetteer.ancestor(place, "town"),
                    public_level=place.level if place else "",
                    types=types,
                    acts={a: acts[a] for a in ACT_TYPES if acts.get(a)},
                    victims=batch.victims.get(r["id"], 0),
                    source_kinds=sorted(
                        set(batch.sources.get(r["id"], [])), key=lambda k: kind_order.get(k, 99)
                    ),
                    public_summary=r["public_summary"] or "",
                    verified_on=verified.astimezone(zone).date() if verified else None,
                )
            )
        return built


def public_incidents(
    *, filters: PublicFilters | None = None, gazetteer: Gazetteer | None = None
) -> PublicIncidents:
    """The one public selector (see the module docstring)."""
    return PublicIncidents(filters, gazetteer)
