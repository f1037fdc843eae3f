# ruff: noqa: RUF001 -- Urdu names
"""Finding a person by name in either script and any spelling, or by CNIC or phone, without
decrypting anybody."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command

from madad.accounts.models import Organisation, User
from madad.core.models import AuditEvent
from madad.people.models import Person, PersonNameKey
from madad.people.selectors import person_search
from madad.people.services import person_create, person_update

pytestmark = pytest.mark.django_db


def _found(user: User, query: str, father_name: str = "") -> list[Person]:
    persons, _search = person_search(user=user, query=query, father_name=father_name)
    return list(persons)


@pytest.mark.parametrize(
    "query",
    [
        "Muhammad Ali",
        "Mohd Ali",
        "ali muhammad",
        "ALI, Mohammed",
        "محمد علی",
        "محمد علي",  # Arabic yeh
        "مُحمّد",  # diacritics
        "علی\u200c محمد\u200b",  # zero-width characters, other order
        "Mr. Md. Ali Sahib",
    ],
)
def test_urdu_and_romanised_searches_find_the_same_person(
    documenter: User, ali: Person, query: str
) -> None:
    assert _found(documenter, query) == [ali]


def test_an_alias_finds_the_person(documenter: User, ali: Person) -> None:
    assert _found(documenter, "ali bhai") == [ali]


def test_every_word_of_the_query_must_match(documenter: User, ali: Person) -> None:
    assert _found(documenter, "Muhammad Khan") == []


def test_a_similar_but_different_name_is_not_found(
    documenter: User, ali: Person, relief_org: Organisation
) -> None:
    mahmood = person_create(
        organisation=relief_org, created_by=documenter, given_name="Mahmood", family_name="Ali"
    )
    assert _found(documenter, "Muhammad Ali") == [ali]
    assert _found(documenter, "محمود") == [mahmood]


def test_the_fathers_name_narrows_the_search(
    documenter: User, ali: Person, relief_org: Organisation
) -> None:
    person_create(
        organisation=relief_org,
        created_by=documenter,
        given_name="Muhammad",
        family_name="Ali",
        father_name="Kamran",
    )
    assert len(_found(documenter, "Muhammad Ali")) == 2
    assert _found(documenter, "Muhammad Ali", father_name="Hussain Ahmed") == [ali]
    assert _found(documenter, "", father_name="Ahmad Husain") == [ali]


@pytest.mark.parametrize(
    "number",
    [
        "42101-1234567-1",
        "4210112345671",
        "۴۲۱۰۱-۱۲۳۴۵۶۷-۱",
        "0300-1234567",
        "+92 300 1234567",
        "03001234567",
    ],
)
def test_an_exact_cnic_or_phone_number_finds_the_person(
    documenter: User, ali: Person, number: str
) -> None:
    assert _found(documenter, number) == [ali]


@pytest.mark.parametrize("number", ["42101-1234567", "42101-1234567-2", "0300-7654321"])
def test_a_partial_or_other_number_finds_nobody(documenter: User, ali: Person, number: str) -> None:
    assert _found(documenter, number) == []


def test_another_organisations_person_is_never_found(
    outsider: User, ali: Person, other_relief_org: Organisation
) -> None:
    own = person_create(
        organisation=other_relief_org, created_by=outsider, given_name="Muhammad", family_name="Ali"
    )
    assert _found(outsider, "محمد علی") == [own]
    assert _found(outsider, "42101-1234567-1") == []


def test_a_partner_finds_nobody(partner_user: User, ali: Person) -> None:
    assert _found(partner_user, "Muhammad Ali") == []


def test_nothing_to_search_for_is_said_so(documenter: User, ali: Person) -> None:
    for query in ("", "   ", "Mr. Sahib", "12", "e"):
        persons, search = person_search(user=documenter, query=query)
        assert not search.usable and not persons.exists()


def test_the_search_is_audited_by_kind_never_by_its_words(documenter: User, ali: Person) -> None:
    person_search(user=documenter, query="Muhammad Ali", father_name="Ahmed")
    person_search(user=documenter, query="4210112345671")
    events = list(AuditEvent.objects.filter(action="person.searched").order_by("id"))
    assert [e.fields for e in events] == [["father_name", "name"], ["cnic", "phone"]]
    assert all(e.actor_id == documenter.pk for e in events)


def test_name_keys_are_blind_indexes_not_names(ali: Person) -> None:
    keys = list(PersonNameKey.objects.filter(person=ali).values_list("key", flat=True))
    assert keys and all(re.fullmatch(r"[0-9a-f]{64}", key) for key in keys)
    assert {"father_name", "name"} == set(
        PersonNameKey.objects.filter(person=ali).values_list("purpose", flat=True)
    )


def test_the_keys_follow_a_changed_name(documenter: User, ali: Person) -> None:
    person_update(
        person=ali,
        updated_by=documenter,
        expected_version=ali.version,
        given_name="Usman",
        full_name_ur="عثمان علی",
        aliases="",
    )
    assert _found(documenter, "Muhammad Ali") == []
    assert _found(documenter, "Osman Ali") == [ali]
    assert _found(documenter, "عثمان") == [ali]


def test_a_change_to_other_fields_leaves_the_keys_alone(documenter: User, ali: Person) -> None:
    keys = set(PersonNameKey.objects.filter(person=ali).values_list("id", flat=True))
    person_update(person=ali, updated_by=documenter, expected_version=ali.version, age=41)
    assert set(PersonNameKey.objects.filter(person=ali).values_list("id", flat=True)) == keys


def test_reindex_rebuilds_every_persons_keys(
    documenter: User, ali: Person, capsys: pytest.CaptureFixture[str]
) -> None:
    PersonNameKey.objects.all().delete()
    assert _found(documenter, "Muhammad Ali") == []
    call_command("people", "reindex", "--batch-size", "1")
    assert "1 persons" in capsys.readouterr().out
    assert _found(documenter, "Muhammad Ali") == [ali]
