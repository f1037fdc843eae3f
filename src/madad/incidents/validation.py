"""Checks of typed input for the incident services, on the shared rules of core.validation.
Each returns cleaned values and adds messages by field name to an `Errors` collector, so that
a service reports every problem at once and writes nothing (`errors.raise_if()`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from madad.core import validation
from madad.core.refusals import WHOLE, Errors
from madad.incidents.models import (
    Act,
    DatePrecision,
    Incident,
    IncidentType,
    Involvement,
    LocationPrecision,
    Source,
    partial_date,
)
from madad.places.coordinates import LATITUDE, LONGITUDE, coordinate
from madad.places.models import Place

Wanted = Callable[[str], bool]


def choice(
    data: dict[str, Any], name: str, errors: Errors, choices: Iterable[Any], *, default: Any = None
) -> Any:
    return validation.choice(data.get(name, default), name, errors, choices)


def text(
    data: dict[str, Any],
    name: str,
    errors: Errors,
    *,
    max_length: int,
    required: bool = False,
    multiline: bool = False,
) -> str:
    return validation.text(
        data.get(name), name, errors, max_length=max_length, required=required, multiline=multiline
    )


def date(
    data: dict[str, Any],
    name: str,
    errors: Errors,
    *,
    required: bool = False,
    precision: str = DatePrecision.DAY,
) -> dt.date | None:
    """A past date within the shared bounds (1900 on), as stored for its precision."""
    value = validation.date(data.get(name), name, errors, required=required, not_future=True)
    return partial_date(value, precision)


def incident_fields(
    data: dict[str, Any], *, partial: bool = False
) -> tuple[dict[str, Any], Errors]:
    """The incident's own fields. With `partial`, only the names present in `data` are checked
    (and the start/end order against each other when both are known)."""
    errors = Errors()
    cleaned: dict[str, Any] = {}

    def wanted(name: str) -> bool:
        return not partial or name in data

    if wanted("title"):
        cleaned["title"] = text(data, "title", errors, max_length=200, required=True)
    _dates(data, cleaned, errors, wanted)
    _location(data, cleaned, errors, wanted)
    if wanted("types"):
        cleaned["types"] = _types(data.get("types"), errors)
    if wanted("description"):
        cleaned["description"] = text(
            data, "description", errors, max_length=20_000, multiline=True
        )
    if wanted("public_summary"):
        cleaned["public_summary"] = text(
            data, "public_summary", errors, max_length=2_000, multiline=True
        )
    if wanted("confidentiality"):
        cleaned["confidentiality"] = choice(
            data,
            "confidentiality",
            errors,
            Incident.Confidentiality.values,
            default=Incident.Confidentiality.INTERNAL,
        )
    return cleaned, errors


def _dates(data: dict[str, Any], cleaned: dict[str, Any], errors: Errors, wanted: Wanted) -> None:
    for prefix in ("start", "end"):
        # A partial update passes the stored precision along with a new date (see services).
        precision = data.get(f"{prefix}_precision") or DatePrecision.DAY
        if precision not in DatePrecision.values:
            errors.add(f"{prefix}_precision", _("Choose one of the listed values."))
            precision = DatePrecision.DAY
        if wanted(f"{prefix}_precision"):
            cleaned[f"{prefix}_precision"] = precision
        if wanted(f"{prefix}_date"):
            cleaned[f"{prefix}_date"] = date(
                data, f"{prefix}_date", errors, required=prefix == "start", precision=precision
            )
    start, end = cleaned.get("start_date"), cleaned.get("end_date")
    if start and end and end < start:
        errors.add("end_date", _("The incident cannot end before it starts."))


def _location(
    data: dict[str, Any], cleaned: dict[str, Any], errors: Errors, wanted: Wanted
) -> None:
    if wanted("place"):
        place = data.get("place")
        if not isinstance(place, Place):
            errors.add("place", _("Choose a place."))
        cleaned["place"] = place
    if wanted("latitude") or wanted("longitude"):
        latitude = coordinate(data.get("latitude"), "latitude", errors, limit=LATITUDE)
        longitude = coordinate(data.get("longitude"), "longitude", errors, limit=LONGITUDE)
        cleaned.update(latitude=latitude, longitude=longitude)
        if (latitude is None) != (longitude is None) and not (
            "latitude" in errors or "longitude" in errors
        ):
            errors.add(
                "longitude" if longitude is None else "latitude",
                _("Give both latitude and longitude, or neither."),
            )
    if wanted("location_precision"):
        cleaned["location_precision"] = choice(
            data,
            "location_precision",
            errors,
            LocationPrecision.values,
            default=LocationPrecision.NEIGHBOURHOOD,
        )


def _types(value: Any, errors: Errors) -> list[IncidentType]:
    types = list(value or [])
    if not types:
        errors.add("types", _("Choose at least one type."))
    elif not all(isinstance(t, IncidentType) and t.active for t in types):
        errors.add("types", _("Choose types from the list."))
    return types


def act_fields(data: dict[str, Any]) -> tuple[dict[str, Any], Errors]:
    errors = Errors()
    cleaned = {
        "act_type": choice(data, "act_type", errors, Act.Type.values),
        "date": date(data, "date", errors),
        "method": text(data, "method", errors, max_length=200),
        "consequences": text(data, "consequences", errors, max_length=10_000, multiline=True),
    }
    return cleaned, errors


def source_fields(data: dict[str, Any]) -> tuple[dict[str, Any], Errors]:
    errors = Errors()
    cleaned: dict[str, Any] = {
        "kind": choice(data, "kind", errors, Source.Kind.values),
        "name": text(data, "name", errors, max_length=300),
        "fir_number": text(data, "fir_number", errors, max_length=50),
        "police_station": text(data, "police_station", errors, max_length=120),
        "url": text(data, "url", errors, max_length=200),
        "outlet": text(data, "outlet", errors, max_length=120),
        "notes": text(data, "notes", errors, max_length=10_000, multiline=True),
        "received_on": date(data, "received_on", errors),
    }
    if cleaned["url"]:
        try:
            URLValidator(schemes=["http", "https"])(cleaned["url"])
        except ValidationError:
            errors.add("url", _("Enter a web address starting with http:// or https://."))
    cleaned.update(grading_fields(data, errors))
    return cleaned, errors


def grading_fields(
    data: dict[str, Any], errors: Errors, *, required: bool = False
) -> dict[str, Any]:
    reliability = str(data.get("reliability") or "").strip().upper()
    raw = data.get("credibility")
    credibility: int | None = None
    if raw not in ("", None):
        try:
            credibility = int(validation.ascii_digits(str(raw)))
        except ValueError:
            credibility = 0  # reported below as out of range
    if reliability and reliability not in Source.Reliability.values:
        errors.add("reliability", _("Reliability is a letter from A to F."))
    if credibility is not None and credibility not in Source.Credibility.values:
        errors.add("credibility", _("Credibility is a number from 1 to 6."))
    if bool(reliability) != (credibility is not None):
        missing = "credibility" if reliability else "reliability"
        errors.add(missing, _("Grade a source on both scales, or leave both empty."))
    elif required and not reliability:
        errors.add("reliability", _("This field is required."))
    return {"reliability": reliability, "credibility": credibility}


def involvement_fields(data: dict[str, Any]) -> tuple[dict[str, Any], Errors]:
    errors = Errors()
    cleaned = {
        "described_group": text(data, "described_group", errors, max_length=500),
        "degree": choice(data, "degree", errors, Involvement.Degree.values),
        "allegation_status": choice(
            data,
            "allegation_status",
            errors,
            Involvement.Allegation.values,
            default=Involvement.Allegation.ALLEGED,
        ),
    }
    return cleaned, errors


def reason(value: str | None, errors: Errors, *, required: bool) -> str:
    return validation.text(
        value, "reason", errors, max_length=2_000, required=required, multiline=True
    )


def nest(errors: Errors, found: dict[str, list[str]], prefix: str) -> None:
    """Adds the problems of one act or source ("act_type") under its place in a list
    ("acts.0.act_type"); a problem of the row as a whole under the row ("acts.0")."""
    for name, messages in found.items():
        for message in messages:
            errors.add(prefix if name == WHOLE else f"{prefix}.{name}", message)
