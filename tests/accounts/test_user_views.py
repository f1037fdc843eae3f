"""The users page, asked of three people: an administrator (the owner of their organisation's
accounts), a colleague with another role, and an administrator of another organisation."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from pytest_django import Settings

from madad.accounts.models import Organisation, RoleRequest, User
from madad.accounts.roles import Role
from madad.core.models import AuditEvent
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "river lantern quietly 4711"
INVITATION = re.compile(r"/accounts/invitation/(inv_[\w-]+)/")


@pytest.fixture
def admin(make_user: Callable[..., User], relief_org: Organisation) -> User:
    return make_user(Role.ADMINISTRATOR, organisation=relief_org)


@pytest.fixture
def colleague(make_user: Callable[..., User], relief_org: Organisation) -> User:
    return make_user(Role.CASEWORKER, organisation=relief_org)


@pytest.fixture
def outsider(make_user: Callable[..., User], other_relief_org: Organisation) -> User:
    return make_user(Role.ADMINISTRATOR, organisation=other_relief_org)


@pytest.fixture
def locked(make_user: Callable[..., User], relief_org: Organisation) -> User:
    return make_user(
        Role.DOCUMENTER,
        organisation=relief_org,
        failed_signins=6,
        locked_until=timezone.now() + timedelta(minutes=30),
    )


def _new_user(**changes: str) -> dict[str, str]:
    return {
        "full_name": "Nadia Qureshi",
        "email": "nadia@test.madad",
        "role": Role.VERIFIER,
        **changes,
    }


def _link(response: Any) -> str:
    found = INVITATION.search(response.content.decode())
    assert found, "no invitation link on the page"
    return found.group(0)


# --- the list -------------------------------------------------------------------------------


def test_an_administrator_sees_their_organisations_users(
    signed_in: Callable[[User], Client], admin: User, colleague: User, outsider: User
) -> None:
    response = signed_in(admin).get("/users/")
    assert response.status_code == 200
    html = response.content.decode()
    assert colleague.email in html and admin.email in html
    assert outsider.email not in html


def test_a_colleague_with_another_role_gets_404(
    signed_in: Callable[[User], Client], colleague: User
) -> None:
    assert signed_in(colleague).get("/users/").status_code == 404


def test_the_list_needs_a_signed_in_user(client: Client) -> None:
    response = client.get("/users/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_list_shows_who_is_locked_and_who_has_two_factor(
    signed_in: Callable[[User], Client], admin: User, locked: User, make_user: Callable[..., User]
) -> None:
    make_user(Role.DOCUMENTER, totp=False, email="no2fa@test.madad")
    html = signed_in(admin).get("/users/").content.decode()
    assert f"/users/{locked.pk}/unlock/" in html
    assert "Locked" in html
    assert "Not set up" in html


# --- inviting a user ------------------------------------------------------------------------


def test_an_administrator_invites_a_user_to_their_organisation(
    signed_in: Callable[[User], Client], admin: User
) -> None:
    response = signed_in(admin).post("/users/new/", _new_user())
    assert response.status_code == 200
    user = User.objects.get(email="nadia@test.madad")
    assert user.organisation == admin.organisation
    assert not user.has_usable_password()
    assert user.role == ""  # a verifier reads identities: the role waits for approval
    assert RoleRequest.objects.get(user=user).role == Role.VERIFIER
    assert _link(response)
    event = AuditEvent.objects.get(action="user.created")
    assert event.actor_id == admin.pk


def test_an_administrator_can_no_longer_choose_a_password_for_a_new_coordinator(
    signed_in: Callable[[User], Client], admin: User, client_factory: Callable[[], Client]
) -> None:
    response = signed_in(admin).post(
        "/users/new/",
        _new_user(role=Role.COORDINATOR, password1=NEW_PASSWORD, password2=NEW_PASSWORD),
    )
    assert response.status_code == 200
    user = User.objects.get(email="nadia@test.madad")
    assert not user.check_password(NEW_PASSWORD)
    browser = client_factory()
    answer = browser.post("/accounts/login/", {"login": user.email, "password": NEW_PASSWORD})
    assert answer.status_code == 200
    assert browser.session.get("_auth_user_id") is None


def test_the_invited_user_sets_their_own_password_and_must_enrol_two_factor(
    signed_in: Callable[[User], Client],
    admin: User,
    client_factory: Callable[[], Client],
    settings: Settings,
) -> None:
    settings.REQUIRE_MFA = True
    link = _link(signed_in(admin).post("/users/new/", _new_user()))
    browser = client_factory()
    assert browser.get(link).status_code == 200
    mismatch = {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "!"}
    assert browser.post(link, mismatch).status_code == 422
    done = browser.post(link, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done.status_code == 302 and done["Location"] == "/accounts/login/"
    assert User.objects.get(email="nadia@test.madad").check_password(NEW_PASSWORD)
    assert browser.get(link).status_code == 404  # used once
    response = browser.post(
        "/accounts/login/", {"login": "nadia@test.madad", "password": NEW_PASSWORD}
    )
    assert browser.get(response["Location"])["Location"] == "/accounts/2fa/totp/activate/"


def test_an_unknown_invitation_link_answers_404(client: Client) -> None:
    assert client.get("/accounts/invitation/inv_nothing/").status_code == 404


def test_an_administrator_renews_a_link_not_yet_used(
    signed_in: Callable[[User], Client], admin: User
) -> None:
    client = signed_in(admin)
    first = _link(client.post("/users/new/", _new_user()))
    user = User.objects.get(email="nadia@test.madad")
    second = _link(client.post(f"/users/{user.pk}/invitation/"))
    assert first != second
    assert client.get(first).status_code == 404


def test_the_form_offers_the_organisations_roles_only(
    signed_in: Callable[[User], Client], admin: User
) -> None:
    form = signed_in(admin).get("/users/new/").context["form"]
    roles = {value for value, _label in form.fields["role"].choices}
    assert Role.PARTNER not in roles
    assert Role.ADMINISTRATOR in roles
    assert "password1" not in form.fields


def test_a_relief_organisation_user_cannot_get_the_partner_role(
    signed_in: Callable[[User], Client], admin: User
) -> None:
    response = signed_in(admin).post("/users/new/", _new_user(role=Role.PARTNER))
    assert response.status_code == 422
    assert response.context["form"].errors["role"]
    assert not User.objects.filter(email="nadia@test.madad").exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"email": "not-an-address"}, "email"),
        ({"full_name": ""}, "full_name"),
        ({"role": "superuser"}, "role"),
    ],
)
def test_bad_input_is_refused_at_its_field_and_nothing_is_written(
    signed_in: Callable[[User], Client], admin: User, changes: dict[str, str], field: str
) -> None:
    response = signed_in(admin).post("/users/new/", _new_user(**changes))
    assert response.status_code == 422
    assert field in response.context["form"].errors
    assert 'class="field has-errors"' in response.content.decode()
    assert User.objects.count() == 1


def test_an_address_already_in_use_is_refused(
    signed_in: Callable[[User], Client], admin: User, outsider: User
) -> None:
    response = signed_in(admin).post("/users/new/", _new_user(email=outsider.email.upper()))
    assert response.status_code == 422
    assert "There is already a user with this email address." in response.content.decode()


def test_a_colleague_with_another_role_cannot_add_users(
    signed_in: Callable[[User], Client], colleague: User
) -> None:
    client = signed_in(colleague)
    assert client.get("/users/new/").status_code == 404
    assert client.post("/users/new/", _new_user()).status_code == 404
    assert not User.objects.filter(email="nadia@test.madad").exists()


# --- role requests --------------------------------------------------------------------------


def test_the_pending_role_is_shown_to_administrators_and_approved_by_a_second_person(
    signed_in: Callable[[User], Client],
    admin: User,
    make_user: Callable[..., User],
    relief_org: Organisation,
) -> None:
    signed_in(admin).post("/users/new/", _new_user(role=Role.COORDINATOR))
    asked = RoleRequest.objects.get()
    assert "1 role waits for a second person" in signed_in(admin).get("/users/").content.decode()
    # the one who asked cannot approve it
    signed_in(admin).post(f"/users/role-requests/{asked.pk}/approve/")
    assert User.objects.get(pk=asked.user_id).role == ""
    second = make_user(Role.ADMINISTRATOR, organisation=relief_org)
    page = signed_in(second).get("/users/role-requests/")
    assert page.status_code == 200 and "Nadia Qureshi" in page.content.decode()
    assert signed_in(second).post(f"/users/role-requests/{asked.pk}/approve/").status_code == 302
    assert User.objects.get(pk=asked.user_id).role == Role.COORDINATOR


def test_role_requests_are_not_for_other_roles_or_organisations(
    signed_in: Callable[[User], Client],
    admin: User,
    colleague: User,
    make_user: Callable[..., User],
    other_relief_org: Organisation,
) -> None:
    signed_in(admin).post("/users/new/", _new_user(role=Role.COORDINATOR))
    asked = RoleRequest.objects.get()
    stranger = make_user(Role.ADMINISTRATOR, organisation=other_relief_org)
    for person in (colleague, stranger):
        client = signed_in(person)
        assert client.post(f"/users/role-requests/{asked.pk}/approve/").status_code == 404
    assert signed_in(colleague).get("/users/role-requests/").status_code == 404
    assert "Nadia" not in signed_in(stranger).get("/users/role-requests/").content.decode()
    assert User.objects.get(pk=asked.user_id).role == ""


def test_an_administrator_changes_a_role_which_waits_for_approval(
    signed_in: Callable[[User], Client], admin: User, make_user: Callable[..., User]
) -> None:
    user = make_user(Role.FINANCE)
    response = signed_in(admin).post(f"/users/{user.pk}/role/", {"role": Role.CASEWORKER})
    assert response.status_code == 302
    assert User.objects.get(pk=user.pk).role == Role.FINANCE
    assert RoleRequest.objects.get(user=user).role == Role.CASEWORKER
    same = signed_in(admin).post(f"/users/{user.pk}/role/", {"role": Role.FINANCE})
    assert same.status_code == 422


# --- unlock, deactivate, reactivate -------------------------------------------------------


def test_an_administrator_unlocks_a_user(
    signed_in: Callable[[User], Client], admin: User, locked: User
) -> None:
    response = signed_in(admin).post(f"/users/{locked.pk}/unlock/")
    assert response.status_code == 302
    locked.refresh_from_db()
    assert not locked.is_locked() and locked.failed_signins == 0
    assert AuditEvent.objects.filter(action="user.unlocked", actor=admin).exists()


def test_a_colleague_cannot_unlock_anyone(
    signed_in: Callable[[User], Client], colleague: User, locked: User
) -> None:
    assert signed_in(colleague).post(f"/users/{locked.pk}/unlock/").status_code == 404
    locked.refresh_from_db()
    assert locked.is_locked()


def test_an_outsider_cannot_unlock_and_the_attempt_is_audited(
    signed_in: Callable[[User], Client], outsider: User, locked: User
) -> None:
    assert signed_in(outsider).post(f"/users/{locked.pk}/unlock/").status_code == 404
    locked.refresh_from_db()
    assert locked.is_locked()
    assert AuditEvent.objects.filter(
        action="access.denied", actor=outsider, object_id=str(locked.pk)
    ).exists()


def test_unlocking_needs_a_post(
    signed_in: Callable[[User], Client], admin: User, locked: User
) -> None:
    assert signed_in(admin).get(f"/users/{locked.pk}/unlock/").status_code == 405


def test_an_administrator_deactivates_a_user_who_then_cannot_work(
    signed_in: Callable[[User], Client],
    admin: User,
    colleague: User,
    client_factory: Callable[[], Client],
) -> None:
    browser = client_factory()
    browser.force_login(colleague)
    assert browser.get("/").status_code == 200
    response = signed_in(admin).post(f"/users/{colleague.pk}/deactivate/")
    assert response.status_code == 302
    colleague.refresh_from_db()
    assert not colleague.is_active
    assert browser.get("/").status_code == 302  # the open session no longer works
    assert AuditEvent.objects.filter(action="user.deactivated", actor=admin).exists()


def test_an_administrator_cannot_deactivate_themselves(
    signed_in: Callable[[User], Client], admin: User
) -> None:
    client = signed_in(admin)
    response = client.post(f"/users/{admin.pk}/deactivate/", follow=True)
    assert "You cannot deactivate your own account." in response.content.decode()
    admin.refresh_from_db()
    assert admin.is_active


def test_an_administrator_reactivates_a_user(
    signed_in: Callable[[User], Client], admin: User, colleague: User
) -> None:
    User.objects.filter(pk=colleague.pk).update(is_active=False)
    assert signed_in(admin).post(f"/users/{colleague.pk}/reactivate/").status_code == 302
    colleague.refresh_from_db()
    assert colleague.is_active
    assert colleague.check_password(PASSWORD)


@pytest.mark.parametrize("action", ["deactivate", "reactivate"])
def test_colleagues_and_outsiders_cannot_change_accounts(
    signed_in: Callable[[User], Client],
    colleague: User,
    outsider: User,
    make_user: Callable[..., User],
    action: str,
) -> None:
    target = make_user(Role.DOCUMENTER, is_active=action == "deactivate")
    for person in (colleague, outsider):
        assert signed_in(person).post(f"/users/{target.pk}/{action}/").status_code == 404
    target.refresh_from_db()
    assert target.is_active == (action == "deactivate")


def test_an_unknown_user_answers_404(signed_in: Callable[[User], Client], admin: User) -> None:
    assert signed_in(admin).post("/users/999999/unlock/").status_code == 404
