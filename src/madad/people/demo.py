"""Synthetic demo persons. Fictitious by construction: every CNIC starts 99999 and every phone
0399, ranges no real person has."""

from __future__ import annotations

import random

from madad.accounts.models import Organisation, User
from madad.people.demo_names import FAMILY, GIVEN_FEMALE, GIVEN_MALE, OCCUPATIONS
from madad.people.models import Person, Sex
from madad.people.services import person_create


def load_persons(*, organisation: Organisation, created_by: User | None, count: int = 200,
                 seed: int = 7) -> int:
    if Person.objects.filter(organisation=organisation).exists():
        return 0
    rng = random.Random(seed)
    for n in range(count):
        female = rng.random() < 0.3
        given, given_ur = rng.choice(GIVEN_FEMALE if female else GIVEN_MALE)
        family, family_ur = rng.choice(FAMILY)
        father, father_ur = rng.choice(GIVEN_MALE)
        age = rng.randint(8, 75)
        person_create(
            organisation=organisation,
            created_by=created_by,
            given_name=given,
            family_name=family,
            full_name_ur=f"{given_ur} {family_ur}",
            father_name=f"{father} {family}",
            sex=Sex.FEMALE if female else Sex.MALE,
            age=age,
            cnic=f"99999{rng.randint(0, 9999999):07d}{n % 10}",
            phone=f"0399{rng.randint(0, 9999999):07d}" if rng.random() < 0.7 else "",
            address=f"House {rng.randint(1, 400)}, Street {rng.randint(1, 30)} (demo)",
            occupation=rng.choice(OCCUPATIONS),
            deceased=rng.random() < 0.25,
        )
    return count
