"""`madad organisations create`, `madad users create` and `madad users unlock`: what a new
install needs to make its first administrator."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from madad.accounts.management.commands import users as users_command
from madad.accounts.models import Organisation, User
from madad.accounts.roles import Role
from madad.core.models import AuditEvent

pytestmark = pytest.mark.django_db

PASSWORD = "river lantern quietly 4711"


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def trust(db) -> Organisation:
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
        "--role",
        "administrator",
        "--organisation",
        "hope trust",
        *extra,
    )


def test_it_creates_an_organisation(trust) -> None:
    assert trust.kind == Organisation.Kind.RELIEF
    assert trust.name_ur == "ہوپ ٹرسٹ"
    assert AuditEvent.objects.filter(action="organisation.created").exists()


def test_it_refuses_a_second_organisation_of_the_same_name(trust) -> None:
    with pytest.raises(CommandError, match="already an organisation"):
        run("organisations", "create", "--name", "HOPE TRUST", "--kind", "ngo")
    assert Organisation.objects.count() == 1


def test_it_refuses_an_unknown_kind(db) -> None:
    with pytest.raises(CommandError, match="invalid choice"):
        run("organisations", "create", "--name", "X", "--kind", "club")


def test_it_creates_the_first_administrator_with_the_password_from_the_environment(
    trust, monkeypatch
) -> None:
    monkeypatch.setenv("MADAD_NEW_USER_PASSWORD", PASSWORD)
    assert "Created admin@hope.example" in _create_admin()
    admin = User.objects.get(email="admin@hope.example")
    assert admin.role == Role.ADMINISTRATOR and admin.organisation == trust
    assert admin.check_password(PASSWORD)


def test_it_asks_for_the_password_twice_in_a_terminal(trust, monkeypatch) -> None:
    monkeypatch.delenv("MADAD_NEW_USER_PASSWORD", raising=False)
    monkeypatch.setattr(users_command.sys.stdin, "isatty", lambda: True)
    answers = iter([PASSWORD, PASSWORD])
    monkeypatch.setattr(users_command.getpass, "getpass", lambda prompt: next(answers))
    _create_admin()
    assert User.objects.get(email="admin@hope.example").check_password(PASSWORD)


def test_it_refuses_two_different_passwords(trust, monkeypatch) -> None:
    monkeypatch.delenv("MADAD_NEW_USER_PASSWORD", raising=False)
    monkeypatch.setattr(users_command.sys.stdin, "isatty", lambda: True)
    answers = iter([PASSWORD, PASSWORD + "!"])
    monkeypatch.setattr(users_command.getpass, "getpass", lambda prompt: next(answers))
    with pytest.raises(CommandError, match="not the same"):
        _create_admin()
    assert not User.objects.exists()


def test_it_refuses_to_wait_for_a_password_without_a_terminal(trust, monkeypatch) -> None:
    monkeypatch.delenv("MADAD_NEW_USER_PASSWORD", raising=False)
    monkeypatch.setattr(users_command.sys.stdin, "isatty", lambda: False)
    with pytest.raises(CommandError, match="MADAD_NEW_USER_PASSWORD"):
        _create_admin()


def test_it_refuses_a_weak_password(trust, monkeypatch) -> None:
    monkeypatch.setenv("MADAD_NEW_USER_PASSWORD", "admin")
    with pytest.raises(CommandError, match="password: This password is too short"):
        _create_admin()
    assert not User.objects.exists()


def test_it_names_a_missing_organisation(trust, monkeypatch) -> None:
    monkeypatch.setenv("MADAD_NEW_USER_PASSWORD", PASSWORD)
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


def test_it_refuses_the_partner_role_in_the_relief_organisation(trust, monkeypatch) -> None:
    monkeypatch.setenv("MADAD_NEW_USER_PASSWORD", PASSWORD)
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


def test_it_unlocks_a_user(trust, monkeypatch) -> None:
    monkeypatch.setenv("MADAD_NEW_USER_PASSWORD", PASSWORD)
    _create_admin()
    User.objects.filter(email="admin@hope.example").update(
        failed_signins=6, locked_until=timezone.now() + timedelta(minutes=30)
    )
    assert "can sign in again" in run("users", "unlock", "ADMIN@hope.example")
    admin = User.objects.get(email="admin@hope.example")
    assert not admin.is_locked() and admin.failed_signins == 0
    assert AuditEvent.objects.filter(action="user.unlocked", actor=None).exists()


def test_unlocking_an_unknown_address_fails(db) -> None:
    with pytest.raises(CommandError, match="no user"):
        run("users", "unlock", "ghost@hope.example")


def test_the_command_exits_non_zero_on_bad_input(db, capsys) -> None:
    with pytest.raises(SystemExit) as exited:
        users_command.Command().run_from_argv(["madad", "users", "unlock", "ghost@x.example"])
    assert exited.value.code != 0
    assert "no user" in capsys.readouterr().err
