"""person_create and person_update: what they guarantee."""

from __future__ import annotations

import pytest

from madad.accounts.models import Organisation, User
from madad.core.models import AuditEvent
from madad.core.refusals import Invalid, Stale
from madad.people.models import Person, PersonNameKey
from madad.people.services import person_create, person_find_by_cnic, person_update
from tests.people.conftest import ARABIC_INDIC, FULLWIDTH, URDU, in_digits

pytestmark = pytest.mark.django_db


def test_a_person_is_created_with_name_keys(relief_org: Organisation, documenter: User) -> None:
    person = person_create(
        organisation=relief_org, created_by=documenter, given_name="Bilal", father_name="Kamran"
    )
    # "Bilal" (one token) and "Kamran" (one token, the father's own purpose)
    assert PersonNameKey.objects.filter(person=person).count() == 2


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("given_name", "nul\x00byte"),
        ("address", "lone \ud800 surrogate"),
        ("given_name", "x" * 201),
        ("aliases", 7),
        ("date_of_birth", "1850-01-01"),
        ("date_of_birth", 19900101),
        ("age", True),
        ("age", "40"),
        ("sex", "sometimes"),
    ],
)
def test_a_value_that_cannot_be_stored_is_refused_by_its_field(
    relief_org: Organisation, documenter: User, field: str, value: object
) -> None:
    with pytest.raises(Invalid) as refused:
        person_create(organisation=relief_org, created_by=documenter, **{field: value})
    assert list(refused.value.fields) == [field]
    assert not Person.objects.exists() and not AuditEvent.objects.exists()


def test_an_unknown_field_is_a_programming_error(
    relief_org: Organisation, documenter: User
) -> None:
    with pytest.raises(TypeError, match="nickname"):
        person_create(organisation=relief_org, created_by=documenter, nickname="Bunty")


def test_saving_the_same_values_changes_nothing(documenter: User, ali: Person) -> None:
    person_update(
        person=ali,
        updated_by=documenter,
        expected_version=1,
        given_name="Muhammad",
        cnic="4210112345671",
        age=40,
    )
    ali.refresh_from_db()
    assert ali.version == 1
    assert not AuditEvent.objects.filter(action="person.updated").exists()


def test_a_stale_update_writes_nothing(documenter: User, caseworker: User, ali: Person) -> None:
    person_update(person=ali, updated_by=caseworker, expected_version=1, age=41)
    with pytest.raises(Stale):
        person_update(
            person=ali, updated_by=documenter, expected_version=1, age=50, given_name="Changed"
        )
    ali.refresh_from_db()
    assert (ali.age, ali.given_name, ali.version) == (41, "Muhammad", 2)
    assert AuditEvent.objects.filter(action="person.updated").count() == 1


def test_a_new_cnic_gets_a_new_blind_index(documenter: User, ali: Person) -> None:
    before = ali.cnic_index
    person_update(person=ali, updated_by=documenter, expected_version=1, cnic="42101-7654321-1")
    ali.refresh_from_db()
    assert ali.cnic == "4210176543211" and ali.cnic_index not in ("", before)


@pytest.mark.parametrize("zero", [FULLWIDTH, URDU, ARABIC_INDIC])
def test_numbers_typed_in_other_digits_are_stored_and_indexed_in_ascii_digits(
    relief_org: Organisation, documenter: User, zero: int
) -> None:
    person = person_create(
        organisation=relief_org,
        created_by=documenter,
        cnic=in_digits("42101-7654321-1", zero),
        phone=in_digits("0321-7654321", zero),
    )
    person.refresh_from_db()
    assert (person.cnic, person.phone) == ("4210176543211", "923217654321")
    assert person_find_by_cnic(organisation=relief_org, cnic="42101-7654321-1") == person
