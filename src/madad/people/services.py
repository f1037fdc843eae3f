"""Writes about persons."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from madad.accounts.models import Organisation, User
from madad.core.audit import audit_record
from madad.core.crypto import blind_index
from madad.people.identity import normalise_cnic, normalise_phone
from madad.people.models import Person, PersonNameKey, Sex
from madad.people.name_index import person_name_keys
from madad.people.signals import person_saved

_TEXT_FIELDS = (
    "given_name",
    "family_name",
    "full_name_ur",
    "father_name",
    "aliases",
    "address",
    "occupation",
    "mother_tongue",
)
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
NAME_FIELDS = ("given_name", "family_name", "full_name_ur", "aliases", "father_name")


def _storable(value: str) -> bool:
    """No NUL (PostgreSQL refuses it) and no unpaired surrogate (not encodable as UTF-8)."""
    if "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def person_validate(data: dict[str, Any]) -> None:
    """Raises the ValidationError person_create would raise for `data`, saving nothing (the
    form checks for duplicates only once the values are known to be valid)."""
    _clean(data)


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    unknown = set(data) - {
        *_TEXT_FIELDS,
        "sex",
        "age",
        "date_of_birth",
        "cnic",
        "phone",
        "deceased",
    }
    if unknown:
        raise TypeError(f"Unknown person fields: {', '.join(sorted(unknown))}")
    cleaned: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for name in _TEXT_FIELDS:
        if name in data:
            value = data[name]
            if value is not None and not isinstance(value, str):
                errors[name] = [_("Enter text.")]
                continue
            value = (value or "").strip()
            if not _storable(value):
                errors[name] = [_("Text may not contain NUL characters or unpaired surrogates.")]
            elif len(value) > _TEXT_LIMITS[name]:
                errors[name] = [
                    _("Enter at most %(max)s characters.") % {"max": _TEXT_LIMITS[name]}
                ]
            cleaned[name] = value
    if "sex" in data:
        if data["sex"] not in Sex.values:
            errors["sex"] = [_("Choose one of the listed values.")]
        cleaned["sex"] = data["sex"]
    if "age" in data:
        age = data["age"]
        if age in (None, ""):
            cleaned["age"] = None
        elif isinstance(age, bool) or not isinstance(age, int) or not 0 <= age <= 130:
            errors["age"] = [_("Age is a whole number of years between 0 and 130.")]
        else:
            cleaned["age"] = age
    if "date_of_birth" in data:
        value = data["date_of_birth"]
        if isinstance(value, dt.date):
            value = value.isoformat()
        value = (value or "").strip() if isinstance(value, str) else None
        if value is None:
            errors["date_of_birth"] = [_("Enter the date as YYYY-MM-DD.")]
        elif value:
            try:
                born = dt.date.fromisoformat(value)
            except ValueError:
                errors["date_of_birth"] = [_("Enter the date as YYYY-MM-DD.")]
            else:
                if born > timezone.localdate():
                    errors["date_of_birth"] = [_("A date of birth cannot be in the future.")]
                elif born.year < 1880:
                    errors["date_of_birth"] = [_("Enter a date of birth after 1880.")]
        cleaned["date_of_birth"] = value or ""
    for name, normalise, purpose in (
        ("cnic", normalise_cnic, "cnic"),
        ("phone", normalise_phone, "phone"),
    ):
        if name in data:
            raw = data[name]
            raw = (raw or "").strip() if isinstance(raw, str) or raw is None else str(raw)
            if not raw:
                cleaned[name], cleaned[f"{name}_index"] = "", ""
                continue
            try:
                value = normalise(raw)
            except ValidationError as exc:
                errors[name] = list(exc.messages)
                continue
            cleaned[name], cleaned[f"{name}_index"] = value, blind_index(value, purpose=purpose)
    if "deceased" in data:
        cleaned["deceased"] = bool(data["deceased"])
    if errors:
        raise ValidationError(errors)
    return cleaned


def _name_keys_rebuild(person: Person) -> None:
    keys = person_name_keys(**{name: getattr(person, name) for name in NAME_FIELDS})
    PersonNameKey.objects.filter(person=person).delete()
    PersonNameKey.objects.bulk_create(
        PersonNameKey(person=person, purpose=purpose, key=key) for purpose, key in sorted(keys)
    )


def person_create(*, organisation: Organisation, created_by: User | None, **data: Any) -> Person:
    """Creates a person from already-typed values, with the name keys that let search find
    them; raises ValidationError (by field) on bad input and writes nothing then."""
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
            fields=[k for k in cleaned if not k.endswith("_index")],
        )
    return person


class StaleEdit(Exception):
    """The record changed since the editor loaded it; their save would overwrite that."""


def person_update(
    *, person: Person, updated_by: User, expected_version: int, **data: Any
) -> Person:
    """Applies the changes only if nobody saved the person since `expected_version` was read
    (StaleEdit otherwise, and nothing is written). Only fields whose value changes are
    written and audited; the name keys follow the names."""
    cleaned = _clean(data)
    with transaction.atomic():
        current = Person.objects.select_for_update().get(pk=person.pk)
        if current.version != expected_version:
            raise StaleEdit(
                _(
                    "Somebody else saved this person after you opened it. "
                    "Reload to see their changes, then edit again."
                )
            )
        changed = {
            k: v
            for k, v in cleaned.items()
            if not k.endswith("_index") and getattr(current, k) != v
        }
        if changed:
            for name in ("cnic", "phone"):
                if name in changed:
                    changed[f"{name}_index"] = cleaned[f"{name}_index"]
            Person.objects.filter(pk=person.pk).update(
                version=expected_version + 1, updated_at=timezone.now(), **changed
            )
            current.refresh_from_db()
            if any(name in changed for name in NAME_FIELDS):
                _name_keys_rebuild(current)
            person_saved.send(sender=Person, person=current)
            audit_record(
                action="person.updated",
                actor=updated_by,
                obj=current,
                fields=[k for k in changed if not k.endswith("_index")],
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
