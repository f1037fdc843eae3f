"""Who sees which cases and households, through the one access policy."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.http import Http404
from pytest_django import Settings

from madad import access
from madad.accounts.models import Organisation, User
from madad.accounts.roles import Role
from madad.cases import services
from madad.cases.models import (
    ApprovalRequest,
    AssessedNeed,
    Assessment,
    Case,
    Note,
    StatusChange,
    Task,
)
from madad.core.models import AuditEvent
from madad.households.models import Household, Member
from tests.cases.factories import NEEDS, open_case
from tests.households.factories import make_household

pytestmark = pytest.mark.django_db

PARTS = (StatusChange, ApprovalRequest, Note, Task, Assessment, AssessedNeed)


@pytest.fixture
def full_case(case: Case, caseworker: User) -> Case:
    """A case with one row of every part."""
    services.assessment_record(case=case, assessed_by=caseworker, needs=NEEDS, summary="S")
    services.note_add(case=case, written_by=caseworker, text="A note")
    services.task_add(case=case, added_by=caseworker, title="T", due_on="2030-01-01")
    services.approval_request(case=case, kind="close", requested_by=caseworker)
    return case


def _sees(user: User, case: Case) -> dict[str, bool]:
    seen = {
        "case": access.visible_to(user, Case).filter(pk=case.pk).exists(),
        "household": access.visible_to(user, Household).filter(pk=case.household_id).exists(),
        "members": access.visible_to(user, Member).filter(household=case.household_id).exists(),
    }
    for model in PARTS:
        name = model._meta.model_name
        assert name is not None
        seen[name] = access.visible_to(user, model).exists()
    return seen


def test_the_caseworker_sees_their_case_with_every_part(full_case: Case, caseworker: User) -> None:
    assert all(_sees(caseworker, full_case).values())


def test_a_coordinator_sees_every_case_of_the_organisation(
    full_case: Case, coordinator: User
) -> None:
    assert all(_sees(coordinator, full_case).values())


@pytest.mark.parametrize("who", ["other_caseworker", "documenter", "outsider", "partner_user"])
def test_nobody_else_sees_any_of_it(
    full_case: Case, who: str, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(who)
    assert not any(_sees(user, full_case).values())


@pytest.mark.parametrize("role", [Role.VERIFIER, Role.FINANCE, Role.AUDITOR, Role.ADMINISTRATOR])
def test_roles_without_case_capabilities_see_no_case(
    full_case: Case, role: str, make_user: Callable[..., User]
) -> None:
    assert not any(_sees(make_user(role), full_case).values())


def test_a_caseworker_sees_a_household_they_registered_before_any_case(
    caseworker: User, other_caseworker: User
) -> None:
    household = make_household(by=caseworker)
    assert access.visible_to(caseworker, Household).filter(pk=household.pk).exists()
    assert not access.visible_to(other_caseworker, Household).filter(pk=household.pk).exists()


def test_reassigning_a_case_moves_who_sees_it(
    case: Case, caseworker: User, other_caseworker: User, coordinator: User
) -> None:
    services.case_assign(case=case, caseworker=other_caseworker, assigned_by=coordinator)
    assert access.visible_to(other_caseworker, Case).filter(pk=case.pk).exists()
    assert not access.visible_to(caseworker, Case).filter(pk=case.pk).exists()
    # the household stays visible to whoever registered it
    assert access.visible_to(caseworker, Household).filter(pk=case.household_id).exists()


def test_team_visibility_covers_teammates_only(
    case: Case,
    caseworker: User,
    other_caseworker: User,
    make_user: Callable[..., User],
    settings: Settings,
) -> None:
    settings.CASE_VISIBILITY = "team"
    stranger = make_user(Role.CASEWORKER)
    team = services.team_create(
        organisation=caseworker.organisation, name="East", created_by=caseworker
    )
    services.team_members_set(
        team=team, members=[caseworker, other_caseworker], changed_by=caseworker
    )
    assert access.visible_to(other_caseworker, Case).filter(pk=case.pk).exists()
    assert not access.visible_to(stranger, Case).filter(pk=case.pk).exists()
    theirs = open_case(caseworker=other_caseworker)
    assert access.visible_to(caseworker, Case).filter(pk=theirs.pk).exists()


def test_a_team_in_another_organisation_changes_nothing(
    case: Case,
    caseworker: User,
    make_user: Callable[..., User],
    other_relief_org: Organisation,
    settings: Settings,
) -> None:
    settings.CASE_VISIBILITY = "team"
    foreign = make_user(Role.CASEWORKER, organisation=other_relief_org)
    team = services.team_create(organisation=other_relief_org, name="Mixed", created_by=foreign)
    team.members.set([foreign, caseworker])  # bypassing the service's check on purpose
    assert not access.visible_to(foreign, Case).filter(pk=case.pk).exists()


def test_only_those_who_see_a_case_may_change_it(
    case: Case, caseworker: User, other_caseworker: User, coordinator: User, outsider: User
) -> None:
    assert access.can_change(caseworker, case) and access.can_change(coordinator, case)
    assert not access.can_change(other_caseworker, case)
    assert not access.can_change(outsider, case)


def test_reading_the_plan_through_reveal_is_audited_and_refused_to_others(
    case: Case, caseworker: User, other_caseworker: User
) -> None:
    services.case_update(case=case, updated_by=caseworker, expected_version=1, plan="SECRET")
    shown = access.reveal(caseworker, case, wanted=["plan"], action="case.plan.viewed")
    assert shown == {"plan": "SECRET"}
    event = AuditEvent.objects.filter(action="case.plan.viewed").get()
    assert event.fields == ["plan"]
    with pytest.raises(Http404):
        access.reveal(other_caseworker, case, wanted=["plan"])
