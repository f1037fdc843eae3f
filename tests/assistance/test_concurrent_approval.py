"""Approving one assistance twice at the same moment, from two OS processes: one wins, the
other gets a clear conflict and writes nothing. On a file SQLite database configured like
settings.py, and on PostgreSQL when the tests run on it (DATABASE_URL)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from madad.accounts.models import Organisation, User
from madad.accounts.roles import Role
from madad.assistance.models import Assistance, Limit
from madad.core.models import AuditEvent
from tests.assistance.factories import make_assistance, make_case

ROOT = Path(__file__).resolve().parents[2]
ITEMS = 6


def _run(env: dict[str, str], *args: object) -> subprocess.Popen[str]:
    return subprocess.Popen(  # noqa: S603 - our own script, our own arguments
        [sys.executable, "-m", "tests.assistance.concurrent_approve", *map(str, args)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _race(
    env: dict[str, str], tmp_path: Path, items: list[int], approvers: list[int]
) -> list[list[dict[str, Any]]]:
    """Starts one process per approver, lets both read the items, then releases them at once."""
    go = tmp_path / "go"
    ready = [tmp_path / f"ready-{n}" for n in range(len(approvers))]
    processes = [
        _run(env, "approve", approver, ready[n], go, *items) for n, approver in enumerate(approvers)
    ]
    deadline = time.monotonic() + 60
    while not all(path.exists() for path in ready):
        assert time.monotonic() < deadline, [p.communicate() for p in processes]
        assert all(p.poll() is None for p in processes), [p.communicate() for p in processes]
        time.sleep(0.01)
    go.touch()
    outputs = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        outputs.append(json.loads(out.strip().splitlines()[-1]))
    return outputs


def _assert_one_winner_each(outputs: list[list[dict[str, Any]]], items: list[int]) -> None:
    for index, pk in enumerate(items):
        results = [output[index] for output in outputs]
        assert [r["id"] for r in results] == [pk, pk]
        assert sorted(r["result"] for r in results) == ["approved", "conflict"], results
        conflict = next(r for r in results if r["result"] == "conflict")
        assert "Somebody else approved this assistance" in conflict["message"]


def _sqlite_env(path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["MADAD_SQLITE_PATH"] = str(path)
    return env


def test_on_sqlite_one_approval_wins_and_the_other_is_a_clear_conflict(
    transactional_db: None, tmp_path: Path
) -> None:
    path = tmp_path / "madad.sqlite3"
    if connection.vendor == "sqlite":
        # A copy of the migrated (still empty) test database saves migrating a new one. Outside
        # any transaction (transactional_db): the in-memory test database is in shared-cache
        # mode, where a backup waits for the test's own open transaction forever.
        connection.ensure_connection()
        copy = sqlite3.connect(path)
        connection.connection.backup(copy)
        copy.close()
    env = _sqlite_env(path)
    setup = _run(env, "setup", ITEMS, "migrate" if connection.vendor != "sqlite" else "")
    out, err = setup.communicate(timeout=300)
    assert setup.returncode == 0, err
    made = json.loads(out.strip().splitlines()[-1])

    outputs = _race(env, tmp_path, made["items"], made["approvers"])

    _assert_one_winner_each(outputs, made["items"])
    db = sqlite3.connect(tmp_path / "madad.sqlite3")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    rows = db.execute(
        "SELECT status, version, approved_by_id FROM assistance_assistance ORDER BY id"
    ).fetchall()
    assert [(status, version) for status, version, _ in rows] == [("approved", 2)] * ITEMS
    assert {approver for *_, approver in rows} <= set(made["approvers"])
    approvals = db.execute(
        "SELECT COUNT(*) FROM madad_audit_event WHERE action = 'case.assistance.approved'"
    ).fetchone()[0]
    assert approvals == ITEMS
    db.close()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="runs when the tests run on PostgreSQL (DATABASE_URL)"
)
def test_on_postgresql_one_approval_wins_and_the_other_is_a_clear_conflict(
    transactional_db: None, relief_org: Organisation, tmp_path: Path
) -> None:
    caseworker = User.objects.create_user(
        email="cw@race.test", full_name="Caseworker", organisation=relief_org, role=Role.CASEWORKER
    )
    approvers = [
        User.objects.create_user(
            email=f"co{n}@race.test",
            full_name="Coordinator",
            organisation=relief_org,
            role=Role.COORDINATOR,
        )
        for n in (1, 2)
    ]
    Limit.objects.create(organisation=relief_org, kind="cash_grant", max_amount=50000)
    case = make_case(caseworker=caseworker)
    items = [
        make_assistance(case=case, requested_by=caseworker, amount="1000").pk for _ in range(ITEMS)
    ]
    db = connection.settings_dict
    env = dict(os.environ)
    # the test database pytest-django created (test_<name>), shared with the subprocesses
    env["DATABASE_URL"] = (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )

    outputs = _race(env, tmp_path, items, [a.pk for a in approvers])

    _assert_one_winner_each(outputs, items)
    rows = Assistance.objects.filter(pk__in=items)
    assert {(a.status, a.version) for a in rows} == {("approved", 2)}
    assert {a.approved_by_id for a in rows} <= {a.pk for a in approvers}
    assert AuditEvent.objects.filter(action="case.assistance.approved").count() == ITEMS
