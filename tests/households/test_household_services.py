"""Registering households and changing their members, through the services."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import IntegrityError, transaction

from madad.accounts.models import Organisation, User
from madad.accounts.roles import Role
from madad.core.models import AuditEvent
from madad.core.refusals import Invalid, Stale
from madad.households import services
from madad.households.models import Household, Member
from madad.people.models import Person
from tests.households.factories import make_household, make_person
from tests.incidents.factories import Gazetteer, gazetteer, record_incident

pytestmark = pytest.mark.django_db


def _errors(excinfo: pytest.ExceptionInfo[Invalid]) -> dict[str, list[str]]:
    return excinfo.value.fields


def test_a_household_is_registered_with_its_head_and_members(caseworker: User) -> None:
    household = make_household(by=caseworker)
    assert household.head is not None and household.head.given_name == "Nadia"
    child = household.members.get(relation="son")
    assert (child.dependant, child.schooling) == (True, "in_school")
    assert str(household.monthly_income_before) == "30000.00"
    event = AuditEvent.objects.get(action="household.created")
    assert "address" in event.fields and "HOUSE-ADDRESS" not in " ".join(event.fields)


def test_the_address_is_encrypted_at_rest(caseworker: User) -> None:
    household = make_household(by=caseworker)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT address FROM households_household WHERE id = %s", [household.pk])
        stored = cursor.fetchone()[0]
    assert "HOUSE-ADDRESS" not in stored


def test_every_problem_is_reported_at_once_and_nothing_is_written(
    caseworker: User, make_user: Callable[..., User], other_relief_org: Organisation
) -> None:
    foreigner = make_person(by=make_user(Role.CASEWORKER, organisation=other_relief_org))
    persons = Person.objects.count()
    with pytest.raises(Invalid) as error:
        services.household_create(
            organisation=caseworker.organisation,
            created_by=caseworker,
            monthly_income_before="-1",
            monthly_income_after="12.345",
            members=[
                {"new_person": {"given_name": "A"}, "relation": "head"},
                {"new_person": {"given_name": "B"}, "relation": "head"},
                {"person": foreigner, "relation": "son"},
                {"new_person": {"given_name": ""}, "relation": "cousin"},
            ],
        )
    assert set(_errors(error)) == {
        "monthly_income_before",
        "monthly_income_after",
        "members.1.relation",
        "members.2.person",
        "members.3.given_name",
        "members.3.relation",
    }
    assert not Household.objects.exists() and Person.objects.count() == persons


def test_a_new_members_bad_person_data_is_reported_on_the_row(caseworker: User) -> None:
    with pytest.raises(Invalid) as error:
        services.household_create(
            organisation=caseworker.organisation,
            created_by=caseworker,
            members=[{"new_person": {"given_name": "A", "cnic": "12"}, "relation": "head"}],
        )
    assert "members.0.cnic" in _errors(error)
    assert not Household.objects.exists() and not Person.objects.exists()


def test_a_person_is_a_member_once(caseworker: User) -> None:
    person = make_person(by=caseworker)
    with pytest.raises(Invalid) as error:
        services.household_create(
            organisation=caseworker.organisation,
            created_by=caseworker,
            members=[{"person": person, "relation": "head"}, {"person": person, "relation": "son"}],
        )
    assert "members.1.person" in _errors(error)
    household = make_household(by=caseworker, head=person)
    with pytest.raises(Invalid) as error:
        services.member_add(
            household=household, added_by=caseworker, person=person, relation="other"
        )
    assert "already a member" in _errors(error)["person"][0]


def test_the_database_keeps_one_head_per_household(caseworker: User) -> None:
    household = make_household(by=caseworker)
    with pytest.raises(IntegrityError), transaction.atomic():
        Member.objects.create(
            household=household, person=make_person(by=caseworker), relation="head"
        )


def test_changing_who_is_head_moves_the_head(caseworker: User) -> None:
    household = make_household(by=caseworker)
    head = household.members.get(relation="head")
    son = household.members.get(relation="son")
    with pytest.raises(Invalid) as error:
        services.member_update(member=son, updated_by=caseworker, relation="head")
    assert "already has a head" in _errors(error)["relation"][0]
    services.member_update(member=head, updated_by=caseworker, relation="mother")
    services.member_update(member=son, updated_by=caseworker, relation="head")
    household.refresh_from_db()
    assert household.head == son.person
    services.member_remove(member=son, removed_by=caseworker)
    household.refresh_from_db()
    assert household.head is None


def test_acts_link_only_within_the_organisation(
    caseworker: User,
    documenter: User,
    make_user: Callable[..., User],
    other_relief_org: Organisation,
) -> None:
    places: Gazetteer = gazetteer()
    incident = record_incident(by=documenter, place=places.orchard)
    victim = incident.acts.get().victim
    household = make_household(by=caseworker, head=victim, link_member_acts=True)
    assert list(household.affected_by.all()) == [incident.acts.get()]
    foreign_incident = record_incident(
        by=make_user(Role.DOCUMENTER, organisation=other_relief_org), place=places.harbour
    )
    with pytest.raises(Invalid) as error:
        services.household_update(
            household=household,
            updated_by=caseworker,
            expected_version=household.version,
            acts=[foreign_incident.acts.get()],
        )
    assert "acts" in _errors(error)


def test_a_stale_update_is_refused_and_writes_nothing(caseworker: User) -> None:
    household = make_household(by=caseworker)
    services.household_update(
        household=household, updated_by=caseworker, expected_version=1, monthly_income_after="9000"
    )
    with pytest.raises(Stale):
        services.household_update(
            household=household, updated_by=caseworker, expected_version=1, monthly_income_after="1"
        )
    household.refresh_from_db()
    assert (household.version, str(household.monthly_income_after)) == (2, "9000.00")
    assert AuditEvent.objects.filter(action="household.updated").count() == 1


def test_only_changed_fields_are_written_and_audited(caseworker: User) -> None:
    household = make_household(by=caseworker)
    services.household_update(
        household=household,
        updated_by=caseworker,
        expected_version=1,
        address="HOUSE-ADDRESS 12",
        monthly_income_after="100",
    )
    event = AuditEvent.objects.get(action="household.updated")
    assert event.fields == ["monthly_income_after"]
