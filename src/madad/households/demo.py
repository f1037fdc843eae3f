"""Synthetic demo households: the families of demo victims. Fictitious by construction: every
new relative is a demo person (CNIC starting 99999), addresses say "(demo)", and nothing names
a party, an ethnic or a sectarian group.

Runs after the incidents loader: each household is built around a victim of a demo incident
(the victim its head if alive, otherwise a member beside a surviving spouse as head), with
children, some of them out of school, and the acts that hit its members. Without incidents, the
households are built around demo persons.
"""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

from madad.accounts.roles import Role
from madad.core.demo import DemoContext, scaled
from madad.households.models import Household, Member
from madad.households.services import household_create
from madad.incidents.models import Act
from madad.people.demo_names import FAMILY, GIVEN_FEMALE, GIVEN_MALE, OCCUPATIONS
from madad.people.models import Person, Sex

DEMO_HOUSEHOLDS = 60
_FAMILY_UR = dict(FAMILY)


def _relative(
    rng: random.Random, n: int, *, female: bool, age: int, family: tuple[str, str]
) -> dict[str, Any]:
    given, given_ur = rng.choice(GIVEN_FEMALE if female else GIVEN_MALE)
    return {
        "given_name": given,
        "family_name": family[0],
        "full_name_ur": f"{given_ur} {family[1]}".strip(),
        "sex": Sex.FEMALE if female else Sex.MALE,
        "age": age,
        "cnic": f"99999{rng.randint(0, 9999999):07d}{n % 10}" if age >= 18 else "",
        "occupation": "student" if 5 <= age < 18 else ("" if age < 5 else rng.choice(OCCUPATIONS)),
    }


def _members(rng: random.Random, victim: Person, serial: int) -> list[dict[str, Any]]:
    family = (victim.family_name, _FAMILY_UR.get(victim.family_name, ""))
    members: list[dict[str, Any]] = []
    victim_age = victim.age or 40
    if victim_age < 18:
        # a child hit: a parent heads the household
        members.append(
            {
                "new_person": _relative(
                    rng,
                    serial,
                    female=rng.random() < 0.5,
                    age=victim_age + rng.randint(22, 35),
                    family=family,
                ),
                "relation": Member.Relation.HEAD,
            }
        )
        members.append(
            {
                "person": victim,
                "dependant": True,
                "relation": Member.Relation.DAUGHTER
                if victim.sex == Sex.FEMALE
                else Member.Relation.SON,
            }
        )
    elif victim.deceased:
        # the surviving spouse heads the household now
        members.append(
            {
                "new_person": _relative(
                    rng,
                    serial,
                    female=victim.sex != Sex.FEMALE,
                    age=max(20, victim_age - rng.randint(0, 6)),
                    family=family,
                ),
                "relation": Member.Relation.HEAD,
            }
        )
        members.append({"person": victim, "relation": Member.Relation.SPOUSE})
    else:
        members.append({"person": victim, "relation": Member.Relation.HEAD})
    for child in range(rng.choices([0, 1, 2, 3, 4], [10, 25, 30, 25, 10])[0]):
        age = rng.randint(1, 17)
        female = rng.random() < 0.5
        schooling = (
            Member.Schooling.NOT_APPLICABLE
            if age < 5
            else rng.choices(
                [Member.Schooling.IN_SCHOOL, Member.Schooling.OUT_OF_SCHOOL], [70, 30]
            )[0]
        )
        members.append(
            {
                "new_person": _relative(
                    rng, serial * 10 + child, female=female, age=age, family=family
                ),
                "relation": Member.Relation.DAUGHTER if female else Member.Relation.SON,
                "dependant": True,
                "schooling": schooling,
            }
        )
    if rng.random() < 0.25:
        members.append(
            {
                "new_person": _relative(
                    rng, serial * 10 + 9, female=True, age=rng.randint(55, 80), family=family
                ),
                "relation": Member.Relation.MOTHER,
                "dependant": True,
            }
        )
    return members


def load(context: DemoContext) -> None:
    if Household.objects.filter(organisation=context.relief).exists():
        return
    rng = context.rng
    caseworker = context.users[Role.CASEWORKER]
    count = scaled(context, DEMO_HOUSEHOLDS)
    victims = list(
        Person.objects.filter(organisation=context.relief, acts__isnull=False)
        .distinct()
        .order_by("pk")
    )
    if not victims:
        victims = list(Person.objects.filter(organisation=context.relief).order_by("pk"))
    chosen = rng.sample(victims, min(count, len(victims))) if victims else []
    for serial, victim in enumerate(chosen, start=1):
        before = Decimal(rng.randrange(15_000, 70_000, 500))
        act = Act.objects.filter(victim=victim).select_related("incident__place").first()
        household_create(
            organisation=context.relief,
            created_by=caseworker,
            members=_members(rng, victim, serial),
            link_member_acts=True,
            address=f"House {rng.randint(1, 400)}, Street {rng.randint(1, 30)} (demo)",
            # families live near where it happened, mostly
            place=act.incident.place if act is not None and rng.random() < 0.8 else None,
            monthly_income_before=before,
            monthly_income_after=(
                before * Decimal(rng.choice(["0", "0.2", "0.4", "0.6"]))
            ).quantize(Decimal("1")),
        )
    context.report.append(f"{len(chosen)} households")
