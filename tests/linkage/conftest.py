"""Fixtures for record linkage: the reviewer (owner), a colleague whose role does not review,
an outsider from another organisation, and two records of one man."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from madad.accounts.models import Organisation, User
from madad.accounts.roles import Role
from madad.linkage.models import PersonPair
from madad.people.models import Person
from madad.people.services import person_create
from tests.incidents.factories import Gazetteer, gazetteer


@pytest.fixture
def outsider(make_user: Callable[..., User], other_relief_org: Organisation) -> User:
    """A documenter of another relief organisation."""
    return make_user(Role.DOCUMENTER, organisation=other_relief_org)


@pytest.fixture
def places(db: None) -> Gazetteer:
    return gazetteer()


def make_person(organisation: Organisation, by: User | None, **fields: Any) -> Person:
    return person_create(organisation=organisation, created_by=by, **fields)


@pytest.fixture
def ali_roman(relief_org: Organisation, documenter: User) -> Person:
    """Muhammad Ali as a police FIR writes him: romanised, with his CNIC."""
    return make_person(
        relief_org,
        documenter,
        given_name="Mohd. Ali",
        family_name="Khan",
        father_name="Muhammad Aslam Khan",
        sex="male",
        age=40,
        cnic="42101-1234567-1",
        phone="0300-1234567",
    )


@pytest.fixture
def ali_urdu(relief_org: Organisation, documenter: User) -> Person:
    """The same man as his family told it: in Urdu script, one CNIC digit mistyped."""
    return make_person(
        relief_org,
        documenter,
        full_name_ur="محمد علی خان",
        father_name="محمد اسلم",
        sex="male",
        date_of_birth="1985-05-01",
        cnic="42101-1234557-1",
    )


@pytest.fixture
def pair(relief_org: Organisation, ali_roman: Person, ali_urdu: Person) -> PersonPair:
    a, b = sorted((ali_roman.pk, ali_urdu.pk))
    return PersonPair.objects.create(
        organisation=relief_org,
        person_a_id=a,
        person_b_id=b,
        probability=0.97,
        weight=9.0,
        evidence={
            "levels": {
                "name": 5,
                "father_name": 4,
                "cnic": 2,
                "birth": 4,
                "sex": 2,
                "place": 0,
                "phone": 0,
                "household": 0,
            },
            "weights": {
                "name": 8.0,
                "father_name": 5.0,
                "cnic": 11.0,
                "birth": 5.0,
                "sex": 1.0,
                "place": 0.0,
                "phone": 0.0,
                "household": 0.0,
            },
        },
    )
