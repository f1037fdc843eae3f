"""Eight processes disbursing at once never spend the same money twice.

Real OS processes (tests/fund/concurrency_worker.py), each with its own connection, released
together from a starting line. On SQLite they share a database file configured as in
production (WAL, IMMEDIATE transactions, 20 s busy timeout); on PostgreSQL, when DATABASE_URL
is set, they share the test database.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 8


def _run(env: dict[str, str], *args: str) -> dict[str, Any]:
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "tests.fund.concurrency_worker", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert isinstance(result, dict), result
    return result


def _race(
    env: dict[str, str], folder: Path, ids: dict[str, Any], items: list[int]
) -> list[dict[str, Any]]:
    """Starts one process per item, waits until all are connected and ready, then lets them
    go at once."""
    folder.mkdir()
    processes = [
        subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "tests.fund.concurrency_worker",
                "pay",
                str(folder),
                str(ids["finance"]),
                str(ids["earmark"]),
                str(ids["account"]),
                str(item),
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for item in items
    ]
    deadline = time.monotonic() + 90
    while len(list(folder.glob("ready-*"))) < len(items):
        assert time.monotonic() < deadline, "the workers did not get ready"
        assert all(p.poll() is None for p in processes), [p.communicate() for p in processes]
        time.sleep(0.01)
    (folder / "go").touch()
    outcomes = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err[-3000:]
        outcomes.append(json.loads(out.strip().splitlines()[-1]))
    return outcomes


def _check_no_double_spend(env: dict[str, str], tmp_path: Path) -> dict[str, Any]:
    # the general fund holds 5,000 PKR; eight approved items of 1,000 each compete for it
    ids = _run(env, "setup", str(WORKERS), "1000", "5000")
    outcomes = _race(env, tmp_path / "different-items", ids, ids["assistance"])
    assert [o for o in outcomes if o["outcome"] == "error"] == []
    assert sum(o["outcome"] == "paid" for o in outcomes) == 5
    assert {o.get("code") for o in outcomes if o["outcome"] == "refused"} == {"insufficient_funds"}
    books = _run(env, "ledger", str(ids["organisation"]))
    assert Decimal(books["money"]) == 0
    assert Decimal(books["total"]) == 0 and books["unbalanced_entries"] == 0
    assert books["disbursements"] == 5

    # eight processes paying the same item: one pays it
    ids = _run(env, "setup", "1", "1000", "50000")
    outcomes = _race(env, tmp_path / "same-item", ids, ids["assistance"] * WORKERS)
    assert [o for o in outcomes if o["outcome"] == "error"] == []
    assert sum(o["outcome"] == "paid" for o in outcomes) == 1
    assert {o.get("code") for o in outcomes if o["outcome"] == "refused"} == {"already_paid"}
    books = _run(env, "ledger", str(ids["organisation"]))
    assert Decimal(books["money"]) == Decimal(49000)
    assert books["paid_items"] == ids["assistance"]
    return books


@pytest.fixture(scope="module")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database file with every migration applied, copied for each test."""
    path = tmp_path_factory.mktemp("sqlite") / "template.sqlite3"
    env = {**os.environ, "MADAD_SQLITE_PATH": str(path)}
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "madad.manage", "migrate", "-v0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return path


def test_eight_processes_never_spend_the_same_money_twice_on_sqlite(
    migrated_sqlite: Path, tmp_path: Path
) -> None:
    path = tmp_path / "madad.sqlite3"
    shutil.copy(migrated_sqlite, path)
    env = {**os.environ, "MADAD_SQLITE_PATH": str(path)}
    env.pop("DATABASE_URL", None)
    books = _check_no_double_spend(env, tmp_path)
    assert books["journal_mode"] == "wal"  # as in production


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL"), reason="PostgreSQL is tested when DATABASE_URL names one"
)
def test_eight_processes_never_spend_the_same_money_twice_on_postgresql(
    transactional_db: None, tmp_path: Path
) -> None:
    assert connection.vendor == "postgresql"
    settings = connection.settings_dict
    url = (
        f"postgres://{settings['USER']}:{settings['PASSWORD'] or ''}@{settings['HOST']}:"
        f"{settings['PORT'] or 5432}/{settings['NAME']}"
    )
    _check_no_double_spend({**os.environ, "DATABASE_URL": url}, tmp_path)
