"""Fixtures for the security core: persons with known identity values, and raw database rows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, models

from madad.accounts.models import Organisation
from madad.people.models import Person
from madad.people.services import person_create

# Identity values that must never appear in plain text at rest, in the audit trail or in logs.
IDENTITY = {
    "given_name": "Farhan",
    "family_name": "Qureshi",
    "full_name_ur": "فرحان قریشی",
    "father_name": "Saleem Qureshi",
    "aliases": "Farru",
    "date_of_birth": "1985-03-14",
    "cnic": "42101-1234567-1",
    "phone": "0300-7654321",
    "address": "House 12, Street 4, Lyari Town",
    "mother_tongue": "Balochi",
}
# Each plaintext in every form it could be stored or shown in.
PLAINTEXTS = [
    "Farhan",
    "Qureshi",
    "فرحان",
    "قریشی",
    "Saleem",
    "Farru",
    "1985-03-14",
    "4210112345671",
    "42101-1234567-1",
    "3007654321",
    "0300-7654321",
    "Street 4",
    "Lyari",
    "Balochi",
]


@pytest.fixture
def make_person(relief_org: Organisation) -> Callable[..., Person]:
    """A person created through the service, with IDENTITY unless told otherwise."""

    def make(
        organisation: Organisation | None = None, created_by: Any = None, **values: Any
    ) -> Person:
        data = {**IDENTITY, "sex": "male", "age": 40, "occupation": "Shopkeeper", **values}
        return person_create(organisation=organisation or relief_org, created_by=created_by, **data)

    return make


def raw_row(model: type[models.Model], pk: Any) -> dict[str, Any]:
    """The row as the database holds it, read past the ORM (no decryption)."""
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE id = %s", [pk])  # noqa: S608
        names = [column[0] for column in cursor.description]
        row = cursor.fetchone()
    assert row is not None, f"no {model._meta.label} row {pk}"
    return dict(zip(names, row, strict=True))


def raw_rows_text(table: str) -> str:
    """Every value of every row of a table, as one text to search."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
        return "\n".join(" | ".join(str(value) for value in row) for row in cursor.fetchall())
