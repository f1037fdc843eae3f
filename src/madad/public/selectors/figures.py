"""Figures of the public incidents: the dashboard's breakdowns, the map's points and single
counts for fact sheets. All are read through the one public selector (whitelisted columns
only), added up here, and kept in the cache for MADAD_PUBLIC_CACHE_SECONDS (the public site
may lag that far behind).

"Victims" are people harmed, each counted once per incident: two acts against one person in
one incident (injured and abducted) are one victim; one person harmed in two incidents is two.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from madad.access.public import PUBLIC_VICTIM_ATTRIBUTES, PublicCount, suppress
from madad.incidents.models import Act, Incident
from madad.people.models import Sex
from madad.public.selectors.incidents import ACT_LABELS, ACT_TYPES, PublicIncidents
from madad.public.selectors.places import PublicPlace

T = TypeVar("T")

AGE_GROUPS: list[tuple[str, Any, int | None, int | None]] = [
    ("0-17", _("Under 18"), 0, 17),
    ("18-29", _("18 to 29"), 18, 29),
    ("30-44", _("30 to 44"), 30, 44),
    ("45-59", _("45 to 59"), 45, 59),
    ("60+", _("60 and over"), 60, None),
    ("unknown", _("Age not known"), None, None),
]
AGE_GROUP_CODES = [code for code, *_rest in AGE_GROUPS]
SEXES = [value for value, _label in Sex.choices]
_TYPES_THROUGH = Incident.types.through


def cache_seconds() -> int:
    return max(0, int(getattr(settings, "MADAD_PUBLIC_CACHE_SECONDS", 300)))


def cached(kind: str, key: str, compute: Callable[[], T]) -> T:
    """`compute()`, kept in the cache by kind, key and language."""
    seconds = cache_seconds()
    if not seconds:
        return compute()
    digest = hashlib.sha256(f"{kind}|{key}|{get_language()}".encode()).hexdigest()[:32]
    name = f"public:{kind}:{digest}"
    found: T | None = cache.get(name)
    if found is None:
        found = compute()
        cache.set(name, found, seconds)
    return found


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    incidents: int
    victims: int


@dataclass(frozen=True)
class CountRow:
    key: str
    label: str
    count: PublicCount


@dataclass
class Figures:
    incidents: int = 0
    victims: int = 0
    by_act: list[tuple[str, str, int]] = field(default_factory=list)
    by_month: list[tuple[dt.date, int, int]] = field(default_factory=list)
    month_unknown: int = 0  # incidents known only to the year: not in the monthly chart
    by_type: list[Row] = field(default_factory=list)
    by_district: list[Row] = field(default_factory=list)
    by_town: list[Row] = field(default_factory=list)
    by_sex: list[CountRow] = field(default_factory=list)
    by_age: list[CountRow] = field(default_factory=list)


def age_group(age: int | None) -> str:
    if age is None:
        return "unknown"
    for code, _label, low, high in AGE_GROUPS:
        if low is not None and age >= low and (high is None or age <= high):
            return code
    return "unknown"


def dashboard_figures(selector: PublicIncidents) -> Figures:
    return cached("dashboard", selector.filters.key(), lambda: _dashboard(selector))


def _dashboard(selector: PublicIncidents) -> Figures:
    """Reads each kind of row once (incidents, their types, their victims) and adds them up
    here: one definition of a victim for every breakdown, and no correlated subqueries."""
    gazetteer = selector.gazetteer
    acts = selector.acts().order_by()
    victims: dict[int, int] = dict(
        acts.values_list("incident_id")
        .annotate(v=Count("victim_id", distinct=True))
        .values_list("incident_id", "v")
    )
    figures = Figures()
    months: dict[dt.date, list[int]] = defaultdict(lambda: [0, 0])
    districts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    towns: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    areas: dict[tuple[int, str], tuple[int, int]] = {}
    for incident_id, start, precision, place_id, location_precision in (
        selector.queryset()
        .order_by()
        .values_list("id", "start_date", "start_precision", "place_id", "location_precision")
    ):
        v = victims.get(incident_id, 0)
        figures.incidents += 1
        figures.victims += v
        if precision == "year":
            figures.month_unknown += 1
        else:
            month = months[start.replace(day=1)]
            month[0] += 1
            month[1] += v
        key = (place_id, location_precision)
        if key not in areas:
            place = gazetteer.generalise(place_id, location_precision)
            district, town = (
                gazetteer.ancestor(place, "district"),
                gazetteer.ancestor(place, "town"),
            )
            areas[key] = (district.id if district else 0, town.id if town else 0)
        for bucket, area in zip((districts, towns), areas[key], strict=True):
            bucket[area][0] += 1
            bucket[area][1] += v
    figures.by_month = _month_series(months)
    figures.by_district = _place_rows(districts, gazetteer.by_id, _("Not known at district level"))
    figures.by_town = _place_rows(towns, gazetteer.by_id, _("Known only at district level"))
    figures.by_type = _type_rows(selector, victims)
    _people(selector, figures)
    return figures


def _month_series(months: dict[dt.date, list[int]]) -> list[tuple[dt.date, int, int]]:
    if not months:
        return []
    first, last = min(months), max(months)
    series = []
    month = first
    while month <= last:
        n, v = months.get(month, [0, 0])
        series.append((month, n, v))
        month = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return series


def _place_rows(
    totals: dict[int, list[int]], places: dict[int, PublicPlace], unknown: Any
) -> list[Row]:
    rows = [
        Row(key=places[pid].code, label=places[pid].label, incidents=n, victims=v)
        for pid, (n, v) in totals.items()
        if pid in places
    ]
    rows.sort(key=lambda r: (-r.incidents, r.label))
    if totals.get(0):
        n, v = totals[0]
        rows.append(Row(key="", label=str(unknown), incidents=n, victims=v))
    return rows


def _type_rows(selector: PublicIncidents, victims: dict[int, int]) -> list[Row]:
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for incident_id, type_id in _TYPES_THROUGH.objects.filter(
        incident_id__in=selector.ids()
    ).values_list("incident_id", "incidenttype_id"):
        counts[type_id][0] += 1
        counts[type_id][1] += victims.get(incident_id, 0)
    types = selector.types
    rows = [
        Row(key=types[t].code, label=types[t].label, incidents=n, victims=v)
        for t, (n, v) in counts.items()
        if t in types
    ]
    rows.sort(key=lambda r: (-r.incidents, r.label))
    return rows


def _victims_by_person(acts: QuerySet[Act]) -> tuple[dict[str, int], dict[str, int]]:
    """Victims (each once per incident) by sex and by age group, before suppression."""
    sexes: dict[str, int] = dict.fromkeys(SEXES, 0)
    ages: dict[str, int] = dict.fromkeys(AGE_GROUP_CODES, 0)
    seen: set[tuple[int, int]] = set()
    for incident_id, victim_id, sex, age in acts.values_list(
        "incident_id", "victim_id", *(f"victim__{a}" for a in PUBLIC_VICTIM_ATTRIBUTES)
    ):
        if (incident_id, victim_id) in seen:
            continue
        seen.add((incident_id, victim_id))
        sexes[sex if sex in sexes else "unknown"] += 1
        ages[age_group(age)] += 1
    return sexes, ages


def _people(selector: PublicIncidents, figures: Figures) -> None:
    """Victims by what happened to them, and by sex and age group (suppressed)."""
    acts = selector.acts().order_by()
    # one act per victim, incident and type (a unique constraint): counting acts is exact
    by_act = dict(acts.values_list("act_type").annotate(n=Count("id")).values_list("act_type", "n"))
    figures.by_act = [(a, str(ACT_LABELS[a]), by_act.get(a, 0)) for a in ACT_TYPES]
    sexes, ages = _victims_by_person(acts)
    sex_labels = dict(Sex.choices)
    figures.by_sex = [
        CountRow(key=k, label=str(sex_labels[k]), count=c) for k, c in suppress(sexes).items()
    ]
    age_labels = {code: label for code, label, *_rest in AGE_GROUPS}
    figures.by_age = [
        CountRow(key=k, label=str(age_labels[k]), count=c) for k, c in suppress(ages).items()
    ]


# --- The map --------------------------------------------------------------------------------
def map_points(selector: PublicIncidents) -> dict[str, Any]:
    """Incidents counted at their public place, and rolled up to towns and districts: the
    map draws districts when zoomed out, towns in between, public places when zoomed in. The
    payload grows with the gazetteer, never with the number of incidents."""
    return cached("map", selector.filters.key(), lambda: _map(selector))


def _map(selector: PublicIncidents) -> dict[str, Any]:
    gazetteer = selector.gazetteer
    levels: dict[str, dict[int, int]] = {
        "district": defaultdict(int),
        "town": defaultdict(int),
        "place": defaultdict(int),
    }
    grouped = (
        selector.queryset()
        .order_by()
        .values("place_id", "location_precision")
        .annotate(n=Count("id"))
    )
    total = 0
    for row in grouped:
        place = gazetteer.generalise(row["place_id"], row["location_precision"])
        if place is None:
            continue
        total += row["n"]
        levels["place"][place.id] += row["n"]
        for level in ("district", "town"):
            # a place coarser than a town is drawn at its own centroid at the town level
            area = gazetteer.ancestor(place, level) or (place if level == "town" else None)
            if area is not None:
                levels[level][area.id] += row["n"]

    def point(place_id: int, n: int) -> dict[str, Any]:
        p = gazetteer.by_id[place_id]
        return {
            "code": p.code,
            "name": p.label,
            "level": p.level,
            "lat": round(p.latitude, 5),
            "lon": round(p.longitude, 5),
            "n": n,
        }

    return {
        "total": total,
        "levels": {
            level: sorted((point(pid, n) for pid, n in counts.items()), key=lambda x: -x["n"])
            for level, counts in levels.items()
        },
        "districts": [
            {
                "code": d.code,
                "name": d.label,
                "lat": round(d.latitude, 5),
                "lon": round(d.longitude, 5),
            }
            for d in gazetteer.districts
        ],
    }


# --- One figure (fact sheets) ---------------------------------------------------------------
def count_incidents(selector: PublicIncidents) -> int:
    return cached("count-incidents", selector.filters.key(), selector.count)


def count_victims(selector: PublicIncidents, *, sex: str = "", age_group: str = "") -> PublicCount:
    age_group_code = age_group
    """People harmed in the matching incidents; suppressed when narrowed by sex or age."""

    def compute() -> int:
        acts = selector.acts().order_by()
        if not (sex or age_group_code):
            return len(set(acts.values_list("incident_id", "victim_id")))
        sexes, ages = _victims_by_person(acts.filter(victim__sex=sex) if sex else acts)
        return ages[age_group_code] if age_group_code else sum(sexes.values())

    n = cached("count-victims", f"{selector.filters.key()}|{sex}|{age_group_code}", compute)
    if sex or age_group_code:
        return suppress({"n": n})["n"]
    return PublicCount(value=n)
