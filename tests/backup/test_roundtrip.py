"""Backup → wipe → restore gives back the same rows, files and audit chain, on a new machine
with the same keys; across engines too (the way from SQLite to PostgreSQL, and back)."""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection, connections

from madad.backup import database, services
from madad.backup.models import BackupRun
from madad.core.models import AuditEvent
from madad.people.models import Person
from tests.backup.conftest import CNIC, NAME, Instance, files_of, madad

# Rows a restore adds on arrival: its own record and its audit event.
ADDED_BY_RESTORE = {BackupRun._meta.db_table: 1, AuditEvent._meta.db_table: 1}


def _counts_of(path: Path) -> dict[str, int]:
    with database.sqlite_alias(path, "test_restored") as restored:
        return database.row_counts(restored)


def _expected(instance: Instance, restores: int = 1) -> dict[str, int]:
    """The counts at backup time, plus what each later restore added. (A backup records
    itself after its snapshot: a backup never holds its own record.)"""
    expected = dict(instance.counts)
    for table, rows in ADDED_BY_RESTORE.items():
        expected[table] += rows * restores
    return expected


def _audit_event_hash(path_or_alias: str, position: int) -> str:
    rows = AuditEvent.objects.using(path_or_alias).order_by("id").values_list("hash", flat=True)
    return rows[position - 1]


def _restore(var: Path, backup: Path, identity: Path, *extra: str, url: str = "") -> str:
    done = madad(
        var, "backup", "restore", str(backup), "--identity", str(identity), *extra, database_url=url
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_backup_wipe_restore_gives_the_same_rows_files_and_audit_chain(
    instance: Instance, identity: Path, tmp_path: Path
) -> None:
    run = services.create()
    backup = settings.BACKUP_DIR / run.file
    assert run.ok and backup.stat().st_mode & 0o077 == 0

    # the machine is lost: a new var/ with nothing in it, the same keys
    target = tmp_path / "new-machine"
    out = _restore(target, backup, identity)
    assert "Checked: database file hash; SQLite integrity check" in out

    restored = target / "madad.sqlite3"
    assert _counts_of(restored) == _expected(instance)
    assert files_of(target / "files") == instance.files
    verified = madad(target, "audit", "verify")
    assert verified.returncode == 0, verified.stderr
    with database.sqlite_alias(restored, "test_restored") as alias:
        position = instance.counts[AuditEvent._meta.db_table]
        assert _audit_event_hash(alias.alias, position) == instance.audit_head
        person = Person.objects.using(alias.alias).get(pk=instance.person.pk)
        assert (person.given_name, person.cnic) == (NAME, instance.person.cnic)  # decrypted


def test_a_non_empty_target_is_refused_and_left_as_it_was_unless_forced(
    instance: Instance, identity: Path, tmp_path: Path
) -> None:
    backup = settings.BACKUP_DIR / services.create().file
    target = tmp_path / "in-use"
    _restore(target, backup, identity)
    before = (target / "madad.sqlite3").read_bytes()

    again = madad(target, "backup", "restore", str(backup), "--identity", str(identity))
    assert again.returncode == 1
    assert "already holds an organisation's data" in again.stderr
    assert (target / "madad.sqlite3").read_bytes() == before

    _restore(target, backup, identity, "--force")
    assert _counts_of(target / "madad.sqlite3") == _expected(instance)
    assert files_of(target / "files") == instance.files


def test_the_stock_age_command_opens_a_backup(instance: Instance, identity: Path) -> None:
    backup = settings.BACKUP_DIR / services.create().file
    age = subprocess.run(  # noqa: S603
        ["/usr/bin/age", "--decrypt", "--identity", str(identity), str(backup)],
        capture_output=True,
        check=True,
    )
    listing = (
        subprocess.run(
            ["/usr/bin/tar", "-t"],
            input=age.stdout,
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .split()
    )
    assert listing[:2] == ["madad-backup.json", "database.sqlite3"]
    assert listing[-1] == "manifest.json"
    assert sorted(n.removeprefix("files/") for n in listing[2:-1]) == sorted(instance.files)


def test_the_backup_file_holds_nothing_readable(instance: Instance) -> None:
    data = (settings.BACKUP_DIR / services.create().file).read_bytes()
    assert data.startswith(b"age-encryption.org/v1")
    for needle in (
        NAME,
        CNIC,
        CNIC.replace("-", ""),
        "03991234567",
        "SQLite format 3",
        "madad-backup.json",
        "manifest.json",
    ):
        assert needle.encode() not in data, needle


# --- PostgreSQL ---------------------------------------------------------------------------------
def _postgres_url(name: str) -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{s['HOST']}:{s['PORT'] or 5432}/{name}"


@pytest.fixture
def new_postgres_database() -> Iterator[str]:
    """An empty PostgreSQL database on the test server, dropped afterwards."""
    name = f"madad_restore_{uuid.uuid4().hex[:12]}"
    admin = _postgres_url("postgres")
    with psycopg.connect(admin, autocommit=True) as db:
        db.execute(f'CREATE DATABASE "{name}"')
    yield _postgres_url(name)
    connections.close_all()
    with psycopg.connect(admin, autocommit=True) as db:
        db.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name]
        )
        db.execute(f'DROP DATABASE IF EXISTS "{name}"')


def _postgres_counts(url: str) -> dict[str, int]:
    with psycopg.connect(url) as db:
        counts = {}
        for model in database.tables():
            table = model._meta.db_table
            row = db.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()  # noqa: S608
            assert row is not None
            counts[table] = int(row[0])
        return counts


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL"), reason="PostgreSQL is tested when DATABASE_URL names one"
)
def test_from_postgresql_to_sqlite_and_from_sqlite_to_postgresql(
    instance: Instance, identity: Path, tmp_path: Path, new_postgres_database: str
) -> None:
    assert connection.vendor == "postgresql"
    from_postgresql = settings.BACKUP_DIR / services.create().file

    # PostgreSQL → SQLite: the organisation moves to one machine
    on_sqlite = tmp_path / "sqlite"
    _restore(on_sqlite, from_postgresql, identity)
    assert _counts_of(on_sqlite / "madad.sqlite3") == _expected(instance)
    assert files_of(on_sqlite / "files") == instance.files

    # ... backs up there, and outgrows it: SQLite → PostgreSQL
    made = madad(on_sqlite, "backup", "create")
    assert made.returncode == 0, made.stderr[-3000:]
    (from_sqlite,) = (on_sqlite / "backups").glob("madad-backup-*.tar.age")
    on_postgresql = tmp_path / "postgresql"
    _restore(on_postgresql, from_sqlite, identity, url=new_postgres_database)
    assert _postgres_counts(new_postgres_database) == _expected(instance, restores=2)
    assert files_of(on_postgresql / "files") == instance.files
    verified = madad(on_postgresql, "audit", "verify", database_url=new_postgres_database)
    assert verified.returncode == 0, verified.stderr

    # a forced restore over a PostgreSQL database in use replaces what it holds
    _restore(on_postgresql, from_postgresql, identity, "--force", url=new_postgres_database)
    assert _postgres_counts(new_postgres_database) == _expected(instance)
    shutil.rmtree(on_sqlite)
