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
from madad.people.models import Person, Sex

_TEXT_FIELDS = ("given_name", "family_name", "full_name_ur", "father_name", "aliases",
                "address", "occupation", "mother_tongue")


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for name in _TEXT_FIELDS:
        if name in data:
            cleaned[name] = (data[name] or "").strip()
    if "sex" in data:
        if data["sex"] not in Sex.values:
            errors["sex"] = [_("Choose one of the listed values.")]
        cleaned["sex"] = data["sex"]
    if "age" in data:
        age = data["age"]
        if age in (None, ""):
            cleaned["age"] = None
        elif not isinstance(age, int) or not 0 <= age <= 130:
            errors["age"] = [_("Age is a whole number of years between 0 and 130.")]
        else:
            cleaned["age"] = age
    if "date_of_birth" in data:
        value = data["date_of_birth"]
        if isinstance(value, dt.date):
            value = value.isoformat()
        value = (value or "").strip()
        if value:
            try:
                born = dt.date.fromisoformat(value)
            except ValueError:
                errors["date_of_birth"] = [_("Enter the date as YYYY-MM-DD.")]
            else:
                if born > timezone.localdate():
                    errors["date_of_birth"] = [_("A date of birth cannot be in the future.")]
        cleaned["date_of_birth"] = value
    for name, normalise, purpose in (("cnic", normalise_cnic, "cnic"),
                                     ("phone", normalise_phone, "phone")):
        if name in data:
            raw = (data[name] or "").strip()
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


def person_create(*, organisation: Organisation, created_by: User | None, **data: Any) -> Person:
    """Creates a person from already-typed values; raises ValidationError (by field) on bad
    input and writes nothing then."""
    cleaned = _clean(data)
    with transaction.atomic():
        person = Person.objects.create(organisation=organisation, **cleaned)
        audit_record(action="person.created", actor=created_by, organisation=organisation,
                     obj=person, fields=[k for k in cleaned if not k.endswith("_index")])
    return person


class StaleEdit(Exception):
    """The record changed since the editor loaded it; their save would overwrite that."""


def person_update(*, person: Person, updated_by: User, expected_version: int,
                  **data: Any) -> Person:
    """Applies the changes only if nobody saved the person since `expected_version` was read."""
    cleaned = _clean(data)
    with transaction.atomic():
        cleaned["updated_at"] = timezone.now()
        changed = Person.objects.filter(pk=person.pk, version=expected_version).update(
            version=expected_version + 1, **cleaned
        )
        if not changed:
            raise StaleEdit(_("Somebody else saved this person after you opened it. "
                              "Reload to see their changes, then edit again."))
        audit_record(action="person.updated", actor=updated_by, obj=person,
                     fields=[k for k in cleaned if not k.endswith("_index") and k != "updated_at"])
    person.refresh_from_db()
    return person


def person_find_by_cnic(*, organisation: Organisation, cnic: str) -> Person | None:
    digits = normalise_cnic(cnic)
    return Person.objects.filter(
        organisation=organisation, cnic_index=blind_index(digits, purpose="cnic")
    ).first()
