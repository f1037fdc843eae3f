"""Writes about persons.

Guarantees: every value is checked (core.validation) before anything is written, and every
problem is reported at once (`Invalid`, by field); CNIC and phone numbers are stored in one
canonical form of ASCII digits, whatever digits were typed, with the blind index that finds
them; an edit is applied only to the version its editor read (`Stale` otherwise).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from madad.accounts.models import Organisation, User
from madad.core import validation
from madad.core.audit import audit_record
from madad.core.crypto import blind_index
from madad.core.refusals import Errors, Stale
from madad.core.versioned import update_versioned
from madad.people.identity import normalise_cnic, normalise_phone
from madad.people.models import Person, PersonNameKey, Sex
from madad.people.name_index import person_name_keys
from madad.people.signals import person_saved

# Text fields and their longest value; aliases and addresses keep their line breaks (one alias
# per line).
_TEXT_LIMITS = {
    "given_name": 200,
    "family_name": 200,
    "full_name_ur": 300,
    "father_name": 200,
    "aliases": 1000,
    "address": 500,
    "occupation": 100,
    "mother_tongue": 50,
}
_MULTILINE = frozenset({"aliases", "address"})
# Numbers, their canonical form, and the purpose of their blind index (the field's name).
_NUMBERS: dict[str, Callable[[str], str]] = {"cnic": normalise_cnic, "phone": normalise_phone}
PERSON_FIELDS = frozenset({*_TEXT_LIMITS, *_NUMBERS, "sex", "age", "date_of_birth", "deceased"})
NAME_FIELDS = ("given_name", "family_name", "full_name_ur", "aliases", "father_name")
# Nobody documented today was born before this.
EARLIEST_BIRTH = dt.date(1880, 1, 1)
OLDEST_AGE = 130


def person_validate(data: dict[str, Any]) -> None:
    """Raises the `Invalid` person_create would raise for `data`, saving nothing (the form
    checks for duplicates only once the values are known to be valid)."""
    _clean(data)


def _age(value: Any, errors: Errors) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= OLDEST_AGE:
        return value
    errors.add("age", _("Age is a whole number of years between 0 and 130."))
    return None


def _number(name: str, value: Any, errors: Errors) -> tuple[str, str]:
    """The number in canonical form (digits of any script typed as ASCII) and its blind
    index; both empty for an empty value."""
    raw = validation.ascii_digits("" if value is None else str(value)).strip()
    if not raw:
        return "", ""
    try:
        number = _NUMBERS[name](raw)
    except ValidationError as exc:
        for message in exc.messages:
            errors.add(name, message)
        return "", ""
    return number, blind_index(number, purpose=name)


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    unknown = set(data) - PERSON_FIELDS
    if unknown:
        raise TypeError(f"Unknown person fields: {', '.join(sorted(unknown))}")
    errors = Errors()
    cleaned: dict[str, Any] = {
        name: validation.text(
            data[name], name, errors, max_length=limit, multiline=name in _MULTILINE
        )
        for name, limit in _TEXT_LIMITS.items()
        if name in data
    }
    for name in _NUMBERS.keys() & data.keys():
        cleaned[name], cleaned[f"{name}_index"] = _number(name, data[name], errors)
    if "sex" in data:
        cleaned["sex"] = validation.choice(data["sex"], "sex", errors, Sex.values)
    if "age" in data:
        cleaned["age"] = _age(data["age"], errors)
    if "date_of_birth" in data:
        born = validation.date(
            data["date_of_birth"], "date_of_birth", errors, not_future=True, earliest=EARLIEST_BIRTH
        )
        cleaned["date_of_birth"] = born.isoformat() if born else ""
    if "deceased" in data:
        cleaned["deceased"] = bool(data["deceased"])
    errors.raise_if()
    return cleaned


def _name_keys_rebuild(person: Person) -> None:
    keys = person_name_keys(**{name: getattr(person, name) for name in NAME_FIELDS})
    PersonNameKey.objects.filter(person=person).delete()
    PersonNameKey.objects.bulk_create(
        PersonNameKey(person=person, purpose=purpose, key=key) for purpose, key in sorted(keys)
    )


def _audited_fields(cleaned: dict[str, Any]) -> list[str]:
    return [name for name in cleaned if not name.endswith("_index")]


def person_create(*, organisation: Organisation, created_by: User | None, **data: Any) -> Person:
    """Creates a person from already-typed values, with the name keys that let search find
    them; raises `Invalid` (by field) on bad input and writes nothing then."""
    cleaned = _clean(data)
    with transaction.atomic():
        person = Person.objects.create(organisation=organisation, **cleaned)
        _name_keys_rebuild(person)
        person_saved.send(sender=Person, person=person)
        audit_record(
            action="person.created",
            actor=created_by,
            organisation=organisation,
            obj=person,
            fields=_audited_fields(cleaned),
        )
    return person


def person_update(
    *, person: Person, updated_by: User, expected_version: int, **data: Any
) -> Person:
    """Applies the changes only if nobody saved the person since `expected_version` was read
    (`Stale` otherwise, and nothing is written). Only fields whose value changes are written
    and audited; the name keys follow the names."""
    cleaned = _clean(data)
    with transaction.atomic():
        current = Person.objects.get(pk=person.pk)
        if current.version != expected_version:
            raise Stale()
        changed = {
            name: value
            for name, value in cleaned.items()
            if not name.endswith("_index") and getattr(current, name) != value
        }
        if changed:
            changed.update({f"{n}_index": cleaned[f"{n}_index"] for n in _NUMBERS if n in changed})
            # the conditional UPDATE refuses (Stale) if someone saved since the read above
            current = update_versioned(current, expected_version=expected_version, **changed)
            if any(name in changed for name in NAME_FIELDS):
                _name_keys_rebuild(current)
            person_saved.send(sender=Person, person=current)
            audit_record(
                action="person.updated",
                actor=updated_by,
                obj=current,
                fields=_audited_fields(changed),
            )
    person.refresh_from_db()
    return person


def people_reindex(*, batch_size: int = 500) -> int:
    """Rebuilds every person's name keys (after the name normalisation changed), a batch per
    transaction; returns how many persons were indexed."""
    count = 0
    last_id = 0
    while True:
        with transaction.atomic():
            batch = list(Person.objects.filter(pk__gt=last_id).order_by("pk")[:batch_size])
            if not batch:
                return count
            for person in batch:
                _name_keys_rebuild(person)
            count += len(batch)
            last_id = batch[-1].pk


def person_find_by_cnic(*, organisation: Organisation, cnic: str) -> Person | None:
    digits = normalise_cnic(cnic)
    return Person.objects.filter(
        organisation=organisation, cnic_index=blind_index(digits, purpose="cnic")
    ).first()
