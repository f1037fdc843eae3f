"""Fixtures for persons: the three people every view is asked as, and a person to find."""

from __future__ import annotations

import pytest

from madad.accounts.models import Organisation, User
from madad.people.models import Person
from madad.people.services import person_create

CNIC = "42101-1234567-1"
PHONE = "0300-1234567"
# The zero digit of scripts a number may be typed in.
FULLWIDTH, URDU, ARABIC_INDIC = 0xFF10, 0x06F0, 0x0660


def in_digits(text: str, zero: int) -> str:
    """`text` with its ASCII digits written in the script whose zero is the code point `zero`."""
    return "".join(chr(zero + int(c)) if c.isdigit() else c for c in text)


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
