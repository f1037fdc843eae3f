"""`madad import persons FILE.csv`: persons from a file, all or nothing.

Columns: record_id, given_name, family_name, full_name_ur, father_name, sex, date_of_birth,
age, cnic, phone, address, town, district. Any may be empty except record_id, which must be
unique in the file and new to the organisation: the persons remember it (PersonRecordId), so
that `madad dedup persons` answers in the file's terms. Town and district are looked up in the
gazetteer (in English or Urdu); a place not found is kept in the address instead.

Every row is checked before anything is written; a bad row is reported by its line and the
reason (never its values, which may be identity data), and then nothing at all is written.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from madad.accounts.models import Organisation, User
from madad.core.audit import audit_record
from madad.core.refusals import Invalid, Refused
from madad.linkage import keys
from madad.linkage.models import PersonRecordId
from madad.linkage.records import records_of
from madad.people.models import Person, Sex
from madad.people.services import person_create
from madad.places.models import Place
from madad.places.search import place_query

COLUMNS = (
    "record_id",
    "given_name",
    "family_name",
    "full_name_ur",
    "father_name",
    "sex",
    "date_of_birth",
    "age",
    "cnic",
    "phone",
    "address",
    "town",
    "district",
)
_SEXES = {
    "male": Sex.MALE,
    "m": Sex.MALE,
    "مرد": Sex.MALE,
    "female": Sex.FEMALE,
    "f": Sex.FEMALE,
    "عورت": Sex.FEMALE,
    "other": Sex.OTHER,
    "unknown": Sex.UNKNOWN,
    "": Sex.UNKNOWN,
}
RECORD_ID_MAX = 100


# A refused import (Invalid) lists every problem, one line each, under this field.
FILE = "file"


def _refused(errors: list[str]) -> Invalid:
    return Invalid(_("The file has errors; nothing was imported."), fields={FILE: errors})


@dataclass
class ImportReport:
    created: int = 0
    places_found: int = 0
    ignored_columns: list[str] = field(default_factory=list)


def _find_place(
    town: str, district: str, cache: dict[tuple[str, str], Place | None]
) -> Place | None:
    key = (town, district)
    if key not in cache:
        found = None
        district_place = None
        if district:
            query = place_query(district)
            if query is not None:
                district_place = Place.objects.filter(query, level=Place.Level.DISTRICT).first()
        if town:
            query = place_query(town)
            if query is not None:
                towns = Place.objects.filter(query).exclude(level=Place.Level.CITY)
                if district_place is not None:
                    towns = towns.filter(code__startswith=district_place.code + ".")
                found = towns.order_by("level", "code").first()
        cache[key] = found or district_place
    return cache[key]


def _row_data(row: dict[str, str], line: int, errors: list[str]) -> dict[str, Any] | None:
    data: dict[str, Any] = {}
    sex = (row.get("sex") or "").strip().casefold()
    if sex not in _SEXES:
        errors.append(
            _("line %(line)s: sex: use male, female, other or leave it empty") % {"line": line}
        )
        return None
    data["sex"] = _SEXES[sex]
    age = (row.get("age") or "").strip()
    if age:
        if not age.isdigit():
            errors.append(_("line %(line)s: age: a whole number of years") % {"line": line})
            return None
        data["age"] = int(age)
    for name in (
        "given_name",
        "family_name",
        "full_name_ur",
        "father_name",
        "date_of_birth",
        "cnic",
        "phone",
        "address",
    ):
        data[name] = (row.get(name) or "").strip()
    return data


def _record_id(
    row: dict[str, Any], line: int, seen: dict[str, int], existing: set[str]
) -> tuple[str, str | None]:
    """The row's record id, and what is wrong with it (None if nothing)."""
    record_id = (row.get("record_id") or "").strip()
    if not record_id:
        return record_id, _("line %(line)s: record_id: required") % {"line": line}
    if len(record_id) > RECORD_ID_MAX:
        return record_id, _("line %(line)s: record_id: at most %(max)s characters") % {
            "line": line,
            "max": RECORD_ID_MAX,
        }
    if record_id in seen:
        return record_id, _("line %(line)s: record_id: repeats line %(first)s") % {
            "line": line,
            "first": seen[record_id],
        }
    seen[record_id] = line
    if record_id in existing:
        return record_id, _("line %(line)s: record_id: already imported") % {"line": line}
    return record_id, None


def _place(
    row: dict[str, Any], data: dict[str, Any], places: dict[tuple[str, str], Place | None]
) -> Place | None:
    """The row's place in the gazetteer; a town or district not found goes into the address."""
    town, district = (row.get("town") or "").strip(), (row.get("district") or "").strip()
    if not (town or district):
        return None
    place = _find_place(town, district, places)
    if place is None:
        data["address"] = ", ".join(p for p in (data["address"], town, district) if p)
    return place


def _save(
    organisation: Organisation,
    imported_by: User | None,
    created: list[tuple[Person, str, Place | None]],
    header: list[str],
) -> None:
    PersonRecordId.objects.bulk_create(
        [
            PersonRecordId(organisation=organisation, person=person, record_id=rid, place=place)
            for person, rid, place in created
        ],
        batch_size=1000,
    )
    for start in range(0, len(created), 1000):
        batch = [person for person, _rid, _place in created[start : start + 1000]]
        keys.match_keys_rebuild(organisation_id=organisation.pk, records=records_of(batch))
    audit_record(
        action="person.imported",
        actor=imported_by,
        organisation=organisation,
        object_type="people.person",
        fields=[c for c in COLUMNS if c in header],
    )


def persons_import(
    *, organisation: Organisation, file: IO[str] | Iterable[str], imported_by: User | None
) -> ImportReport:
    """Creates one person per row of the CSV (see the module's docstring). When any row is bad,
    nothing is written, and the refusal (Invalid) lists every problem under `FILE`."""
    reader = csv.DictReader(file)
    header = [h.strip() for h in (reader.fieldnames or [])]
    if "record_id" not in header:
        raise _refused([_("line 1: the file has no record_id column")])
    reader.fieldnames = header
    errors: list[str] = []
    seen: dict[str, int] = {}
    places: dict[tuple[str, str], Place | None] = {}
    created: list[tuple[Person, str, Place | None]] = []
    existing = set(
        PersonRecordId.objects.filter(organisation=organisation).values_list("record_id", flat=True)
    )
    try:
        with transaction.atomic(), keys.deferred():
            for row in reader:
                line = reader.line_num
                if None in row:
                    errors.append(_("line %(line)s: more values than columns") % {"line": line})
                    continue
                record_id, problem = _record_id(row, line, seen, existing)
                if problem:
                    errors.append(problem)
                    continue
                data = _row_data(row, line, errors)
                if data is None:
                    continue
                place = _place(row, data, places)
                try:  # after a bad row, rows are still checked this way; all is rolled back
                    person = person_create(
                        organisation=organisation, created_by=imported_by, **data
                    )
                except (Refused, ValidationError) as exc:
                    errors.extend(_field_errors(line, exc))
                    continue
                created.append((person, record_id, place))
            if errors:
                raise _refused(errors)
            _save(organisation, imported_by, created, header)
    except UnicodeDecodeError:
        raise _refused([_("the file is not UTF-8 text")]) from None
    except csv.Error as exc:
        raise _refused([_("line %(line)s: not valid CSV") % {"line": reader.line_num}]) from exc
    return ImportReport(
        created=len(created),
        places_found=sum(1 for _p, _r, place in created if place is not None),
        ignored_columns=[h for h in header if h not in COLUMNS],
    )


def _field_errors(line: int, exc: Refused | ValidationError) -> list[str]:
    refusal = Refused.from_validation_error(exc) if isinstance(exc, ValidationError) else exc
    return [
        _("line %(line)s: %(field)s: %(reason)s") % {"line": line, "field": name, "reason": message}
        for name, messages in (refusal.fields or {"": [refusal.message]}).items()
        for message in messages
    ]


def open_text(path: str) -> IO[str]:
    """The file as text, UTF-8 (a byte-order mark is allowed), with universal newlines."""
    return io.open(path, encoding="utf-8-sig", newline="")  # noqa: UP020 -- explicit text mode
