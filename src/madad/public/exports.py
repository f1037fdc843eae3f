"""Open data: the public incidents as CSV, JSON, GeoJSON (RFC 7946) and HXL-tagged CSV.

Every format has the same columns, described once in COLUMNS (the data dictionary page reads
them too), and every row comes from the one public selector. Positions are the generalised
ones; a file streams row by row, so 100,000 incidents never sit in memory at once.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from madad.core.spreadsheet import csv_lines
from madad.incidents.models import Act
from madad.public.selectors import PublicIncident, PublicIncidents

LICENCE = "CC-BY-4.0"
LICENCE_NAME = "Creative Commons Attribution 4.0 International (CC BY 4.0)"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"


@dataclass(frozen=True)
class ColumnSpec:
    name: str
    hxl: str
    description: Any
    value: Callable[[PublicIncident], Any]


def _code(place: Any) -> str:
    return place.code if place else ""


def _name(place: Any) -> str:
    return place.name if place else ""


def _coordinate(incident: PublicIncident, axis: str) -> float | None:
    return round(getattr(incident.place, axis), 5) if incident.place else None


def _act_count(act: str) -> Callable[[PublicIncident], int]:
    return lambda incident: incident.acts.get(act, 0)


COLUMNS: list[ColumnSpec] = [
    ColumnSpec(
        "id", "#event+id", _("Madad's number for the incident. It does not change."), lambda i: i.id
    ),
    ColumnSpec(
        "date",
        "#date+occurred",
        _(
            "When it happened (or began), only as precisely as it is known: "
            "2011-03-14, 2011-03 or 2011."
        ),
        lambda i: i.date_iso,
    ),
    ColumnSpec(
        "date_precision",
        "#meta+date_precision",
        _("day, month or year."),
        lambda i: i.start_precision,
    ),
    ColumnSpec(
        "end_date",
        "#date+end",
        _("When it ended, if it lasted; same form as date."),
        lambda i: i.end_iso,
    ),
    ColumnSpec("district", "#adm1+name", _("The district."), lambda i: _name(i.district)),
    ColumnSpec(
        "district_code",
        "#adm1+code",
        _("The district's gazetteer code."),
        lambda i: _code(i.district),
    ),
    ColumnSpec(
        "town",
        "#adm2+name",
        _("The town; empty when the incident is published only at district level."),
        lambda i: _name(i.town),
    ),
    ColumnSpec("town_code", "#adm2+code", _("The town's gazetteer code."), lambda i: _code(i.town)),
    ColumnSpec(
        "place",
        "#loc+name",
        _(
            "The place it is shown at: its neighbourhood, or its town or district when "
            "its location is known (or may be published) only that precisely."
        ),
        lambda i: _name(i.place),
    ),
    ColumnSpec(
        "place_code", "#loc+code", _("The place's gazetteer code."), lambda i: _code(i.place)
    ),
    ColumnSpec(
        "place_level", "#loc+type", _("neighbourhood, town or district."), lambda i: i.public_level
    ),
    ColumnSpec(
        "latitude",
        "#geo+lat",
        _("Latitude of the place's centroid (WGS 84), never of the incident itself."),
        lambda i: _coordinate(i, "latitude"),
    ),
    ColumnSpec(
        "longitude",
        "#geo+lon",
        _("Longitude of the place's centroid (WGS 84)."),
        lambda i: _coordinate(i, "longitude"),
    ),
    ColumnSpec(
        "types",
        "#event+type",
        _("Types of incident, separated by “;”."),
        lambda i: "; ".join(t.name for t in i.types),
    ),
    ColumnSpec(
        "type_codes",
        "#event+type+code",
        _("The same as codes, separated by “;”."),
        lambda i: ";".join(t.code for t in i.types),
    ),
    *[
        ColumnSpec(
            act,
            f"#affected+{act}",
            format_lazy(_("Victims to whom this happened: {what}."), what=label),
            _act_count(act),
        )
        for act, label in Act.Type.choices
    ],
    ColumnSpec(
        "victims",
        "#affected+total",
        _("People harmed, each counted once (one person may have been both injured and abducted)."),
        lambda i: i.victims,
    ),
    ColumnSpec(
        "source_kinds",
        "#meta+source_kinds",
        _(
            "Kinds of sources the incident was verified on, separated by “;” (never "
            "their names): witness, family, police_fir, hospital, news, partner, "
            "social_media."
        ),
        lambda i: ";".join(i.source_kinds),
    ),
    ColumnSpec(
        "verified_on",
        "#date+verified",
        _("The day the incident was verified."),
        lambda i: i.verified_on.isoformat() if i.verified_on else "",
    ),
    ColumnSpec(
        "summary",
        "#description+summary",
        _("The public summary, reviewed before publication."),
        lambda i: i.public_summary,
    ),
]
GEO = ("latitude", "longitude")


def _values(incident: PublicIncident) -> list[Any]:
    return [c.value(incident) for c in COLUMNS]


def csv_rows(selector: PublicIncidents, *, hxl: bool = False) -> Iterator[str]:
    """The CSV (with `hxl`, its hashtag row under the header), every cell spreadsheet-safe: a
    public summary typed as a formula is written as text."""
    head = [[c.name for c in COLUMNS]]
    if hxl:
        head.append([c.hxl for c in COLUMNS])
    return csv_lines(itertools.chain(head, (_values(i) for i in selector.iter_rows())))


def _meta(request_url: str) -> dict[str, Any]:
    return {
        "licence": LICENCE,
        "licence_name": LICENCE_NAME,
        "licence_url": LICENCE_URL,
        "generated": timezone.now().isoformat(timespec="seconds"),
        "documentation": request_url,
    }


def json_rows(selector: PublicIncidents, *, documentation: str) -> Iterator[str]:
    head = _meta(documentation)
    head["fields"] = [c.name for c in COLUMNS]
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "incidents": ['
    first = True
    for incident in selector.iter_rows():
        row = dict(zip((c.name for c in COLUMNS), _values(incident), strict=True))
        yield ("" if first else ",\n") + json.dumps(row, ensure_ascii=False)
        first = False
    yield "]}\n"


def geojson_rows(selector: PublicIncidents, *, documentation: str) -> Iterator[str]:
    """RFC 7946: a FeatureCollection of points, [longitude, latitude] in WGS 84."""
    head = {"type": "FeatureCollection", **_meta(documentation)}
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "features": ['
    first = True
    for incident in selector.iter_rows():
        values = dict(zip((c.name for c in COLUMNS), _values(incident), strict=True))
        lat, lon = values.pop("latitude"), values.pop("longitude")
        feature = {
            "type": "Feature",
            "id": incident.id,
            "geometry": {"type": "Point", "coordinates": [lon, lat]} if lat is not None else None,
            "properties": values,
        }
        yield ("" if first else ",\n") + json.dumps(feature, ensure_ascii=False)
        first = False
    yield "]}\n"


FORMATS = {
    "csv": ("text/csv; charset=utf-8", "madad-incidents.csv"),
    "hxl.csv": ("text/csv; charset=utf-8", "madad-incidents.hxl.csv"),
    "json": ("application/json", "madad-incidents.json"),
    "geojson": ("application/geo+json", "madad-incidents.geojson"),
}


def rows_for(fmt: str, selector: PublicIncidents, *, documentation: str) -> Iterator[str]:
    if fmt == "csv":
        return csv_rows(selector)
    if fmt == "hxl.csv":
        return csv_rows(selector, hxl=True)
    if fmt == "json":
        return json_rows(selector, documentation=documentation)
    return geojson_rows(selector, documentation=documentation)


def dictionary_url() -> str:
    return reverse("public:data")
