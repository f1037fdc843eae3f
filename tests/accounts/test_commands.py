"""`madad organisations create`, `madad users create` and `madad users unlock`: what a new
install needs to invite its first administrator."""

from __future__ import annotations

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from madad.accounts import invitations
from madad.accounts.management.commands import users as users_command
from madad.accounts.models import Organisation, RoleRequest, User
from madad.accounts.roles import Role
from madad.core.models import AuditEvent

pytestmark = pytest.mark.django_db

PASSWORD = "river lantern quietly 4711"


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def trust(db: None) -> Organisation:
    run(
        "organisations",
        "create",
        "--name",
        "Hope Trust",
        "--kind",
        "relief",
        "--name-ur",
        "ہوپ ٹرسٹ",
    )
    return Organisation.objects.get(name="Hope Trust")


def _create_admin(*extra: str) -> str:
    return run(
        "users",
        "create",
        "--email",
        "Admin@Hope.example",
        "--name",
        "First Admin",
        "--first-administrator",
        "--organisation",
        "hope trust",
        *extra,
    )


def _link(output: str) -> str:
    found = re.search(r"https?://\S+/accounts/invitation/(inv_[\w-]+)/", output)
    assert found, output
    return found.group(1)


def test_it_creates_an_organisation(trust: Organisation) -> None:
    assert trust.kind == Organisation.Kind.RELIEF
    assert trust.name_ur == "ہوپ ٹرسٹ"
    assert AuditEvent.objects.filter(action="organisation.created").exists()


def test_it_refuses_a_second_organisation_of_the_same_name(trust: Organisation) -> None:
    with pytest.raises(CommandError, match="already an organisation"):
        run("organisations", "create", "--name", "HOPE TRUST", "--kind", "ngo")
    assert Organisation.objects.count() == 1


def test_it_refuses_an_unknown_kind(db: None) -> None:
    with pytest.raises(CommandError, match="invalid choice"):
        run("organisations", "create", "--name", "X", "--kind", "club")


def test_it_invites_the_first_administrator_who_sets_their_own_password(
    trust: Organisation,
) -> None:
    output = _create_admin()
    assert "Invited admin@hope.example" in output
    admin = User.objects.get(email="admin@hope.example")
    assert admin.role == Role.ADMINISTRATOR and admin.organisation == trust
    assert not admin.has_usable_password()
    invitations.invitation_accept(raw=_link(output), password=PASSWORD, password_again=PASSWORD)
    admin.refresh_from_db()
    assert admin.check_password(PASSWORD)


def test_the_link_names_the_configured_site(
    trust: Organisation, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MADAD_SITE_URL", "https://madad.example.org/")
    assert "https://madad.example.org/accounts/invitation/inv_" in _create_admin()


def test_there_is_no_first_administrator_once_there_is_one(trust: Organisation) -> None:
    _create_admin()
    with pytest.raises(CommandError, match="already has an administrator"):
        run(
            "users",
            "create",
            "--email",
            "second@hope.example",
            "--name",
            "Second",
            "--first-administrator",
            "--organisation",
            "Hope Trust",
        )
    assert not User.objects.filter(email="second@hope.example").exists()


def test_a_privileged_role_from_the_command_line_waits_for_approval(trust: Organisation) -> None:
    output = run(
        "users",
        "create",
        "--email",
        "c@hope.example",
        "--name",
        "Coordinator",
        "--role",
        "coordinator",
        "--organisation",
        "Hope Trust",
    )
    assert "takes effect when an administrator or a coordinator" in output
    user = User.objects.get(email="c@hope.example")
    assert user.role == "" and not user.has_usable_password()
    assert RoleRequest.objects.get(user=user).requested_by is None
    assert _link(output)


def test_the_command_takes_no_password(
    trust: Organisation, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MADAD_NEW_USER_PASSWORD", PASSWORD)
    _create_admin()
    assert not User.objects.get(email="admin@hope.example").check_password(PASSWORD)


def test_it_wants_a_role_or_the_first_administrator(trust: Organisation) -> None:
    with pytest.raises(CommandError, match="either --role or --first-administrator"):
        run(
            "users",
            "create",
            "--email",
            "a@b.example",
            "--name",
            "A",
            "--organisation",
            "Hope Trust",
        )


def test_it_names_a_missing_organisation(trust: Organisation) -> None:
    with pytest.raises(CommandError, match=r"no organisation called 'Nowhere'.*Hope Trust"):
        run(
            "users",
            "create",
            "--email",
            "a@b.example",
            "--name",
            "A",
            "--role",
            "administrator",
            "--organisation",
            "Nowhere",
        )


def test_it_refuses_the_partner_role_in_the_relief_organisation(trust: Organisation) -> None:
    with pytest.raises(CommandError, match="role: Partner organisations"):
        run(
            "users",
            "create",
            "--email",
            "a@b.example",
            "--name",
            "A",
            "--role",
            "partner",
            "--organisation",
            "Hope Trust",
        )


def test_it_unlocks_a_user(trust: Organisation) -> None:
    _create_admin()
    User.objects.filter(email="admin@hope.example").update(
        failed_signins=6, locked_until=timezone.now() + timedelta(minutes=30)
    )
    assert "can sign in again" in run("users", "unlock", "ADMIN@hope.example")
    admin = User.objects.get(email="admin@hope.example")
    assert not admin.is_locked() and admin.failed_signins == 0
    assert AuditEvent.objects.filter(action="user.unlocked", actor=None).exists()


def test_unlocking_an_unknown_address_fails(db: None) -> None:
    with pytest.raises(CommandError, match="no user"):
        run("users", "unlock", "ghost@hope.example")


def test_the_command_exits_non_zero_on_bad_input(
    db: None, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        users_command.Command().run_from_argv(["madad", "users", "unlock", "ghost@x.example"])
    assert exited.value.code != 0
    assert "no user" in capsys.readouterr().err
