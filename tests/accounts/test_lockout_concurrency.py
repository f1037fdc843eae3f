"""Sixteen wrong passwords at once never get more than the limit (six) checked.

Real concurrency against the database: a separate process (tests/accounts/lockout_worker.py)
sends sixteen API sign-ins from sixteen threads, each with its own connection, released
together. On SQLite the database file is configured as in production (WAL, IMMEDIATE
transactions, busy timeout); on PostgreSQL, when DATABASE_URL is set, it is the test database.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
THREADS = 16
LIMIT = 6


def _worker(env: dict[str, str], *args: str) -> Any:
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "tests.accounts.lockout_worker", *args],
        cwd=ROOT,
        env={**env, "MADAD_LOCKOUT_ATTEMPTS": str(LIMIT)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def _check_the_race(env: dict[str, str]) -> None:
    email = _worker(env, "setup")
    result = _worker(env, "race", email, str(THREADS))
    outcomes = result["outcomes"]
    assert not [o for o in outcomes if o.startswith("error")], outcomes
    assert result["checked"] == LIMIT
    assert outcomes.count("invalid_credentials") == LIMIT
    assert outcomes.count("locked") == THREADS - LIMIT


def test_sixteen_wrong_passwords_at_once_check_six_on_sqlite(tmp_path: Path) -> None:
    env = {**os.environ, "MADAD_SQLITE_PATH": str(tmp_path / "madad.sqlite3")}
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
    _check_the_race(env)


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL"), reason="PostgreSQL is tested when DATABASE_URL names one"
)
def test_sixteen_wrong_passwords_at_once_check_six_on_postgresql(transactional_db: None) -> None:
    assert connection.vendor == "postgresql"
    settings = connection.settings_dict
    url = (
        f"postgres://{settings['USER']}:{settings['PASSWORD'] or ''}@{settings['HOST']}:"
        f"{settings['PORT'] or 5432}/{settings['NAME']}"
    )
    _check_the_race({**os.environ, "DATABASE_URL": url})
