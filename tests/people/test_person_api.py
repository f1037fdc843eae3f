"""/api/v1/persons: filters, name search by POST, and changes that refuse a stale version."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from madad.accounts.models import Organisation, User
from madad.core.models import AuditEvent
from madad.people.models import Person
from madad.people.services import person_create
from tests.api.helpers import PERSONS_URL, assert_error_shape
from tests.people.conftest import FULLWIDTH, URDU, in_digits

pytestmark = pytest.mark.django_db

Bearer = Callable[[User], dict[str, str]]
SEARCH_URL = f"{PERSONS_URL}/search"


def _url(person: Person) -> str:
    return f"{PERSONS_URL}/{person.pk}"


@pytest.fixture
def fatima(relief_org: Organisation, documenter: User) -> Person:
    return person_create(
        organisation=relief_org,
        created_by=documenter,
        given_name="Fatima",
        family_name="Bibi",
        sex="female",
        age=70,
        deceased=True,
    )


def _ids(response: Any) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


@pytest.mark.parametrize(
    ("query", "who"),
    [
        ("sex=male", "ali"),
        ("sex=female", "fatima"),
        ("deceased=true", "fatima"),
        ("deceased=false", "ali"),
        ("age_min=50", "fatima"),
        ("age_max=50", "ali"),
        ("age_min=30&age_max=45&sex=male", "ali"),
    ],
)
def test_the_list_filters(
    client: Client,
    bearer: Bearer,
    documenter: User,
    ali: Person,
    fatima: Person,
    query: str,
    who: str,
) -> None:
    expected = {"ali": ali, "fatima": fatima}[who]
    assert _ids(client.get(f"{PERSONS_URL}?{query}", headers=bearer(documenter))) == [expected.pk]


def test_a_bad_filter_is_a_field_error(client: Client, bearer: Bearer, documenter: User) -> None:
    response = client.get(f"{PERSONS_URL}?age_min=-3", headers=bearer(documenter))
    assert "age_min" in assert_error_shape(response, 422, "invalid")["fields"]


def test_a_search_in_urdu_finds_the_person_recorded_in_english(
    client: Client, bearer: Bearer, caseworker: User, ali: Person, fatima: Person
) -> None:
    response = client.post(
        SEARCH_URL, {"q": "محمد علي"}, content_type="application/json", headers=bearer(caseworker)
    )
    assert _ids(response) == [ali.pk]
    assert response.json()["items"][0] == {
        "id": ali.pk,
        "sex": "male",
        "age": 40,
        "deceased": False,
    }


def test_a_search_by_phone_finds_the_person(
    client: Client, bearer: Bearer, documenter: User, ali: Person
) -> None:
    response = client.post(
        SEARCH_URL,
        {"q": "+92 300 1234567"},
        content_type="application/json",
        headers=bearer(documenter),
    )
    assert _ids(response) == [ali.pk]


def test_an_outsiders_search_finds_nobody(
    client: Client, bearer: Bearer, outsider: User, ali: Person
) -> None:
    response = client.post(
        SEARCH_URL, {"q": "Muhammad Ali"}, content_type="application/json", headers=bearer(outsider)
    )
    assert _ids(response) == []


def test_an_empty_search_is_a_field_error(client: Client, bearer: Bearer, documenter: User) -> None:
    response = client.post(
        SEARCH_URL, {"q": "Mr."}, content_type="application/json", headers=bearer(documenter)
    )
    assert list(assert_error_shape(response, 422, "invalid")["fields"]) == ["q"]


# --- PATCH -------------------------------------------------------------------------------------
def test_a_change_with_the_current_version_is_saved_and_searchable(
    client: Client, bearer: Bearer, caseworker: User, ali: Person
) -> None:
    headers = bearer(caseworker)
    response = client.patch(
        _url(ali),
        {"version": 1, "given_name": "Usman", "age": None},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["given_name"], body["age"], body["version"]) == ("Usman", None, 2)
    assert body["cnic"] == "42101-1234567-1"  # untouched
    found = client.post(
        SEARCH_URL, {"q": "Osman Ali"}, content_type="application/json", headers=headers
    )
    assert _ids(found) == [ali.pk]
    assert AuditEvent.objects.get(action="person.updated").fields == ["age", "given_name"]


def test_a_stale_change_is_refused_with_409_and_nothing_is_written(
    client: Client, bearer: Bearer, documenter: User, caseworker: User, ali: Person
) -> None:
    first = client.patch(
        _url(ali),
        {"version": 1, "phone": "0321-7654321"},
        content_type="application/json",
        headers=bearer(caseworker),
    )
    assert first.status_code == 200
    second = client.patch(
        _url(ali),
        {"version": 1, "given_name": "Mohammad"},
        content_type="application/json",
        headers=bearer(documenter),
    )
    assert (
        "Somebody else changed this record" in assert_error_shape(second, 409, "stale")["message"]
    )
    ali.refresh_from_db()
    assert (ali.given_name, ali.version) == ("Muhammad", 2)


def test_a_change_without_a_version_is_a_field_error(
    client: Client, bearer: Bearer, documenter: User, ali: Person
) -> None:
    response = client.patch(
        _url(ali), {"given_name": "X"}, content_type="application/json", headers=bearer(documenter)
    )
    assert "version" in assert_error_shape(response, 422, "invalid")["fields"]


def test_a_bad_value_is_a_field_error_and_nothing_changes(
    client: Client, bearer: Bearer, documenter: User, ali: Person
) -> None:
    response = client.patch(
        _url(ali),
        {"version": 1, "cnic": "123", "given_name": "X"},
        content_type="application/json",
        headers=bearer(documenter),
    )
    assert list(assert_error_shape(response, 422, "invalid")["fields"]) == ["cnic"]
    ali.refresh_from_db()
    assert (ali.given_name, ali.version) == ("Muhammad", 1)


def test_a_colleague_who_may_not_edit_gets_403(
    client: Client, bearer: Bearer, verifier: User, ali: Person
) -> None:
    response = client.patch(
        _url(ali),
        {"version": 1, "given_name": "X"},
        content_type="application/json",
        headers=bearer(verifier),
    )
    assert_error_shape(response, 403, "forbidden")
    ali.refresh_from_db()
    assert ali.version == 1


@pytest.mark.parametrize("who", ["outsider", "partner_user"])
def test_an_outsider_gets_404(
    client: Client, bearer: Bearer, ali: Person, who: str, request: pytest.FixtureRequest
) -> None:
    response = client.patch(
        _url(ali),
        {"version": 1, "given_name": "X"},
        content_type="application/json",
        headers=bearer(request.getfixturevalue(who)),
    )
    assert_error_shape(response, 404, "not_found")
    ali.refresh_from_db()
    assert ali.version == 1


# --- Issue 18 (9): digits of any script, and bodies that are not a JSON object ---------------


def test_a_cnic_and_phone_typed_in_other_digits_are_stored_in_ascii_digits(
    client: Client, bearer: Bearer, documenter: User
) -> None:
    response = client.post(
        PERSONS_URL,
        {
            "given_name": "Hina",
            "cnic": in_digits("42101-7654321-1", FULLWIDTH),
            "phone": in_digits("0321-7654321", URDU),
        },
        content_type="application/json",
        headers=bearer(documenter),
    )
    assert response.status_code == 201, response.content
    assert (response.json()["cnic"], response.json()["phone"]) == (
        "42101-7654321-1",
        "0321-7654321",
    )
    person = Person.objects.get()
    assert (person.cnic, person.phone) == ("4210176543211", "923217654321")
    # and the blind index finds it by the number typed in ASCII digits
    found = client.post(
        SEARCH_URL,
        {"q": "42101-7654321-1"},
        content_type="application/json",
        headers=bearer(documenter),
    )
    assert _ids(found) == [person.pk]


@pytest.mark.parametrize("body", ["null", "[]", '"text"', "7"])
def test_a_body_that_is_not_a_json_object_is_refused_and_creates_nobody(
    client: Client, bearer: Bearer, documenter: User, body: str
) -> None:
    response = client.post(
        PERSONS_URL, body, content_type="application/json", headers=bearer(documenter)
    )
    assert_error_shape(response, 422, "invalid")
    assert not Person.objects.exists()
    assert not AuditEvent.objects.filter(action="person.created").exists()
