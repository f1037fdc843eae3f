"""Figures of the public incidents: the dashboard's breakdowns, the map's points and single
counts for fact sheets. All are aggregated in the database over the one public selector and
kept in the cache for MADAD_PUBLIC_CACHE_SECONDS (the public site may lag that far behind).

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
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from madad.core.access.public import PublicCount, suppress
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
    found = cache.get(name)
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


def first_acts(selector: PublicIncidents) -> QuerySet[Act]:
    """One act per victim per incident: counting these counts victims. Acts of one type are
    already one per victim and incident (a unique constraint); otherwise an act is skipped when
    the same victim has an earlier act in the same incident (an index lookup, not a sort)."""
    acts = selector.acts().order_by()
    if selector.filters.act:
        return acts
    earlier = Act.objects.filter(incident_id=OuterRef("incident_id"),
                                 victim_id=OuterRef("victim_id"), id__lt=OuterRef("id"))
    return acts.filter(~Exists(earlier))


def _age_group() -> Case:
    whens = [When(victim__age__isnull=True, then=Value("unknown"))]
    for code, _label, low, high in AGE_GROUPS:
        if low is None:
            continue
        condition: dict[str, int] = {"victim__age__gte": low}
        if high is not None:
            condition["victim__age__lte"] = high
        whens.append(When(**condition, then=Value(code)))
    return Case(*whens, default=Value("unknown"), output_field=CharField())


def dashboard_figures(selector: PublicIncidents) -> Figures:
    return cached("dashboard", selector.filters.key(), lambda: _dashboard(selector))


def _dashboard(selector: PublicIncidents) -> Figures:
    gazetteer = selector.gazetteer
    incidents = selector.queryset().order_by()
    victims = first_acts(selector)
    figures = Figures()
    months: dict[dt.date, list[int]] = defaultdict(lambda: [0, 0])
    # grouped by day, not by a truncated month: SQLite would call a Python function per row
    for column, key in ((0, "n"), (1, "v")):
        rows = incidents.values("start_date", "start_precision").annotate(n=Count("id")) \
            if column == 0 else victims.values(
                start_date=F("incident__start_date"),
                start_precision=F("incident__start_precision")).annotate(v=Count("id"))
        for row in rows:
            if row["start_precision"] == "year":
                if column == 0:
                    figures.month_unknown += row[key]
            else:
                months[row["start_date"].replace(day=1)][column] += row[key]
    districts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    towns: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for column, key in ((0, "n"), (1, "v")):
        rows = incidents.values("place_id", "location_precision").annotate(n=Count("id")) \
            if column == 0 else victims.values(
                place_id=F("incident__place_id"),
                location_precision=F("incident__location_precision")).annotate(v=Count("id"))
        for row in rows:
            place = gazetteer.generalise(row["place_id"], row["location_precision"])
            for bucket, level in ((districts, "district"), (towns, "town")):
                area = gazetteer.ancestor(place, level)
                bucket[area.id if area else 0][column] += row[key]
            if column == 0:
                figures.incidents += row[key]
            else:
                figures.victims += row[key]
    figures.by_month = _month_series(months)
    figures.by_district = _place_rows(districts, gazetteer.by_id,
                                      _("Not known at district level"))
    figures.by_town = _place_rows(towns, gazetteer.by_id, _("Known only at district level"))
    figures.by_type = _type_rows(selector, victims)
    _people(selector, figures, victims)
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


def _place_rows(totals: dict[int, list[int]], places: dict[int, PublicPlace],
                unknown: Any) -> list[Row]:
    rows = [Row(key=places[pid].code, label=places[pid].label, incidents=n, victims=v)
            for pid, (n, v) in totals.items() if pid in places]
    rows.sort(key=lambda r: (-r.incidents, r.label))
    if totals.get(0):
        n, v = totals[0]
        rows.append(Row(key="", label=str(unknown), incidents=n, victims=v))
    return rows


def _type_rows(selector: PublicIncidents, victims: QuerySet[Act]) -> list[Row]:
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for row in (_TYPES_THROUGH.objects.filter(incident_id__in=selector.ids()).order_by()
                .values("incidenttype_id").annotate(n=Count("incident_id"))):
        counts[row["incidenttype_id"]][0] = row["n"]
    for row in victims.values(type_id=F("incident__types")).annotate(v=Count("id")):
        if row["type_id"] is not None:
            counts[row["type_id"]][1] = row["v"]
    types = selector.types
    rows = [Row(key=types[t].code, label=types[t].label, incidents=n, victims=v)
            for t, (n, v) in counts.items() if t in types and n]
    rows.sort(key=lambda r: (-r.incidents, r.label))
    return rows


def _people(selector: PublicIncidents, figures: Figures, victims: QuerySet[Act]) -> None:
    """Victims by what happened to them, and by sex and age group (suppressed)."""
    # one act per victim, incident and type (a unique constraint): counting acts is exact
    by_act = {r["act_type"]: r["n"] for r in selector.acts().order_by().values("act_type")
              .annotate(n=Count("id"))}
    figures.by_act = [(a, str(ACT_LABELS[a]), by_act.get(a, 0)) for a in ACT_TYPES]
    sexes: dict[str, int] = dict.fromkeys(SEXES, 0)
    ages: dict[str, int] = dict.fromkeys(AGE_GROUP_CODES, 0)
    grouped = victims.values(sex=Coalesce("victim__sex", Value("unknown")),
                             age_group=_age_group()).annotate(n=Count("id"))
    for row in grouped:
        sex = row["sex"] if row["sex"] in sexes else "unknown"
        sexes[sex] += row["n"]
        ages[row["age_group"]] += row["n"]
    sex_labels = dict(Sex.choices)
    figures.by_sex = [CountRow(key=k, label=str(sex_labels[k]), count=c)
                      for k, c in suppress(sexes).items()]
    age_labels = {code: label for code, label, *_rest in AGE_GROUPS}
    figures.by_age = [CountRow(key=k, label=str(age_labels[k]), count=c)
                      for k, c in suppress(ages).items()]


# --- The map --------------------------------------------------------------------------------
def map_points(selector: PublicIncidents) -> dict[str, Any]:
    """Incidents counted at their public place, and rolled up to towns and districts: the
    map draws districts when zoomed out, towns in between, public places when zoomed in. The
    payload grows with the gazetteer, never with the number of incidents."""
    return cached("map", selector.filters.key(), lambda: _map(selector))


def _map(selector: PublicIncidents) -> dict[str, Any]:
    gazetteer = selector.gazetteer
    levels: dict[str, dict[int, int]] = {"district": defaultdict(int), "town": defaultdict(int),
                                         "place": defaultdict(int)}
    grouped = selector.queryset().order_by().values("place_id", "location_precision") \
        .annotate(n=Count("id"))
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
        return {"code": p.code, "name": p.label, "level": p.level,
                "lat": round(p.latitude, 5), "lon": round(p.longitude, 5), "n": n}

    return {
        "total": total,
        "levels": {level: sorted((point(pid, n) for pid, n in counts.items()),
                                 key=lambda x: -x["n"])
                   for level, counts in levels.items()},
        "districts": [{"code": d.code, "name": d.label, "lat": round(d.latitude, 5),
                       "lon": round(d.longitude, 5)} for d in gazetteer.districts],
    }


# --- One figure (fact sheets) ---------------------------------------------------------------
def count_incidents(selector: PublicIncidents) -> int:
    return cached("count-incidents", selector.filters.key(), selector.count)


def count_victims(selector: PublicIncidents, *, sex: str = "", age_group: str = ""
                  ) -> PublicCount:
    """People harmed in the matching incidents; suppressed when narrowed by sex or age."""
    def compute() -> int:
        acts = first_acts(selector)
        if sex:
            acts = acts.filter(victim__sex=sex)
        if age_group:
            acts = acts.annotate(age_group=_age_group()).filter(age_group=age_group)
        return acts.count()

    n = cached("count-victims", f"{selector.filters.key()}|{sex}|{age_group}", compute)
    if sex or age_group:
        return suppress({"n": n})["n"]
    return PublicCount(value=n)
