"""The same event reported by several sources: incident matching.

Two reports of one event start within a day or two of each other, in the same or a
neighbouring place, with overlapping types and victims. Incidents are few next to persons
and no labelled data exists to estimate weights from, so the score is a documented weighted
agreement rather than a trained model:

- date (0.35): the same day 1, a day apart 0.7, two days 0.4; a month- or year-precise date
  that contains the other 0.3;
- place (0.3): the same place 1, one inside the other 0.8, within 3 km or under the same
  town 0.6, the same district 0.3;
- types (0.15): the share of types in common (Jaccard);
- victims (0.2): the share of the smaller list of victims that is on both.

Fields unknown on either side drop out and the rest are re-weighted. Pairs scoring at least
`THRESHOLD` go to review; deciding "same event" records an incident relation of that kind.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from madad.incidents.models import DatePrecision, Incident
from madad.places.models import Place

WINDOW_DAYS = 2
THRESHOLD = 0.6
WEIGHTS = {"date": 0.35, "place": 0.3, "types": 0.15, "victims": 0.2}
NEAR_KM = 3.0


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 6371.0 * 2 * math.asin(math.sqrt(h))


def _date_score(a: Mapping[str, Any], b: Mapping[str, Any]) -> float:
    if a["precision"] != DatePrecision.DAY or b["precision"] != DatePrecision.DAY:
        return 0.3 if _overlap(a, b) else 0.0
    gap = abs((a["start"] - b["start"]).days)
    return {0: 1.0, 1: 0.7, 2: 0.4}.get(gap, 0.0)


def _span(record: Mapping[str, Any]) -> tuple[dt.date, dt.date]:
    start = record["start"]
    if record["precision"] == DatePrecision.YEAR:
        return start, dt.date(start.year, 12, 31)
    if record["precision"] == DatePrecision.MONTH:
        following = dt.date(start.year + start.month // 12, start.month % 12 + 1, 1)
        return start, following - dt.timedelta(days=1)
    return start, record.get("end") or start


def _overlap(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    (s1, e1), (s2, e2) = _span(a), _span(b)
    return s1 <= e2 + dt.timedelta(days=WINDOW_DAYS) and s2 <= e1 + dt.timedelta(days=WINDOW_DAYS)


def _place_score(a: Mapping[str, Any], b: Mapping[str, Any]) -> float | None:
    ca, cb = a.get("place") or "", b.get("place") or ""
    if not ca or not cb:
        return None
    if ca == cb:
        return 1.0
    if ca.startswith(cb + ".") or cb.startswith(ca + "."):
        return 0.8
    near = a.get("point") and b.get("point") and _km(a["point"], b["point"]) <= NEAR_KM
    if near or ca.split(".")[:3] == cb.split(".")[:3]:
        return 0.6
    if ca.split(".")[:2] == cb.split(".")[:2]:
        return 0.3
    return 0.0


def _share(a: set[Any], b: set[Any], *, smaller: bool) -> float | None:
    if not a or not b:
        return None
    common = len(a & b)
    return common / (min(len(a), len(b)) if smaller else len(a | b))


def incident_score(a: Mapping[str, Any], b: Mapping[str, Any]) -> tuple[float, dict[str, Any]]:
    """(score 0..1, evidence: each field's agreement 0..1 or None when unknown)."""
    parts = {
        "date": _date_score(a, b),
        "place": _place_score(a, b),
        "types": _share(set(a.get("types", ())), set(b.get("types", ())), smaller=False),
        "victims": _share(set(a.get("victims", ())), set(b.get("victims", ())), smaller=True),
    }
    known = {k: v for k, v in parts.items() if v is not None}
    total = sum(WEIGHTS[k] for k in known)
    score = sum(WEIGHTS[k] * v for k, v in known.items()) / total if total else 0.0
    if parts["date"] == 0.0:
        score = 0.0  # more than two days apart: not the same event
    return score, {k: (None if v is None else round(v, 3)) for k, v in parts.items()}


def incident_pairs(
    records: Sequence[Mapping[str, Any]], *, threshold: float = THRESHOLD
) -> Iterable[tuple[int, int, float, dict[str, Any]]]:
    """(index, index, score, evidence) of the records' pairs at or above `threshold`: each
    record against those starting within the window after it (a sorted neighbourhood)."""
    order = sorted(range(len(records)), key=lambda i: records[i]["start"])
    for k, i in enumerate(order):
        a = records[i]
        horizon = _span(a)[1] + dt.timedelta(days=WINDOW_DAYS)
        for j in order[k + 1 :]:
            b = records[j]
            if b["start"] > horizon:
                break
            score, evidence = incident_score(a, b)
            if score >= threshold:
                yield (min(i, j), max(i, j), score, evidence)


def incident_records(incidents: Iterable[Incident]) -> list[dict[str, Any]]:
    """Incidents (with place, types and acts prefetched) as the matcher's records."""
    found = []
    for incident in incidents:
        place: Place = incident.place
        lat = incident.latitude if incident.latitude is not None else place.latitude
        lon = incident.longitude if incident.longitude is not None else place.longitude
        found.append(
            {
                "id": incident.pk,
                "start": incident.start_date,
                "end": incident.end_date,
                "precision": incident.start_precision,
                "place": place.code,
                "point": (float(lat), float(lon)) if lat is not None and lon is not None else None,
                "types": {t.code for t in incident.types.all()},
                "victims": {act.victim_id for act in incident.acts.all()},
            }
        )
    return found
