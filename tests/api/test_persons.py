"""/api/v1/persons, asked by the owner, a colleague with another role and outsiders."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from madad.accounts.models import Organisation, User
from madad.accounts.roles import Role
from madad.core.models import AuditEvent
from madad.people.models import Person
from madad.people.services import person_create
from tests.api.helpers import PERSONS_URL, assert_error_shape

pytestmark = pytest.mark.django_db

Bearer = Callable[[User], dict[str, str]]


@pytest.fixture
def person(relief_org: Organisation) -> Person:
    return person_create(
        organisation=relief_org,
        created_by=None,
        given_name="Ayesha",
        family_name="Khan",
        cnic="42101-1234567-1",
        sex="female",
        age=34,
    )


def _detail(person: Person) -> str:
    return f"{PERSONS_URL}/{person.pk}"


# --- the owner: a documenter of the organisation that recorded the person --------------------
def test_a_documenter_lists_their_organisations_persons(
    client: Client, make_user: Callable[..., User], bearer: Bearer, person: Person
) -> None:
    response = client.get(PERSONS_URL, headers=bearer(make_user(Role.DOCUMENTER)))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert body["items"] == [{"id": person.pk, "sex": "female", "age": 34, "deceased": False}]


def test_a_documenter_reads_identity_fields_and_the_read_is_audited(
    client: Client, make_user: Callable[..., User], bearer: Bearer, person: Person
) -> None:
    documenter = make_user(Role.DOCUMENTER)
    response = client.get(_detail(person), headers=bearer(documenter))
    assert response.status_code == 200
    body = response.json()
    assert body["given_name"] == "Ayesha"
    assert body["cnic"] == "42101-1234567-1"
    viewed = AuditEvent.objects.get(action="person.identity.viewed")
    assert viewed.actor_id == documenter.pk
    assert viewed.object_id == str(person.pk)
    assert {"cnic", "given_name", "family_name"} <= set(viewed.fields)


def test_listing_persons_reads_no_identity_fields(
    client: Client, make_user: Callable[..., User], bearer: Bearer, person: Person
) -> None:
    client.get(PERSONS_URL, headers=bearer(make_user(Role.DOCUMENTER)))
    assert not AuditEvent.objects.filter(action="person.identity.viewed").exists()


def test_a_documenter_records_a_person(
    client: Client, make_user: Callable[..., User], bearer: Bearer, relief_org: Organisation
) -> None:
    response = client.post(
        PERSONS_URL,
        {"given_name": "Bilal", "cnic": "4210112345671", "age": 40, "sex": "male"},
        content_type="application/json",
        headers=bearer(make_user(Role.DOCUMENTER)),
    )
    assert response.status_code == 201, response.content
    created = Person.objects.get()
    assert created.organisation == relief_org
    assert response.json()["id"] == created.pk
    assert response.json()["cnic"] == "42101-1234567-1"
    assert AuditEvent.objects.filter(action="person.created", object_id=str(created.pk)).exists()


def test_a_bad_cnic_is_a_field_error_and_writes_nothing(
    client: Client, make_user: Callable[..., User], bearer: Bearer
) -> None:
    headers = bearer(make_user(Role.DOCUMENTER))
    before = AuditEvent.objects.count()
    response = client.post(
        PERSONS_URL,
        {"given_name": "Bilal", "cnic": "12345"},
        content_type="application/json",
        headers=headers,
    )
    error = assert_error_shape(response, 422, "invalid")
    assert list(error["fields"]) == ["cnic"]
    assert not Person.objects.exists()
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"age": "forty"}, "age"),
        ({"age": 131}, "age"),
        ({"age": -1}, "age"),
        ({"sex": "sometimes"}, "sex"),
        ({"deceased": "perhaps"}, "deceased"),
        ({"given_name": 7}, "given_name"),
        ({"given_name": "x" * 201}, "given_name"),
        ({"date_of_birth": "31/12/1990"}, "date_of_birth"),
        ({"date_of_birth": "2999-01-01"}, "date_of_birth"),
        ({"phone": "call me"}, "phone"),
        ({"given_name": "nul\u0000byte"}, "given_name"),
        ({"address": "lone \ud800 surrogate"}, "address"),
    ],
)
def test_a_wrong_value_is_named_by_its_field(
    client: Client, make_user: Callable[..., User], bearer: Bearer, body: dict[str, Any], field: str
) -> None:
    response = client.post(
        PERSONS_URL,
        body,
        content_type="application/json",
        headers=bearer(make_user(Role.DOCUMENTER)),
    )
    error = assert_error_shape(response, 422, "invalid")
    assert field in error["fields"]
    assert not Person.objects.exists()


# --- a colleague with another role -----------------------------------------------------------
def test_a_finance_officer_lists_no_persons(
    client: Client, make_user: Callable[..., User], bearer: Bearer, person: Person
) -> None:
    response = client.get(PERSONS_URL, headers=bearer(make_user(Role.FINANCE)))
    assert response.status_code == 200
    assert response.json() == {"items": [], "count": 0}


def test_a_finance_officer_cannot_read_a_person(
    client: Client, make_user: Callable[..., User], bearer: Bearer, person: Person
) -> None:
    response = client.get(_detail(person), headers=bearer(make_user(Role.FINANCE)))
    assert_error_shape(response, 404, "not_found")
    assert not AuditEvent.objects.filter(action="person.identity.viewed").exists()
    assert AuditEvent.objects.filter(action="access.denied", object_id=str(person.pk)).exists()


def test_a_finance_officer_cannot_record_a_person(
    client: Client, make_user: Callable[..., User], bearer: Bearer
) -> None:
    response = client.post(
        PERSONS_URL,
        {"given_name": "Bilal"},
        content_type="application/json",
        headers=bearer(make_user(Role.FINANCE)),
    )
    assert_error_shape(response, 403, "forbidden")
    assert not Person.objects.exists()


# --- outsiders ---------------------------------------------------------------------------------
def test_another_relief_organisation_neither_lists_nor_reads_the_person(
    client: Client,
    make_user: Callable[..., User],
    bearer: Bearer,
    person: Person,
    other_relief_org: Organisation,
) -> None:
    headers = bearer(make_user(Role.DOCUMENTER, other_relief_org))
    assert client.get(PERSONS_URL, headers=headers).json()["count"] == 0
    assert_error_shape(client.get(_detail(person), headers=headers), 404, "not_found")
    assert not AuditEvent.objects.filter(action="person.identity.viewed").exists()


def test_a_partner_cannot_read_the_person(
    client: Client,
    make_user: Callable[..., User],
    bearer: Bearer,
    person: Person,
    partner_org: Organisation,
) -> None:
    headers = bearer(make_user(Role.PARTNER, partner_org))
    assert client.get(PERSONS_URL, headers=headers).json()["count"] == 0
    assert_error_shape(client.get(_detail(person), headers=headers), 404, "not_found")


def test_a_person_that_does_not_exist_answers_as_one_of_another_organisation(
    client: Client, make_user: Callable[..., User], bearer: Bearer, person: Person
) -> None:
    headers = bearer(make_user(Role.DOCUMENTER))
    missing = client.get(f"{PERSONS_URL}/{person.pk + 1000}", headers=headers)
    assert_error_shape(missing, 404, "not_found")


@pytest.mark.parametrize("path", ["abc", "99999999999999999999999999", "-1", "1.5"])
def test_a_person_id_that_is_no_id_is_not_found(
    client: Client, make_user: Callable[..., User], bearer: Bearer, path: str
) -> None:
    response = client.get(f"{PERSONS_URL}/{path}", headers=bearer(make_user(Role.DOCUMENTER)))
    assert_error_shape(response, 404, "not_found")


def test_nobody_without_a_token_lists_persons(client: Client, person: Person) -> None:
    assert_error_shape(client.get(PERSONS_URL), 401, "unauthenticated")
    assert_error_shape(client.get(_detail(person)), 401, "unauthenticated")


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("offset=99999999999999999999", "offset"),
        ("limit=99999999999999999999", "limit"),
        ("offset=-1", "offset"),
        ("limit=0", "limit"),
        ("limit=501", "limit"),
        ("limit=ten", "limit"),
    ],
)
def test_a_page_out_of_bounds_is_a_field_error(
    client: Client, make_user: Callable[..., User], bearer: Bearer, query: str, field: str
) -> None:
    response = client.get(f"{PERSONS_URL}?{query}", headers=bearer(make_user(Role.DOCUMENTER)))
    error = assert_error_shape(response, 422, "invalid")
    assert list(error["fields"]) == [field]


def test_a_page_is_bounded_by_limit_and_offset(
    client: Client, make_user: Callable[..., User], bearer: Bearer, relief_org: Organisation
) -> None:
    for n in range(3):
        person_create(organisation=relief_org, created_by=None, given_name=f"P{n}")
    response = client.get(
        f"{PERSONS_URL}?limit=2&offset=2", headers=bearer(make_user(Role.DOCUMENTER))
    )
    assert response.json()["count"] == 3
    assert len(response.json()["items"]) == 1
