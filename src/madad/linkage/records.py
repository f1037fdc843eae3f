"""Persons as the matcher's plain records, decrypted in memory only.

The matcher (madad.linkage.matching) never sees a model: these functions read persons with
just the fields it compares, decrypt them in this process, and hand over dicts. Nothing read
here is logged or stored; what is stored about a pair (madad.linkage.models.PersonPair) is
the level of agreement of each field, never a value.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from madad.households.models import Member
from madad.linkage.models import PersonRecordId
from madad.people.models import Person, Sex

# The person's fields the matcher compares (names, sex, birth, numbers)
COMPARED = (
    "given_name",
    "family_name",
    "full_name_ur",
    "aliases",
    "father_name",
    "sex",
    "date_of_birth",
    "age",
    "cnic",
    "phone",
)
FIELDS = ("id", "organisation_id", *COMPARED, "created_at")


def person_record(
    person: Person | Any, *, place: str = "", household: Any = None
) -> dict[str, Any]:
    return {
        "id": person.pk,
        "given_name": person.given_name,
        "family_name": person.family_name,
        "full_name_ur": person.full_name_ur,
        "aliases": person.aliases,
        "father_name": person.father_name,
        "sex": "" if person.sex == Sex.UNKNOWN else person.sex,
        "date_of_birth": person.date_of_birth,
        "age": person.age,
        "age_year": person.created_at.year if person.created_at else None,
        "cnic": person.cnic,
        "phone": person.phone,
        "place": place,
        "household": household,
    }


def _places_and_households(
    organisation_id: int, person_ids: list[int] | None
) -> tuple[dict[int, str], dict[int, int]]:
    """Each person's best-known place (their household's area, else the place their imported
    record gave) and their first household."""
    members = Member.objects.filter(household__organisation_id=organisation_id)
    imported = PersonRecordId.objects.filter(organisation_id=organisation_id, place__isnull=False)
    if person_ids is not None:
        members = members.filter(person_id__in=person_ids)
        imported = imported.filter(person_id__in=person_ids)
    places: dict[int, str] = {}
    households: dict[int, int] = {}
    for person_id, code in imported.values_list("person_id", "place__code"):
        places.setdefault(person_id, code)
    for person_id, household_id, code in members.order_by("id").values_list(
        "person_id", "household_id", "household__place__code"
    ):
        households.setdefault(person_id, household_id)
        if code:
            places[person_id] = code
    return places, households


def organisation_records(organisation_id: int) -> Iterator[dict[str, Any]]:
    """Every person of the organisation, oldest first."""
    places, households = _places_and_households(organisation_id, None)
    persons = Person.objects.filter(organisation_id=organisation_id).only(*FIELDS).order_by("id")
    for person in persons.iterator(chunk_size=2000):
        yield person_record(
            person, place=places.get(person.pk, ""), household=households.get(person.pk)
        )


def records_of(persons: Iterable[Person]) -> list[dict[str, Any]]:
    """These persons (all of one organisation) as records."""
    persons = list(persons)
    if not persons:
        return []
    places, households = _places_and_households(persons[0].organisation_id, [p.pk for p in persons])
    return [
        person_record(p, place=places.get(p.pk, ""), household=households.get(p.pk))
        for p in persons
    ]
