"""Reads about persons, through the access policy."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet

from madad import access
from madad.access.roles import Capability
from madad.core.audit import audit_record
from madad.core.crypto import blind_index
from madad.people.identity import looks_like_a_number, normalise_cnic, normalise_phone
from madad.people.models import Person, PersonNameKey
from madad.people.name_index import FATHER_NAME, NAME, query_keys


def person_list(*, user: Any, filters: dict[str, Any] | None = None) -> QuerySet[Person]:
    """Persons the user may see, newest first, narrowed by sex, deceased and age range."""
    persons = access.visible_to(user, Person).select_related("organisation")
    filters = filters or {}
    if filters.get("sex"):
        persons = persons.filter(sex=filters["sex"])
    if filters.get("deceased") is not None:
        persons = persons.filter(deceased=filters["deceased"])
    if filters.get("age_min") is not None:
        persons = persons.filter(age__gte=filters["age_min"])
    if filters.get("age_max") is not None:
        persons = persons.filter(age__lte=filters["age_max"])
    return persons


@dataclass(frozen=True)
class PersonSearch:
    """What was searched for: "name" (tokens), "cnic" or "phone"; empty when nothing usable
    was typed."""

    kinds: tuple[str, ...]
    usable: bool


def _having_all(keys: set[str]) -> QuerySet[Any]:
    return (
        PersonNameKey.objects.filter(key__in=keys)
        .values("person_id")
        .annotate(found=Count("key", distinct=True))
        .filter(found=len(keys))
        .values("person_id")
    )


def person_search(
    *, user: Any, query: str, father_name: str = ""
) -> tuple[QuerySet[Person], PersonSearch]:
    """Persons the user may see whose names hold every word of `query`, in either script and
    any spelling or order (core.names), or whose CNIC or phone number is exactly `query`;
    `father_name` narrows by the father's name the same way. Nothing is decrypted: the query
    is normalised and blind-indexed like the stored names. The search is audited (the kind,
    never the words)."""
    persons = access.visible_to(user, Person).select_related("organisation")
    query, father_name = (query or "").strip()[:200], (father_name or "").strip()[:200]
    kinds: list[str] = []
    match: Q | None = None
    if looks_like_a_number(query):
        numbers = Q(pk__in=[])
        try:
            numbers |= Q(cnic_index=blind_index(normalise_cnic(query), purpose="cnic"))
            kinds.append("cnic")
        except ValidationError:
            pass
        try:
            numbers |= Q(phone_index=blind_index(normalise_phone(query), purpose="phone"))
            kinds.append("phone")
        except ValidationError:
            pass
        match = numbers
    elif query:
        keys = query_keys(query, purpose=NAME)
        if keys:
            match = Q(pk__in=_having_all(keys))
            kinds.append("name")
    father_keys = query_keys(father_name, purpose=FATHER_NAME) if father_name else set()
    if father_keys:
        by_father = Q(pk__in=_having_all(father_keys))
        match = by_father if match is None else match & by_father
        kinds.append("father_name")
    if match is None or not kinds:
        return persons.none(), PersonSearch(kinds=(), usable=False)
    if access.can(user, Capability.PERSON_VIEW):
        audit_record(
            action="person.searched",
            actor=user,
            object_type="people.person",
            fields=kinds,
        )
    return persons.filter(match), PersonSearch(kinds=tuple(kinds), usable=True)
