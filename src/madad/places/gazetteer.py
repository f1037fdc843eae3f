"""Reading a gazetteer from CSV, checking it, and writing it.

Kept apart from the services so that the data migration that ships Karachi can use the same
code on its historical model: nothing here imports the models.

The file has one place a line, with the columns

    code,level,parent_code,name,name_ur,latitude,longitude

`code` is stable and unique ("khi", "khi.central", "khi.central.liaquatabad.nazimabad");
`parent_code` names the place one level up (a city has none), in the same file or already
loaded; `latitude` and `longitude` are the centroid in decimal degrees.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TextIO

from django.utils.translation import gettext as _

from madad.core.refusals import Invalid
from madad.places.search import place_search_text

COLUMNS = ("code", "level", "parent_code", "name", "name_ur", "latitude", "longitude")
LEVELS = ("city", "district", "town", "neighbourhood")  # top to bottom
KARACHI = Path(__file__).resolve().parent / "data" / "karachi.csv"

_CODE = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*(?:\.[a-z0-9]+(?:[-_][a-z0-9]+)*)*$")
_PLACES = Decimal("0.00001")
MAX_ROWS = 100_000


@dataclass(frozen=True)
class PlaceRow:
    line: int
    code: str
    level: str
    parent_code: str
    name: str
    name_ur: str
    latitude: Decimal
    longitude: Decimal


@dataclass(frozen=True)
class RowError:
    line: int
    reason: str
    code: str = ""  # the code on the bad line, when it has one

    def __str__(self) -> str:
        return _("line %(line)s: %(reason)s") % {"line": self.line, "reason": self.reason}


def gazetteer_invalid(errors: list[RowError]) -> Invalid:
    """The refusal of a file with bad rows; nothing was written. Each problem is keyed by its
    line ("line 6")."""
    fields: dict[str, list[str]] = {}
    for error in errors:
        fields.setdefault(f"line {error.line}", []).append(error.reason)
    return Invalid("; ".join(str(e) for e in errors[:5]), code="gazetteer_invalid", fields=fields)


def _coordinate(raw: str, low: int, high: int, label: str) -> tuple[Decimal | None, str]:
    try:
        value = Decimal(raw)
    except InvalidOperation:
        return None, _("%(label)s %(value)r is not a number") % {"label": label, "value": raw}
    if not value.is_finite() or not low <= value <= high:
        return None, _("%(label)s %(value)s is outside %(low)s to %(high)s") % {
            "label": label,
            "value": raw,
            "low": low,
            "high": high,
        }
    return value.quantize(_PLACES, rounding=ROUND_HALF_UP), ""


def _row(line: int, raw: dict[str | None, Any]) -> tuple[PlaceRow | None, list[str]]:
    if raw.get(None):
        return None, [_("the line has more fields than the header")]
    values = {name: (raw.get(name) or "").strip() for name in COLUMNS}
    reasons: list[str] = []
    code = values["code"]
    if not code:
        reasons.append(_("the code is empty"))
    elif len(code) > 120 or not _CODE.match(code):
        reasons.append(
            _(
                "the code %(code)r is not lower-case letters, digits, '-' or '_' in "
                "dot-separated parts (at most 120 characters)"
            )
            % {"code": code}
        )
    if values["level"] not in LEVELS:
        reasons.append(
            _("the level %(level)r is not one of %(levels)s")
            % {"level": values["level"], "levels": ", ".join(LEVELS)}
        )
    if not values["name"]:
        reasons.append(_("the name is empty"))
    for column in ("name", "name_ur"):
        if len(values[column]) > 120:
            reasons.append(_("%(column)s is longer than 120 characters") % {"column": column})
        if "\x00" in values[column]:
            reasons.append(_("%(column)s holds a null character") % {"column": column})
    latitude, reason = _coordinate(values["latitude"], -90, 90, _("latitude"))
    if reason:
        reasons.append(reason)
    longitude, reason = _coordinate(values["longitude"], -180, 180, _("longitude"))
    if reason:
        reasons.append(reason)
    if reasons or latitude is None or longitude is None:
        return None, reasons
    return PlaceRow(
        line=line,
        code=code,
        level=values["level"],
        parent_code=values["parent_code"],
        name=values["name"],
        name_ur=values["name_ur"],
        latitude=latitude,
        longitude=longitude,
    ), []


def read_gazetteer(stream: TextIO) -> tuple[list[PlaceRow], list[RowError]]:
    """The rows of a gazetteer CSV and the errors in their own fields, by line."""
    reader = csv.DictReader(stream)
    try:
        header = reader.fieldnames or []
    except (csv.Error, UnicodeDecodeError) as exc:
        return [], [RowError(1, _("the file is not readable CSV (%(error)s)") % {"error": exc})]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        return [], [
            RowError(
                1,
                _("the header lacks the column(s) %(missing)s; it must name %(columns)s")
                % {"missing": ", ".join(missing), "columns": ",".join(COLUMNS)},
            )
        ]
    rows: list[PlaceRow] = []
    errors: list[RowError] = []
    try:
        for raw in reader:
            line = reader.line_num
            if len(rows) + len(errors) >= MAX_ROWS:
                errors.append(
                    RowError(line, _("the file has more than %(max)s places") % {"max": MAX_ROWS})
                )
                break
            row, reasons = _row(line, raw)
            if row is not None:
                rows.append(row)
            code = (raw.get("code") or "").strip() if isinstance(raw.get("code"), str) else ""
            errors.extend(RowError(line, reason, code) for reason in reasons)
    except (csv.Error, UnicodeDecodeError) as exc:
        errors.append(
            RowError(
                reader.line_num, _("the file is not readable CSV (%(error)s)") % {"error": exc}
            )
        )
    if not rows and not errors:
        errors.append(RowError(1, _("the file holds no places")))
    return rows, errors


def check_gazetteer(
    rows: list[PlaceRow], existing: Mapping[str, str], bad_codes: Iterable[str] = ()
) -> list[RowError]:
    """Errors between rows: duplicate codes, parents missing or not one level up, and places
    already loaded at another level. `existing` maps the codes already stored to their level;
    `bad_codes` are on lines already refused, so a child of one is not reported again."""
    bad = set(bad_codes)
    errors: list[RowError] = []
    first_line: dict[str, int] = {}
    in_file: dict[str, str] = {}
    for row in rows:
        if row.code in first_line:
            errors.append(
                RowError(
                    row.line,
                    _("the code %(code)s is already on line %(first)s")
                    % {"code": row.code, "first": first_line[row.code]},
                )
            )
            continue
        first_line[row.code] = row.line
        in_file[row.code] = row.level
    for row in rows:
        stored = existing.get(row.code)
        if stored is not None and stored != row.level:
            errors.append(
                RowError(
                    row.line,
                    _("%(code)s is already loaded as a %(stored)s; a place cannot change level")
                    % {"code": row.code, "stored": stored},
                )
            )
        rank = LEVELS.index(row.level)
        if rank == 0:
            if row.parent_code:
                errors.append(
                    RowError(row.line, _("a city is part of nothing: leave parent_code empty"))
                )
            continue
        if not row.parent_code:
            errors.append(
                RowError(row.line, _("a %(level)s needs a parent_code") % {"level": row.level})
            )
            continue
        if row.parent_code == row.code:
            errors.append(RowError(row.line, _("a place cannot be its own parent")))
            continue
        parent_level = in_file.get(row.parent_code, existing.get(row.parent_code))
        if parent_level is None and row.parent_code in bad:
            continue
        if parent_level is None:
            errors.append(
                RowError(
                    row.line,
                    _("the parent %(parent)s is neither in the file nor loaded")
                    % {"parent": row.parent_code},
                )
            )
        elif parent_level != LEVELS[rank - 1]:
            errors.append(
                RowError(
                    row.line,
                    _("the parent of a %(level)s must be a %(wanted)s; %(parent)s is a %(found)s")
                    % {
                        "level": row.level,
                        "wanted": LEVELS[rank - 1],
                        "parent": row.parent_code,
                        "found": parent_level,
                    },
                )
            )
    return sorted(errors, key=lambda e: e.line)


@dataclass(frozen=True)
class LoadReport:
    created: int
    updated: int
    unchanged: int

    @property
    def changed(self) -> int:
        return self.created + self.updated


def write_gazetteer(place_model: Any, rows: Iterable[PlaceRow]) -> LoadReport:
    """Creates or updates each place by its code, parents before children. The caller has
    checked the rows and holds a transaction."""
    created = updated = unchanged = 0
    ids: dict[str, int] = dict(place_model.objects.values_list("code", "id"))
    for row in sorted(rows, key=lambda r: LEVELS.index(r.level)):
        values = {
            "level": row.level,
            "parent_id": ids[row.parent_code] if row.parent_code else None,
            "name": row.name,
            "name_ur": row.name_ur,
            "latitude": row.latitude,
            "longitude": row.longitude,
            "search_text": place_search_text(row.name, row.name_ur),
        }
        place = place_model.objects.filter(code=row.code).first()
        if place is None:
            place = place_model.objects.create(code=row.code, **values)
            ids[row.code] = place.pk
            created += 1
            continue
        if all(getattr(place, name) == value for name, value in values.items()):
            unchanged += 1
            continue
        place_model.objects.filter(pk=place.pk).update(version=place.version + 1, **values)
        updated += 1
    return LoadReport(created=created, updated=updated, unchanged=unchanged)


def check_all(
    rows: list[PlaceRow], errors: list[RowError], existing: Mapping[str, str]
) -> list[RowError]:
    """The errors of `read_gazetteer` and of `check_gazetteer` together, by line."""
    between = check_gazetteer(rows, existing, bad_codes=(e.code for e in errors if e.code))
    return sorted([*errors, *between], key=lambda e: e.line)


def read_file(path: Path | str) -> tuple[list[PlaceRow], list[RowError]]:
    """`read_gazetteer` on a file (UTF-8, with or without a byte-order mark)."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as stream:
            return read_gazetteer(stream)
    except OSError as exc:
        return [], [
            RowError(0, _("the file cannot be read (%(error)s)") % {"error": exc.strerror or exc})
        ]
