"""The rules user_invite, user_deactivate and organisation_create guarantee."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pytest_django import Settings

from madad.accounts import invitations, services
from madad.accounts.models import Invitation, Organisation, User
from madad.accounts.roles import Role
from madad.core.models import AuditEvent
from madad.core.refusals import Conflict, Invalid, NotAllowed, NotVisible

pytestmark = pytest.mark.django_db

PASSWORD = "river lantern quietly 4711"


def _invite(
    organisation: Organisation,
    *,
    email: str = "Amina@Test.Madad ",
    full_name: str = " Amina Baloch ",
    role: str | None = None,
    invited_by: User | None = None,
) -> services.Invited:
    if role is None:
        role = Role.PARTNER if organisation.is_partner else Role.CASEWORKER
    return services.user_invite(
        email=email,
        full_name=full_name,
        organisation=organisation,
        role=role,
        invited_by=invited_by,
    )


def test_it_stores_the_email_address_in_lower_case(relief_org: Organisation) -> None:
    user = _invite(relief_org).user
    assert user.email == "amina@test.madad"
    assert user.full_name == "Amina Baloch"


def test_an_invited_user_has_no_password_until_they_choose_one(relief_org: Organisation) -> None:
    invited = _invite(relief_org)
    assert not invited.user.has_usable_password()
    assert invited.token.startswith("inv_")
    assert not Invitation.objects.filter(digest__contains=invited.token).exists()
    user = invitations.invitation_accept(
        raw=invited.token, password=PASSWORD, password_again=PASSWORD
    )
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert AuditEvent.objects.filter(action="user.invitation.accepted", actor=user).exists()


def test_an_invitation_link_works_once(relief_org: Organisation) -> None:
    invited = _invite(relief_org)
    invitations.invitation_accept(raw=invited.token, password=PASSWORD, password_again=PASSWORD)
    with pytest.raises(NotVisible):
        invitations.invitation_accept(
            raw=invited.token, password=PASSWORD + "x", password_again=PASSWORD + "x"
        )
    invited.user.refresh_from_db()
    assert invited.user.check_password(PASSWORD)


def test_an_invitation_link_expires(relief_org: Organisation, settings: Settings) -> None:
    settings.INVITATION_HOURS = 0
    invited = _invite(relief_org)
    with pytest.raises(NotVisible):
        invitations.invitation_open(invited.token)


def test_a_renewed_link_replaces_the_old_one(relief_org: Organisation) -> None:
    invited = _invite(relief_org)
    renewed = services.user_invitation_renew(user=invited.user, renewed_by=None)
    with pytest.raises(NotVisible):
        invitations.invitation_open(invited.token)
    assert invitations.invitation_open(renewed).user == invited.user


def test_a_link_is_never_renewed_for_an_account_in_use(relief_org: Organisation) -> None:
    invited = _invite(relief_org)
    invitations.invitation_accept(raw=invited.token, password=PASSWORD, password_again=PASSWORD)
    with pytest.raises(Conflict):
        services.user_invitation_renew(user=invited.user, renewed_by=None)


def test_an_invitation_refuses_a_weak_password_and_stays_usable(relief_org: Organisation) -> None:
    invited = _invite(relief_org)
    with pytest.raises(Invalid) as refused:
        invitations.invitation_accept(raw=invited.token, password="short", password_again="short")
    assert "password1" in refused.value.fields
    with pytest.raises(Invalid) as refused:
        invitations.invitation_accept(raw=invited.token, password=PASSWORD, password_again="other")
    assert "password2" in refused.value.fields
    assert invitations.invitation_open(invited.token).user == invited.user


def test_it_refuses_a_second_account_with_the_same_address(relief_org: Organisation) -> None:
    _invite(relief_org)
    with pytest.raises(Invalid) as refused:
        _invite(relief_org, email="AMINA@test.madad")
    assert "email" in refused.value.fields
    assert User.objects.count() == 1


def test_partner_organisations_have_partner_users_only(
    partner_org: Organisation, relief_org: Organisation
) -> None:
    with pytest.raises(Invalid) as refused:
        _invite(partner_org, role=Role.CASEWORKER)
    assert "role" in refused.value.fields
    with pytest.raises(Invalid):
        _invite(relief_org, role=Role.PARTNER)
    assert _invite(partner_org, role=Role.PARTNER).user.role == Role.PARTNER


def test_an_administrator_adds_users_to_their_own_organisation_only(
    make_user: Callable[..., User], relief_org: Organisation, other_relief_org: Organisation
) -> None:
    admin = make_user(Role.ADMINISTRATOR, organisation=relief_org)
    with pytest.raises(Invalid) as refused:
        _invite(other_relief_org, invited_by=admin)
    assert "organisation" in refused.value.fields
    assert not User.objects.filter(email="amina@test.madad").exists()


def test_it_reports_every_problem_at_once(relief_org: Organisation) -> None:
    with pytest.raises(Invalid) as refused:
        _invite(relief_org, email="nope", full_name="", role="boss")
    assert set(refused.value.fields) == {"email", "full_name", "role"}


def test_it_audits_field_names_never_values(relief_org: Organisation) -> None:
    user = _invite(relief_org).user
    event = AuditEvent.objects.get(action="user.created")
    assert event.object_id == str(user.pk)
    assert sorted(event.fields) == ["email", "full_name", "role"]


def test_nobody_deactivates_themselves(make_user: Callable[..., User]) -> None:
    admin = make_user(Role.ADMINISTRATOR)
    with pytest.raises(NotAllowed):
        services.user_deactivate(user=admin, deactivated_by=admin)
    admin.refresh_from_db()
    assert admin.is_active


def test_reactivating_clears_a_lockout(make_user: Callable[..., User]) -> None:
    admin = make_user(Role.ADMINISTRATOR)
    user = make_user(Role.DOCUMENTER, is_active=False, failed_signins=9)
    services.user_reactivate(user=user, reactivated_by=admin)
    user.refresh_from_db()
    assert user.is_active and user.failed_signins == 0


def test_organisation_names_are_unique_whatever_the_case(db: None) -> None:
    services.organisation_create(name="Hope Trust", kind=Organisation.Kind.RELIEF)
    with pytest.raises(Invalid) as refused:
        services.organisation_create(name="hope trust", kind=Organisation.Kind.NGO)
    assert "name" in refused.value.fields
    assert Organisation.objects.count() == 1


def test_an_organisation_needs_a_name_and_a_known_kind(db: None) -> None:
    with pytest.raises(Invalid) as refused:
        services.organisation_create(name="  ", kind="club")
    assert set(refused.value.fields) == {"name", "kind"}
    assert not Organisation.objects.exists()


# --- the first administrator ----------------------------------------------------------------


def test_the_first_administrator_has_the_role_at_once(relief_org: Organisation) -> None:
    invited = services.administrator_bootstrap(
        email="first@test.madad", full_name="First", organisation=relief_org
    )
    assert invited.user.role == Role.ADMINISTRATOR
    assert not invited.user.has_usable_password()


def test_there_is_no_second_first_administrator(
    relief_org: Organisation, make_user: Callable[..., User]
) -> None:
    make_user(Role.ADMINISTRATOR, organisation=relief_org)
    with pytest.raises(Conflict) as refused:
        services.administrator_bootstrap(
            email="second@test.madad", full_name="Second", organisation=relief_org
        )
    assert refused.value.code == "administrator_exists"
    assert not User.objects.filter(email="second@test.madad").exists()
