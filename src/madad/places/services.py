"""Writes to the gazetteer."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TextIO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from madad.accounts.models import User
from madad.core.audit import audit_record
from madad.places.gazetteer import (
    GazetteerInvalid,
    LoadReport,
    check_all,
    read_file,
    read_gazetteer,
    write_gazetteer,
)
from madad.places.models import Place
from madad.places.search import place_search_text

__all__ = ["GazetteerInvalid", "StaleEdit", "place_update", "places_load", "places_reindex"]


class StaleEdit(Exception):
    """The place changed since the editor loaded it; their save would overwrite that."""


def places_load(
    *, source: Path | str | TextIO, loaded_by: User | None = None, actor_label: str = ""
) -> LoadReport:
    """Loads a gazetteer CSV (a path or an open text stream): every row is checked first and
    nothing is written when any row is bad (GazetteerInvalid names each by line). Places are
    matched by code, so loading the same file again changes nothing."""
    if isinstance(source, str | Path):
        rows, errors = read_file(source)
    else:
        rows, errors = read_gazetteer(source)
    with transaction.atomic():
        existing = dict(Place.objects.values_list("code", "level"))
        errors = check_all(rows, errors, existing)
        if errors:
            raise GazetteerInvalid(errors)
        report = write_gazetteer(Place, rows)
        if report.changed:
            audit_record(
                action="place.gazetteer.loaded",
                actor=loaded_by,
                actor_label=actor_label,
                object_type="places.place",
                fields=["code", "level", "parent", "name", "name_ur", "latitude", "longitude"],
            )
    return report


def _coordinate(value: Any, low: int, high: int) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValidationError(_("Enter a number.")) from None
    if not number.is_finite() or not low <= number <= high:
        raise ValidationError(
            _("Enter a number between %(low)s and %(high)s.") % {"low": low, "high": high}
        )
    return number.quantize(Decimal("0.00001"), rounding=ROUND_HALF_UP)


def place_update(
    *,
    place: Place,
    updated_by: User,
    expected_version: int,
    name: str,
    name_ur: str,
    latitude: Any,
    longitude: Any,
) -> Place:
    """Renames or moves the centroid of a place, only if nobody saved it since
    `expected_version` was read; raises ValidationError by field and writes nothing on bad
    input. Level and parent change only through a gazetteer load."""
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {"name": (name or "").strip(), "name_ur": (name_ur or "").strip()}
    if not values["name"]:
        errors["name"] = [_("A place needs a name.")]
    for field in ("name", "name_ur"):
        if len(values[field]) > 120:
            errors[field] = [_("At most 120 characters.")]
    for field, raw, low, high in (
        ("latitude", latitude, -90, 90),
        ("longitude", longitude, -180, 180),
    ):
        try:
            values[field] = _coordinate(raw, low, high)
        except ValidationError as exc:
            errors[field] = list(exc.messages)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = Place.objects.select_for_update().get(pk=place.pk)
        if current.version != expected_version:
            raise StaleEdit(
                _(
                    "Somebody else saved this place after you opened it. Reload to "
                    "see their changes, then edit again."
                )
            )
        changed = [f for f, v in values.items() if getattr(current, f) != v]
        if changed:
            values["search_text"] = place_search_text(values["name"], values["name_ur"])
            Place.objects.filter(pk=place.pk).update(version=expected_version + 1, **values)
            audit_record(action="place.updated", actor=updated_by, obj=current, fields=changed)
    place.refresh_from_db()
    return place


def places_reindex() -> int:
    """Rebuilds every place's search text (after the name normalisation changed)."""
    count = 0
    with transaction.atomic():
        for place in Place.objects.only("id", "name", "name_ur", "search_text").iterator():
            text = place_search_text(place.name, place.name_ur)
            if text != place.search_text:
                Place.objects.filter(pk=place.pk).update(search_text=text)
                count += 1
    return count
