"""Synthetic demo persons. Fictitious by construction: every CNIC starts 99999 and every phone
0399, ranges no real person has."""

from __future__ import annotations

import random

from madad.accounts.roles import Role
from madad.core.demo import DemoContext, scaled
from madad.people.demo_names import FAMILY, GIVEN_FEMALE, GIVEN_MALE, OCCUPATIONS
from madad.people.models import Person, Sex
from madad.people.services import people_reindex, person_create

DEMO_PERSONS = 200


def demo_person_data(rng: random.Random, n: int) -> dict[str, object]:
    female = rng.random() < 0.3
    given, given_ur = rng.choice(GIVEN_FEMALE if female else GIVEN_MALE)
    family, family_ur = rng.choice(FAMILY)
    father, _father_ur = rng.choice(GIVEN_MALE)
    return {
        "given_name": given,
        "family_name": family,
        "full_name_ur": f"{given_ur} {family_ur}",
        "father_name": f"{father} {family}",
        # a second spelling, as another source would write it
        "aliases": f"Mohd. {family}" if given == "Muhammad" and rng.random() < 0.5 else "",
        "sex": Sex.FEMALE if female else Sex.MALE,
        "age": rng.randint(8, 75),
        "cnic": f"99999{rng.randint(0, 9999999):07d}{n % 10}",
        "phone": f"0399{rng.randint(0, 9999999):07d}" if rng.random() < 0.7 else "",
        "address": f"House {rng.randint(1, 400)}, Street {rng.randint(1, 30)} (demo)",
        "occupation": rng.choice(OCCUPATIONS),
        "deceased": rng.random() < 0.25,
    }


def load(context: DemoContext) -> None:
    if Person.objects.filter(organisation=context.relief).exists():
        # persons from before name search existed get their keys; nothing else changes
        if Person.objects.filter(organisation=context.relief, name_keys__isnull=True).exists():
            context.report.append(f"name keys for {people_reindex()} persons")
        return
    documenter = context.users[Role.DOCUMENTER]
    count = scaled(context, DEMO_PERSONS)
    for n in range(count):
        person_create(
            organisation=context.relief, created_by=documenter, **demo_person_data(context.rng, n)
        )
    context.report.append(f"{count} persons")
