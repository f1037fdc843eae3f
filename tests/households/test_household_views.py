"""The household pages, asked by the caseworker who registered the household (the owner), a
colleague with another role, another caseworker, a coordinator and an outsider."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from madad.accounts.models import User
from madad.accounts.roles import Role
from madad.core.models import AuditEvent
from madad.households.models import Household, Member
from madad.people.models import Person
from tests.cases.factories import open_case
from tests.households.factories import make_household, make_person

pytestmark = pytest.mark.django_db
SignedIn = Callable[[User], Client]


def _member_rows(**rows: dict[str, str]) -> dict[str, str]:
    data = {"members-TOTAL_FORMS": str(len(rows)), "members-INITIAL_FORMS": "0"}
    for index, row in rows.items():
        for key, value in row.items():
            data[f"members-{index}-{key}"] = value
    return data


@pytest.fixture
def household(caseworker: User) -> Household:
    return make_household(by=caseworker)


# --- the owner --------------------------------------------------------------------------------
def test_a_caseworker_registers_a_household_with_a_known_and_a_new_person(
    caseworker: User, signed_in: SignedIn
) -> None:
    widow = make_person(by=caseworker, given_name="Rukhsana", family_name="Bibi", sex="female")
    response = signed_in(caseworker).post(
        "/households/new/",
        {
            **_member_rows(
                **{
                    "0": {
                        "person_id": str(widow.pk),
                        "relation": "head",
                        "sex": "unknown",
                        "schooling": "n/a",
                    },
                    "1": {
                        "given_name": "Zainab",
                        "family_name": "Bibi",
                        "sex": "female",
                        "age": "11",
                        "relation": "daughter",
                        "dependant": "on",
                        "schooling": "out_of_school",
                    },
                }
            ),
            "address": "Flat 4, Block C (FORM-ADDRESS)",
            "monthly_income_before": "25000",
            "monthly_income_after": "0",
            "link_member_acts": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    household = Household.objects.get()
    assert response["Location"] == f"/households/{household.pk}/"
    assert household.head == widow
    assert household.address == "Flat 4, Block C (FORM-ADDRESS)"
    daughter = Member.objects.get(household=household, relation="daughter")
    assert daughter.person.given_name == "Zainab" and daughter.dependant
    assert daughter.schooling == "out_of_school"


def test_the_form_says_what_is_wrong_and_registers_nothing(
    caseworker: User, signed_in: SignedIn
) -> None:
    response = signed_in(caseworker).post(
        "/households/new/",
        {
            **_member_rows(
                **{
                    "0": {
                        "given_name": "A",
                        "relation": "head",
                        "sex": "unknown",
                        "schooling": "n/a",
                    },
                    "1": {
                        "given_name": "B",
                        "relation": "head",
                        "sex": "unknown",
                        "schooling": "n/a",
                    },
                    "2": {
                        "person_id": "999999",
                        "relation": "son",
                        "sex": "unknown",
                        "schooling": "n/a",
                    },
                }
            ),
            "monthly_income_before": "-5",
        },
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "No person with this record number." in html
    assert "Ensure this value is greater than or equal to 0." in html
    assert not Household.objects.exists() and not Person.objects.exists()


def test_two_heads_are_refused_by_the_service_on_the_right_row(
    caseworker: User, signed_in: SignedIn
) -> None:
    response = signed_in(caseworker).post(
        "/households/new/",
        _member_rows(
            **{
                "0": {"given_name": "A", "relation": "head", "sex": "unknown", "schooling": "n/a"},
                "1": {"given_name": "B", "relation": "head", "sex": "unknown", "schooling": "n/a"},
            }
        ),
    )
    assert response.status_code == 422
    assert "A household has one head; choose another relation." in response.content.decode()
    assert not Household.objects.exists()


def test_a_household_needs_a_member(caseworker: User, signed_in: SignedIn) -> None:
    response = signed_in(caseworker).post(
        "/households/new/", {**_member_rows(), "address": "somewhere"}
    )
    assert response.status_code == 422
    assert "Add at least one member of the household." in response.content.decode()


def test_adding_a_row_keeps_what_was_typed_and_registers_nothing(
    caseworker: User, signed_in: SignedIn
) -> None:
    response = signed_in(caseworker).post(
        "/households/new/",
        {
            **_member_rows(
                **{
                    "0": {
                        "given_name": "Kept",
                        "relation": "head",
                        "sex": "unknown",
                        "schooling": "n/a",
                    }
                }
            ),
            "add_row": "members",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Kept"' in html and "members-1-given_name" in html
    assert not Household.objects.exists()


def test_the_owner_sees_the_household_with_the_address_read_audited(
    caseworker: User, household: Household, signed_in: SignedIn
) -> None:
    response = signed_in(caseworker).get(f"/households/{household.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "HOUSE-ADDRESS 12" in html and "Nadia" in html and "In school" in html
    assert AuditEvent.objects.filter(
        action="household.address.viewed", actor=caseworker, object_id=str(household.pk)
    ).exists()


def test_the_owner_edits_the_household_and_a_stale_edit_is_refused(
    caseworker: User, household: Household, signed_in: SignedIn
) -> None:
    client = signed_in(caseworker)
    assert "HOUSE-ADDRESS 12" in client.get(f"/households/{household.pk}/edit/").content.decode()
    body = {
        "version": household.version,
        "address": "New address",
        "place": "",
        "monthly_income_before": "30000",
        "monthly_income_after": "12000",
    }
    assert client.post(f"/households/{household.pk}/edit/", body).status_code == 302
    household.refresh_from_db()
    assert household.address == "New address" and str(household.monthly_income_after) == "12000.00"
    response = client.post(f"/households/{household.pk}/edit/", {**body, "address": "Old"})
    assert response.status_code == 409
    assert "Somebody else changed this household" in response.content.decode()


def test_the_owner_adds_changes_and_removes_a_member(
    caseworker: User, household: Household, signed_in: SignedIn
) -> None:
    client = signed_in(caseworker)
    response = client.post(
        f"/households/{household.pk}/members/",
        {
            "given_name": "Hamid",
            "family_name": "Khan",
            "sex": "male",
            "age": "70",
            "relation": "father",
            "schooling": "n/a",
        },
    )
    assert response.status_code == 302
    father = Member.objects.get(household=household, relation="father")
    response = client.post(
        f"/households/{household.pk}/members/{father.pk}/",
        {"relation": "other", "schooling": "n/a", "dependant": "on"},
    )
    assert response.status_code == 302
    father.refresh_from_db()
    assert father.relation == "other" and father.dependant
    client.post(f"/households/{household.pk}/members/{father.pk}/remove/")
    assert not Member.objects.filter(pk=father.pk).exists()
    assert Person.objects.filter(pk=father.person_id).exists()


def test_a_second_head_cannot_be_added(
    caseworker: User, household: Household, signed_in: SignedIn
) -> None:
    response = signed_in(caseworker).post(
        f"/households/{household.pk}/members/",
        {"given_name": "Second", "relation": "head", "sex": "unknown", "schooling": "n/a"},
    )
    assert response.status_code == 422
    assert "already has a head" in response.content.decode()
    assert household.members.count() == 2


def test_the_list_shows_the_owners_households(
    caseworker: User, household: Household, signed_in: SignedIn
) -> None:
    response = signed_in(caseworker).get("/households/")
    assert response.status_code == 200
    assert f"/households/{household.pk}/" in response.content.decode()


# --- colleagues ---------------------------------------------------------------------------------
def test_a_documenter_has_no_household_pages(
    documenter: User, household: Household, signed_in: SignedIn
) -> None:
    client = signed_in(documenter)
    assert client.get("/households/").status_code == 404
    assert client.get(f"/households/{household.pk}/").status_code == 404
    assert client.get("/households/new/").status_code == 404


def test_another_caseworker_gets_404_until_a_case_makes_it_theirs(
    other_caseworker: User, household: Household, signed_in: SignedIn
) -> None:
    client = signed_in(other_caseworker)
    assert client.get(f"/households/{household.pk}/").status_code == 404
    assert f"/households/{household.pk}/" not in client.get("/households/").content.decode()
    assert AuditEvent.objects.filter(action="access.denied", actor=other_caseworker).exists()
    open_case(caseworker=other_caseworker, household=household)
    assert client.get(f"/households/{household.pk}/").status_code == 200


def test_a_coordinator_sees_and_edits_every_household(
    coordinator: User, household: Household, signed_in: SignedIn
) -> None:
    client = signed_in(coordinator)
    assert client.get(f"/households/{household.pk}/").status_code == 200
    assert client.get(f"/households/{household.pk}/edit/").status_code == 200


# --- outsiders ----------------------------------------------------------------------------------
@pytest.mark.parametrize("suffix", ["", "edit/"])
def test_an_outsider_gets_404(
    outsider: User, household: Household, signed_in: SignedIn, suffix: str
) -> None:
    response = signed_in(outsider).get(f"/households/{household.pk}/{suffix}")
    assert response.status_code == 404


def test_an_outsider_cannot_add_a_member(
    outsider: User, household: Household, signed_in: SignedIn
) -> None:
    response = signed_in(outsider).post(
        f"/households/{household.pk}/members/",
        {"given_name": "X", "relation": "son", "sex": "unknown", "schooling": "n/a"},
    )
    assert response.status_code == 404
    assert household.members.count() == 2


def test_a_partner_has_no_household_pages(
    partner_user: User, household: Household, signed_in: SignedIn
) -> None:
    client = signed_in(partner_user)
    assert client.get("/households/").status_code == 404
    assert client.get(f"/households/{household.pk}/").status_code == 404


def test_a_role_that_may_not_read_the_address_neither_sees_nor_erases_it(
    caseworker: User, household: Household, signed_in: SignedIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    from madad.access import roles

    monkeypatch.setitem(
        roles.CAPABILITIES,
        Role.CASEWORKER,
        roles.CAPABILITIES[Role.CASEWORKER] - {roles.Capability.PERSON_IDENTITY_VIEW},
    )
    client = signed_in(caseworker)
    assert "HOUSE-ADDRESS" not in client.get(f"/households/{household.pk}/").content.decode()
    page = client.get(f"/households/{household.pk}/edit/").content.decode()
    assert "HOUSE-ADDRESS" not in page and 'name="address"' not in page
    response = client.post(
        f"/households/{household.pk}/edit/",
        {
            "version": household.version,
            "place": "",
            "monthly_income_before": "1",
            "monthly_income_after": "1",
            "address": "",
        },
    )
    assert response.status_code == 302
    household.refresh_from_db()
    assert household.address == "HOUSE-ADDRESS 12"
    assert not AuditEvent.objects.filter(action="household.address.viewed").exists()
