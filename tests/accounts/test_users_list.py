"""`madad users list [--organisation NAME]`: one line per user, sorted by organisation then
email, with what an operator needs to help them and nothing secret."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone

from madad.accounts.models import ApiToken, Organisation, RoleRequest, User
from madad.accounts.roles import Role
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def listing(*args: str) -> list[str]:
    out = StringIO()
    call_command("users", "list", *args, stdout=out)
    return out.getvalue().splitlines()


def _line(lines: list[str], user: User) -> str:
    [line] = [line for line in lines if line.startswith(user.email + " ")]
    return line


@pytest.fixture
def aman() -> Organisation:
    return OrganisationFactory.create(name="Aman Relief")


@pytest.fixture
def zia() -> Organisation:
    return OrganisationFactory.create(name="Zia Welfare")


def test_one_line_per_user_sorted_by_organisation_then_email(
    make_user: Callable[..., User], aman: Organisation, zia: Organisation
) -> None:
    z_b = make_user(Role.CASEWORKER, organisation=zia, email="b@zia.example")
    z_a = make_user(Role.CASEWORKER, organisation=zia, email="a@zia.example")
    a_c = make_user(Role.CASEWORKER, organisation=aman, email="c@aman.example")
    lines = listing()
    assert [line.split()[0] for line in lines] == [a_c.email, z_a.email, z_b.email]


def test_each_line_names_the_user_and_their_standing(
    client: Client, make_user: Callable[..., User], aman: Organisation
) -> None:
    user = make_user(
        Role.CASEWORKER, organisation=aman, email="nadia@aman.example", full_name="Nadia Qureshi"
    )
    client.force_login(user)  # a sign-in, as allauth's records it
    line = _line(listing(), user)
    assert "Nadia Qureshi" in line and "Aman Relief" in line and "caseworker" in line
    assert "active" in line.split() and "two-factor: yes" in line
    assert f"last sign-in {timezone.localdate():%Y-%m-%d}" in line
    assert "locked" not in line


def test_it_shows_inactive_locked_never_signed_in_and_without_two_factor(
    make_user: Callable[..., User], aman: Organisation
) -> None:
    until = timezone.now() + timedelta(minutes=30)
    user = make_user(
        Role.DOCUMENTER, organisation=aman, totp=False, is_active=False, locked_until=until
    )
    line = _line(listing(), user)
    assert "inactive" in line.split()
    assert f"locked until {timezone.localtime(until):%Y-%m-%d %H:%M}" in line
    assert "two-factor: no" in line
    assert "last sign-in never" in line


def test_a_lock_that_has_ended_is_not_shown(
    make_user: Callable[..., User], aman: Organisation
) -> None:
    user = make_user(organisation=aman, locked_until=timezone.now() - timedelta(minutes=1))
    assert "locked" not in _line(listing(), user)


def test_a_role_waiting_for_approval_is_shown(
    make_user: Callable[..., User], aman: Organisation
) -> None:
    user = make_user("", organisation=aman)
    RoleRequest.objects.create(user=user, role=Role.COORDINATOR, requested_by=None)
    line = _line(listing(), user)
    assert "no role (requested: coordinator)" in line


def test_it_lists_one_organisation(
    make_user: Callable[..., User], aman: Organisation, zia: Organisation
) -> None:
    ours = make_user(organisation=aman)
    theirs = make_user(organisation=zia)
    lines = listing("--organisation", "aman relief")
    assert any(line.startswith(ours.email) for line in lines)
    assert not any(line.startswith(theirs.email) for line in lines)


def test_an_unknown_organisation_is_named(aman: Organisation) -> None:
    with pytest.raises(CommandError, match=r"no organisation called 'Nowhere'.*Aman Relief"):
        listing("--organisation", "Nowhere")


def test_it_shows_no_secrets(
    make_user: Callable[..., User], aman: Organisation, client: Client
) -> None:
    user = make_user(organisation=aman)
    ApiToken.objects.create(
        user=user, digest="d" * 64, expires_at=timezone.now() + timedelta(hours=1)
    )
    text = "\n".join(listing())
    user.refresh_from_db()
    assert user.password not in text
    assert "d" * 64 not in text
    assert "pbkdf2" not in text and "md5$" not in text and "argon2" not in text


def test_no_users_says_so(db: None) -> None:
    assert listing() == ["No users."]
