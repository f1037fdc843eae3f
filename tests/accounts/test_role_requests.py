"""The two-person rule: a role that opens personal data takes effect only when a second person
of the organisation approves it, never the one who asked."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from madad import access
from madad.access.roles import Capability
from madad.accounts import role_requests, services
from madad.accounts.models import Organisation, RoleRequest, User
from madad.accounts.roles import Role
from madad.core.models import AuditEvent
from madad.core.refusals import Conflict, NotAllowed, Stale

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(make_user: Callable[..., User], relief_org: Organisation) -> User:
    return make_user(Role.ADMINISTRATOR, organisation=relief_org)


@pytest.fixture
def second_admin(make_user: Callable[..., User], relief_org: Organisation) -> User:
    return make_user(Role.ADMINISTRATOR, organisation=relief_org)


def _invite(admin: User, role: str = Role.COORDINATOR) -> services.Invited:
    return services.user_invite(
        email="nadia@test.madad",
        full_name="Nadia Qureshi",
        organisation=admin.organisation,
        role=role,
        invited_by=admin,
    )


def _asked(invited: services.Invited) -> RoleRequest:
    assert invited.role_request is not None
    return invited.role_request


def test_the_roles_that_open_personal_data_are_read_from_the_policy() -> None:
    waits = {role for role in Role.values if role_requests.needs_second_person(role)}
    assert waits == {
        Role.ADMINISTRATOR,
        Role.COORDINATOR,
        Role.DOCUMENTER,
        Role.VERIFIER,
        Role.CASEWORKER,
        Role.FINANCE,
        Role.AUDITOR,
    }


def test_an_invited_coordinator_has_no_role_until_approved(admin: User) -> None:
    invited = _invite(admin)
    user = invited.user
    assert user.role == ""
    assert not access.can(user, Capability.PERSON_IDENTITY_VIEW)
    assert invited.role_request is not None
    assert invited.role_request.status == RoleRequest.Status.PENDING
    assert AuditEvent.objects.filter(action="user.role.requested", actor=admin).exists()


def test_the_requester_cannot_approve_their_own_request(admin: User) -> None:
    invited = _invite(admin)
    with pytest.raises(NotAllowed) as refused:
        role_requests.role_request_approve(request=_asked(invited), approver=admin)
    assert refused.value.code == "own_role_request"
    invited.user.refresh_from_db()
    assert invited.user.role == ""
    assert RoleRequest.objects.get().status == RoleRequest.Status.PENDING


def test_after_a_second_person_approves_the_role_works(admin: User, second_admin: User) -> None:
    invited = _invite(admin)
    role_requests.role_request_approve(request=_asked(invited), approver=second_admin)
    user = User.objects.get(pk=invited.user.pk)
    assert user.role == Role.COORDINATOR
    assert access.can(user, Capability.PERSON_IDENTITY_VIEW)
    event = AuditEvent.objects.get(action="user.role.approved")
    assert event.actor_id == second_admin.pk and event.object_id == str(user.pk)


def test_a_coordinator_may_approve(admin: User, coordinator: User) -> None:
    invited = _invite(admin, Role.CASEWORKER)
    role_requests.role_request_approve(request=_asked(invited), approver=coordinator)
    assert User.objects.get(pk=invited.user.pk).role == Role.CASEWORKER


@pytest.mark.parametrize("role", [Role.DOCUMENTER, Role.FINANCE, Role.AUDITOR])
def test_other_roles_may_not_approve(
    admin: User, make_user: Callable[..., User], role: str
) -> None:
    invited = _invite(admin)
    with pytest.raises(NotAllowed):
        role_requests.role_request_approve(request=_asked(invited), approver=make_user(role))
    assert User.objects.get(pk=invited.user.pk).role == ""


def test_another_organisation_may_not_approve(
    admin: User, make_user: Callable[..., User], other_relief_org: Organisation
) -> None:
    invited = _invite(admin)
    stranger = make_user(Role.ADMINISTRATOR, organisation=other_relief_org)
    with pytest.raises(NotAllowed):
        role_requests.role_request_approve(request=_asked(invited), approver=stranger)


def test_nobody_approves_their_own_role(
    admin: User, make_user: Callable[..., User], second_admin: User
) -> None:
    coordinator = make_user(Role.COORDINATOR)
    asked = role_requests.role_change(user=coordinator, role=Role.ADMINISTRATOR, changed_by=admin)
    assert asked is not None
    with pytest.raises(NotAllowed):
        role_requests.role_request_approve(request=asked, approver=coordinator)
    role_requests.role_request_approve(request=asked, approver=second_admin)
    assert User.objects.get(pk=coordinator.pk).role == Role.ADMINISTRATOR


def test_a_role_change_keeps_the_old_role_until_approved(
    admin: User, second_admin: User, make_user: Callable[..., User]
) -> None:
    user = make_user(Role.FINANCE)
    asked = role_requests.role_change(user=user, role=Role.CASEWORKER, changed_by=admin)
    assert asked is not None
    assert User.objects.get(pk=user.pk).role == Role.FINANCE
    role_requests.role_request_refuse(request=asked, refuser=second_admin)
    assert User.objects.get(pk=user.pk).role == Role.FINANCE
    assert AuditEvent.objects.filter(action="user.role.refused", actor=second_admin).exists()
    with pytest.raises(Stale):
        role_requests.role_request_approve(request=asked, approver=second_admin)


def test_a_role_without_personal_data_is_given_at_once(
    admin: User, partner_org: Organisation, make_user: Callable[..., User]
) -> None:
    partner_admin = make_user(Role.ADMINISTRATOR, organisation=partner_org)
    invited = services.user_invite(
        email="p@test.madad",
        full_name="Partner",
        organisation=partner_org,
        role=Role.PARTNER,
        invited_by=partner_admin,
    )
    assert invited.user.role == Role.PARTNER and invited.role_request is None


def test_one_request_waits_per_user(admin: User, make_user: Callable[..., User]) -> None:
    user = make_user(Role.FINANCE)
    role_requests.role_change(user=user, role=Role.CASEWORKER, changed_by=admin)
    with pytest.raises(Conflict):
        role_requests.role_change(user=user, role=Role.VERIFIER, changed_by=admin)
