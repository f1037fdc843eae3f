"""Checks of typed input shared by the incident services. Each returns cleaned values and adds
messages to an errors dict keyed by field name, so that a service can report every problem at
once and write nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext as _

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
from madad.places.models import Place

Errors = dict[str, list[str]]


def add(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def text(
    data: dict[str, Any], name: str, errors: Errors, *, max_length: int, required: bool = False
) -> str:
    value = data.get(name)
    value = "" if value is None else str(value).strip()
    if required and not value:
        add(errors, name, _("This field is required."))
    elif len(value) > max_length:
        add(errors, name, _("At most %(n)d characters.") % {"n": max_length})
    return value


def choice(
    data: dict[str, Any], name: str, errors: Errors, choices: Iterable[Any], *, default: Any = None
) -> Any:
    value = data.get(name, default)
    if value not in set(choices):
        add(errors, name, _("Choose one of the listed values."))
    return value


def date(
    data: dict[str, Any],
    name: str,
    errors: Errors,
    *,
    required: bool = False,
    precision: str = DatePrecision.DAY,
) -> dt.date | None:
    value = data.get(name)
    if value in (None, ""):
        if required:
            add(errors, name, _("This field is required."))
        return None
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            add(errors, name, _("Enter the date as YYYY-MM-DD."))
            return None
    if not isinstance(value, dt.date):
        add(errors, name, _("Enter the date as YYYY-MM-DD."))
        return None
    if value > timezone.localdate():
        add(errors, name, _("This date is in the future."))
    return partial_date(value, precision)


def coordinate(data: dict[str, Any], name: str, errors: Errors, limit: int) -> Decimal | None:
    value = data.get(name)
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
        if not number.is_finite():
            raise ValueError
        number = number.quantize(Decimal("0.00001"))
    except (InvalidOperation, ValueError):
        add(errors, name, _("Enter a number."))
        return None
    if not -limit <= number <= limit:
        add(
            errors,
            name,
            _("Enter a value between %(low)d and %(high)d.") % {"low": -limit, "high": limit},
        )
        return None
    return number


def incident_fields(
    data: dict[str, Any], *, partial: bool = False
) -> tuple[dict[str, Any], Errors]:
    """The incident's own fields. With `partial`, only the names present in `data` are checked
    (and the start/end order against each other when both are known)."""
    errors: Errors = {}
    cleaned: dict[str, Any] = {}

    def wanted(name: str) -> bool:
        return not partial or name in data

    if wanted("title"):
        cleaned["title"] = text(data, "title", errors, max_length=200, required=True)
    for prefix in ("start", "end"):
        # A partial update passes the stored precision along with a new date (see services).
        precision = data.get(f"{prefix}_precision") or DatePrecision.DAY
        if precision not in DatePrecision.values:
            add(errors, f"{prefix}_precision", _("Choose one of the listed values."))
            precision = DatePrecision.DAY
        if wanted(f"{prefix}_precision"):
            cleaned[f"{prefix}_precision"] = precision
        if wanted(f"{prefix}_date"):
            cleaned[f"{prefix}_date"] = date(
                data, f"{prefix}_date", errors, required=prefix == "start", precision=precision
            )
    start, end = cleaned.get("start_date"), cleaned.get("end_date")
    if start and end and end < start:
        add(errors, "end_date", _("The incident cannot end before it starts."))
    if wanted("place"):
        place = data.get("place")
        if not isinstance(place, Place):
            add(errors, "place", _("Choose a place."))
        cleaned["place"] = place
    if wanted("latitude") or wanted("longitude"):
        cleaned["latitude"] = coordinate(data, "latitude", errors, 90)
        cleaned["longitude"] = coordinate(data, "longitude", errors, 180)
        if (cleaned["latitude"] is None) != (cleaned["longitude"] is None) and not (
            "latitude" in errors or "longitude" in errors
        ):
            add(
                errors,
                "longitude" if cleaned["longitude"] is None else "latitude",
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
    if wanted("types"):
        types = list(data.get("types") or [])
        if not types:
            add(errors, "types", _("Choose at least one type."))
        elif not all(isinstance(t, IncidentType) and t.active for t in types):
            add(errors, "types", _("Choose types from the list."))
        cleaned["types"] = types
    if wanted("description"):
        cleaned["description"] = text(data, "description", errors, max_length=20_000)
    if wanted("public_summary"):
        cleaned["public_summary"] = text(data, "public_summary", errors, max_length=2_000)
    if wanted("confidentiality"):
        cleaned["confidentiality"] = choice(
            data,
            "confidentiality",
            errors,
            Incident.Confidentiality.values,
            default=Incident.Confidentiality.INTERNAL,
        )
    return cleaned, errors


def act_fields(data: dict[str, Any]) -> tuple[dict[str, Any], Errors]:
    errors: Errors = {}
    cleaned = {
        "act_type": choice(data, "act_type", errors, Act.Type.values),
        "date": date(data, "date", errors),
        "method": text(data, "method", errors, max_length=200),
        "consequences": text(data, "consequences", errors, max_length=10_000),
    }
    return cleaned, errors


def source_fields(data: dict[str, Any]) -> tuple[dict[str, Any], Errors]:
    errors: Errors = {}
    cleaned: dict[str, Any] = {
        "kind": choice(data, "kind", errors, Source.Kind.values),
        "name": text(data, "name", errors, max_length=300),
        "fir_number": text(data, "fir_number", errors, max_length=50),
        "police_station": text(data, "police_station", errors, max_length=120),
        "url": text(data, "url", errors, max_length=200),
        "outlet": text(data, "outlet", errors, max_length=120),
        "notes": text(data, "notes", errors, max_length=10_000),
        "received_on": date(data, "received_on", errors),
    }
    if cleaned["url"]:
        try:
            URLValidator(schemes=["http", "https"])(cleaned["url"])
        except ValidationError:
            add(errors, "url", _("Enter a web address starting with http:// or https://."))
    cleaned.update(grading_fields(data, errors))
    return cleaned, errors


def grading_fields(
    data: dict[str, Any], errors: Errors, *, required: bool = False
) -> dict[str, Any]:
    reliability = (data.get("reliability") or "").strip().upper()
    raw = data.get("credibility")
    credibility: int | None = None
    if raw not in ("", None):
        try:
            credibility = int(raw)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            credibility = 0  # reported below as out of range
    if reliability and reliability not in Source.Reliability.values:
        add(errors, "reliability", _("Reliability is a letter from A to F."))
    if credibility is not None and credibility not in Source.Credibility.values:
        add(errors, "credibility", _("Credibility is a number from 1 to 6."))
    if bool(reliability) != (credibility is not None):
        missing = "credibility" if reliability else "reliability"
        add(errors, missing, _("Grade a source on both scales, or leave both empty."))
    elif required and not reliability:
        add(errors, "reliability", _("This field is required."))
    return {"reliability": reliability, "credibility": credibility}


def involvement_fields(data: dict[str, Any]) -> tuple[dict[str, Any], Errors]:
    errors: Errors = {}
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
    return text({"reason": value}, "reason", errors, max_length=2_000, required=required)


def prefixed(prefix: str, errors: Errors) -> Errors:
    return {
        f"{prefix}.{name}" if name != "__all__" else prefix: messages
        for name, messages in errors.items()
    }


def raise_if(errors: Errors) -> None:
    if errors:
        raise ValidationError(errors)


def messages_of(exc: ValidationError) -> Errors:
    if hasattr(exc, "error_dict"):
        return {
            name: [str(m) for m in ValidationError(errs).messages]
            for name, errs in exc.error_dict.items()
        }
    return {"__all__": [str(m) for m in exc.messages]}
