"""The person pages, asked by the owner, colleagues with other roles and outsiders."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from madad.access.roles import CAPABILITIES, Capability
from madad.accounts.models import User
from madad.accounts.roles import Role
from madad.core.models import AuditEvent
from madad.people.models import Person

pytestmark = pytest.mark.django_db

SignedIn = Callable[[User], Client]
HTMX = {"HX-Request": "true"}


def _detail(person: Person) -> str:
    return f"/people/{person.pk}/"


def _edit(person: Person) -> str:
    return f"/people/{person.pk}/edit/"


def _form(person: Person, **changes: Any) -> dict[str, Any]:
    data = {
        "given_name": "Muhammad",
        "family_name": "Ali",
        "full_name_ur": "محمد علی",
        "aliases": "Ali Bhai",
        "father_name": "Ahmed Hussain",
        "sex": "male",
        "date_of_birth": "",
        "age": "40",
        "cnic": "42101-1234567-1",
        "phone": "0300-1234567",
        "address": "House 4, Street 9",
        "occupation": "tailor",
        "mother_tongue": "Urdu",
        "version": person.version,
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


# --- the list ----------------------------------------------------------------------------------
def test_the_owner_sees_the_list_with_names_and_each_read_is_audited(
    signed_in: SignedIn, documenter: User, ali: Person
) -> None:
    response = signed_in(documenter).get("/people/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="{_detail(ali)}"' in html and "Muhammad Ali" in html and "محمد علی" in html
    viewed = AuditEvent.objects.get(action="person.identity.viewed", object_id=str(ali.pk))
    assert viewed.actor_id == documenter.pk
    assert set(viewed.fields) == {"given_name", "family_name", "full_name_ur"}


def test_a_role_without_identity_capability_sees_no_names_in_the_list(
    signed_in: SignedIn, verifier: User, ali: Person, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(CAPABILITIES, Role.VERIFIER, frozenset({Capability.PERSON_VIEW}))
    html = signed_in(verifier).get("/people/").content.decode()
    assert f'href="{_detail(ali)}"' in html
    assert "Muhammad" not in html and "محمد" not in html
    assert not AuditEvent.objects.filter(action="person.identity.viewed").exists()


def test_the_list_filters_by_sex(signed_in: SignedIn, documenter: User, ali: Person) -> None:
    assert (
        f'href="{_detail(ali)}"' in signed_in(documenter).get("/people/?sex=male").content.decode()
    )
    assert (
        f'href="{_detail(ali)}"'
        not in signed_in(documenter).get("/people/?sex=female").content.decode()
    )


def test_another_organisation_does_not_see_the_person_in_its_list(
    signed_in: SignedIn, outsider: User, ali: Person
) -> None:
    response = signed_in(outsider).get("/people/")
    assert response.status_code == 200
    assert f'href="{_detail(ali)}"' not in response.content.decode()


@pytest.mark.parametrize("who", ["finance", "partner_user"])
def test_a_role_that_has_no_business_with_persons_gets_404(
    signed_in: SignedIn, who: str, request: pytest.FixtureRequest, ali: Person
) -> None:
    user = request.getfixturevalue(who)
    assert signed_in(user).get("/people/").status_code == 404


def test_somebody_signed_out_is_sent_to_sign_in(client: Client, ali: Person) -> None:
    response = client.get("/people/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- the search --------------------------------------------------------------------------------
def test_the_search_form_posts_so_that_nothing_typed_lands_in_a_url(
    signed_in: SignedIn, documenter: User
) -> None:
    html = signed_in(documenter).get("/people/").content.decode()
    assert 'method="post" action="/people/search/"' in html
    assert 'hx-post="/people/search/"' in html


def test_a_search_in_urdu_finds_a_person_recorded_in_english(
    signed_in: SignedIn, caseworker: User, ali: Person
) -> None:
    response = signed_in(caseworker).post("/people/search/", {"q": "محمد علي"}, headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="{_detail(ali)}"' in html
    assert "<html" not in html  # the fragment only


def test_a_search_without_htmx_renders_the_whole_page(
    signed_in: SignedIn, documenter: User, ali: Person
) -> None:
    response = signed_in(documenter).post("/people/search/", {"q": "Mohd Ali"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" in html and html.count(f'href="{_detail(ali)}"') == 2  # results and list


def test_a_search_by_cnic_finds_the_person(
    signed_in: SignedIn, documenter: User, ali: Person
) -> None:
    html = (
        signed_in(documenter)
        .post("/people/search/", {"q": "4210112345671"}, headers=HTMX)
        .content.decode()
    )
    assert f'href="{_detail(ali)}"' in html


def test_an_outsiders_search_does_not_find_the_person(
    signed_in: SignedIn, outsider: User, ali: Person
) -> None:
    html = (
        signed_in(outsider)
        .post("/people/search/", {"q": "Muhammad Ali"}, headers=HTMX)
        .content.decode()
    )
    assert f'href="{_detail(ali)}"' not in html and "Nobody matches." in html


def test_an_empty_search_asks_for_a_name(signed_in: SignedIn, documenter: User) -> None:
    html = signed_in(documenter).post("/people/search/", {"q": " "}, headers=HTMX).content.decode()
    assert "Type at least one name" in html


def test_a_search_by_get_is_refused(signed_in: SignedIn, documenter: User) -> None:
    assert signed_in(documenter).get("/people/search/?q=Ali").status_code == 405


def test_a_partner_cannot_search(signed_in: SignedIn, partner_user: User, ali: Person) -> None:
    assert signed_in(partner_user).post("/people/search/", {"q": "Ali"}).status_code == 404


# --- the detail page ---------------------------------------------------------------------------
def test_the_owner_reads_every_identity_field_formatted_and_the_read_is_audited(
    signed_in: SignedIn, documenter: User, ali: Person
) -> None:
    html = signed_in(documenter).get(_detail(ali)).content.decode()
    for shown in (
        "Muhammad Ali",
        "محمد علی",
        "Ali Bhai",
        "Ahmed Hussain",
        "42101-1234567-1",
        "0300-1234567",
        "House 4, Street 9",
        "Urdu",
        "tailor",
    ):
        assert shown in html
    assert f'href="{_edit(ali)}"' in html
    viewed = AuditEvent.objects.get(action="person.identity.viewed")
    assert {"cnic", "phone", "address", "mother_tongue"} <= set(viewed.fields)


def test_a_colleague_who_may_not_edit_reads_the_person_without_an_edit_link(
    signed_in: SignedIn, verifier: User, ali: Person
) -> None:
    response = signed_in(verifier).get(_detail(ali))
    assert response.status_code == 200
    assert "42101-1234567-1" in response.content.decode()
    assert f'href="{_edit(ali)}"' not in response.content.decode()


def test_another_organisation_gets_404_and_the_attempt_is_audited(
    signed_in: SignedIn, outsider: User, ali: Person
) -> None:
    assert signed_in(outsider).get(_detail(ali)).status_code == 404
    assert AuditEvent.objects.filter(
        action="access.denied", object_id=str(ali.pk), actor=outsider
    ).exists()
    assert not AuditEvent.objects.filter(action="person.identity.viewed").exists()


# --- recording a person ------------------------------------------------------------------------
def test_the_owner_records_a_person_who_can_then_be_found(
    signed_in: SignedIn, documenter: User
) -> None:
    client = signed_in(documenter)
    assert client.get("/people/new/").status_code == 200
    response = client.post(
        "/people/new/",
        {
            "given_name": "Ayesha",
            "family_name": "Khan",
            "full_name_ur": "عائشہ خان",
            "sex": "female",
            "date_of_birth": "1990-05-01",
            "cnic": "42201 7654321 2",
            "mother_tongue": "Sindhi",
            "deceased": "on",
        },
    )
    person = Person.objects.get()
    assert response.status_code == 302 and response["Location"] == _detail(person)
    assert (person.cnic, person.date_of_birth, person.deceased) == (
        "4220176543212",
        "1990-05-01",
        True,
    )
    html = client.post("/people/search/", {"q": "Aisha"}, headers=HTMX).content.decode()
    assert f'href="{_detail(person)}"' in html


def test_a_bad_cnic_is_shown_by_its_field_and_nothing_is_written(
    signed_in: SignedIn, documenter: User
) -> None:
    response = signed_in(documenter).post(
        "/people/new/", {"given_name": "Ayesha", "sex": "female", "cnic": "12345"}
    )
    assert response.status_code == 422
    assert "A CNIC has 13 digits" in response.content.decode()
    assert not Person.objects.exists()


def test_an_impossible_age_is_refused(signed_in: SignedIn, documenter: User) -> None:
    response = signed_in(documenter).post("/people/new/", {"sex": "male", "age": "200"})
    assert response.status_code == 422 and not Person.objects.exists()


@pytest.mark.parametrize("who", ["verifier", "finance", "partner_user"])
def test_a_role_that_may_not_record_persons_gets_404(
    signed_in: SignedIn, who: str, request: pytest.FixtureRequest
) -> None:
    client = signed_in(request.getfixturevalue(who))
    assert client.get("/people/new/").status_code == 404
    assert client.post("/people/new/", {"sex": "male"}).status_code == 404
    assert not Person.objects.exists()


# --- editing -----------------------------------------------------------------------------------
def test_the_edit_form_carries_the_version_and_the_current_values(
    signed_in: SignedIn, documenter: User, ali: Person
) -> None:
    html = signed_in(documenter).get(_edit(ali)).content.decode()
    assert f'name="version" value="{ali.version}"' in html
    assert 'value="42101-1234567-1"' in html


def test_a_colleague_edits_and_only_the_changed_fields_are_audited(
    signed_in: SignedIn, caseworker: User, ali: Person
) -> None:
    response = signed_in(caseworker).post(
        _edit(ali), _form(ali, phone="0321-7654321", deceased="on")
    )
    assert response.status_code == 302
    ali.refresh_from_db()
    assert (ali.phone, ali.deceased, ali.version) == ("923217654321", True, 2)
    updated = AuditEvent.objects.get(action="person.updated")
    assert updated.fields == ["deceased", "phone"] and updated.actor_id == caseworker.pk


def test_a_stale_save_is_refused_with_a_clear_message(
    signed_in: SignedIn, documenter: User, caseworker: User, ali: Person
) -> None:
    opened = _form(ali, given_name="Mohammad")
    signed_in(caseworker).post(_edit(ali), _form(ali, phone="0321-7654321"))
    response = signed_in(documenter).post(_edit(ali), opened)
    assert response.status_code == 409
    assert "Somebody else changed this record" in response.content.decode()
    ali.refresh_from_db()
    assert (ali.given_name, ali.phone, ali.version) == ("Muhammad", "923217654321", 2)


def test_a_verifier_may_not_edit(signed_in: SignedIn, verifier: User, ali: Person) -> None:
    client = signed_in(verifier)
    assert client.get(_edit(ali)).status_code == 404
    assert client.post(_edit(ali), _form(ali, given_name="X")).status_code == 404
    ali.refresh_from_db()
    assert ali.given_name == "Muhammad"


def test_another_organisation_may_not_edit(
    signed_in: SignedIn, outsider: User, ali: Person
) -> None:
    assert signed_in(outsider).post(_edit(ali), _form(ali, given_name="X")).status_code == 404
    ali.refresh_from_db()
    assert ali.version == 1
