"""Fixtures for persons: the three people every view is asked as, and a person to find."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from madad.accounts.models import Organisation, User
from madad.accounts.roles import Role
from madad.people.models import Person
from madad.people.services import person_create
from tests.api.conftest import bearer  # noqa: F401 -- bearer tokens as a client gets them

CNIC = "42101-1234567-1"
PHONE = "0300-1234567"


@pytest.fixture
def outsider(make_user: Callable[..., User], other_relief_org: Organisation) -> User:
    """A documenter of another relief organisation."""
    return make_user(Role.DOCUMENTER, organisation=other_relief_org)


@pytest.fixture
def partner(make_user: Callable[..., User], partner_org: Organisation) -> User:
    return make_user(Role.PARTNER, organisation=partner_org)


@pytest.fixture
def ali(relief_org: Organisation, documenter: User) -> Person:
    return person_create(
        organisation=relief_org,
        created_by=documenter,
        given_name="Muhammad",
        family_name="Ali",
        full_name_ur="محمد علی",
        father_name="Ahmed Hussain",
        aliases="Ali Bhai",
        cnic=CNIC,
        phone=PHONE,
        sex="male",
        age=40,
        address="House 4, Street 9",
        mother_tongue="Urdu",
        occupation="tailor",
    )
