"""Households registered through the services, as the UI registers them."""

from __future__ import annotations

from typing import Any

from madad.accounts.models import User
from madad.households import services
from madad.households.models import Household
from madad.people.models import Person
from madad.people.services import person_create


def make_person(
    *, by: User, given_name: str = "Bilal", family_name: str = "Ahmed", **extra: Any
) -> Person:
    return person_create(
        organisation=by.organisation,
        created_by=by,
        given_name=given_name,
        family_name=family_name,
        **extra,
    )


def make_household(
    *, by: User, head: Person | None = None, address: str = "HOUSE-ADDRESS 12", **extra: Any
) -> Household:
    """A household of two: the head (a new person unless given) and a schoolchild."""
    head = head or make_person(by=by, given_name="Nadia", family_name="Khan", sex="female")
    child = make_person(by=by, given_name="Ali", family_name="Khan", age=9)
    members = extra.pop(
        "members",
        [
            {"person": head, "relation": "head"},
            {"person": child, "relation": "son", "dependant": True, "schooling": "in_school"},
        ],
    )
    return services.household_create(
        organisation=by.organisation,
        created_by=by,
        members=members,
        address=address,
        monthly_income_before="30000",
        monthly_income_after="8000",
        **extra,
    )
