"""SQLite as Madad configures it (WAL, IMMEDIATE transactions, 20 s busy timeout) lets eight
processes write at once without "database is locked" and without breaking the audit chain.

The processes run `madad.settings` against a file database in a temporary directory, whatever
database the rest of the suite uses: this is about SQLite, so DATABASE_URL is dropped.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

WRITERS = 8
TRANSACTIONS = 25

WRITER = """
import json, os, sys, time
import django
django.setup()
from django.db import OperationalError, transaction
from madad.accounts.models import Organisation
from madad.people.models import Person
from madad.people.services import person_create

writer, organisation_id, rendezvous, transactions = sys.argv[1:5]
organisation = Organisation.objects.get(pk=int(organisation_id))
Path = __import__("pathlib").Path
Path(rendezvous, f"ready-{writer}").touch()
while not Path(rendezvous, "go").exists():
    time.sleep(0.01)
errors = []
for n in range(int(transactions)):
    try:
        with transaction.atomic():
            # read, then write on what was read: the pattern that fails in SQLite's default
            # (deferred) transactions once another process writes in between
            seen = Person.objects.filter(organisation=organisation).count()
            person_create(organisation=organisation, created_by=None,
                          given_name=f"writer {writer} person {n}", age=seen % 100)
    except OperationalError as error:
        errors.append(str(error))
print(json.dumps({"errors": errors}))
"""

SET_UP = """
import json
import django
django.setup()
from madad.accounts.services import organisation_create
print(json.dumps(organisation_create(name="Concurrency test", kind="relief").pk))
"""

CHECK = """
import json
import django
django.setup()
from django.db import connection
from madad.core.audit import audit_verify
from madad.core.models import AuditEvent
from madad.people.models import Person
report = audit_verify()
with connection.cursor() as cursor:
    cursor.execute("PRAGMA journal_mode")
    journal = cursor.fetchone()[0]
print(json.dumps({"persons": Person.objects.count(), "journal": journal,
                  "created": AuditEvent.objects.filter(action="person.created").count(),
                  "checked": report.checked, "first_broken_id": report.first_broken_id}))
"""


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("MADAD_") and k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    return env | {"DJANGO_SETTINGS_MODULE": "madad.settings", "MADAD_MODE": "development",
                  "MADAD_VAR_DIR": str(tmp_path / "var"),
                  "MADAD_SQLITE_PATH": str(tmp_path / "madad.sqlite3")}


def _run(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([sys.executable, *args], env=env, capture_output=True,  # noqa: S603
                          text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _wait_for(paths: list[Path], writers: list[subprocess.Popen]) -> None:
    """Waits until every writer is set up (or one has died), so that all start together."""
    deadline = time.monotonic() + 120  # a guard against a hung test, not a measurement
    while not all(p.exists() for p in paths):
        assert all(w.poll() is None for w in writers), "a writer died while starting"
        assert time.monotonic() < deadline, "the writers did not start"
        time.sleep(0.05)


def test_eight_processes_write_at_once_without_lock_errors_or_a_broken_chain(
    tmp_path: Path,
) -> None:
    env = _env(tmp_path)
    # the audit trail, persons and what they depend on: all the writers need (the whole schema
    # would take several times as long to build on a file database)
    for app in ("core", "people"):
        _run(env, "-m", "madad.manage", "migrate", app, "--no-input", "--verbosity", "0")
    organisation_id = json.loads(_run(env, "-c", SET_UP))
    rendezvous = tmp_path / "rendezvous"
    rendezvous.mkdir()

    writers = [
        subprocess.Popen(  # noqa: S603
            [sys.executable, "-c", WRITER, str(n), str(organisation_id), str(rendezvous),
             str(TRANSACTIONS)],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for n in range(WRITERS)
    ]
    try:
        _wait_for([rendezvous / f"ready-{n}" for n in range(WRITERS)], writers)
        (rendezvous / "go").touch()
        results = [w.communicate(timeout=300) for w in writers]
    finally:
        for w in writers:
            if w.poll() is None:
                w.kill()

    for writer, (stdout, stderr) in zip(writers, results, strict=True):
        assert writer.returncode == 0, stderr
        assert "database is locked" not in stderr
        assert json.loads(stdout.strip().splitlines()[-1]) == {"errors": []}

    outcome = json.loads(_run(env, "-c", CHECK))
    written = WRITERS * TRANSACTIONS
    assert outcome["journal"] == "wal"
    assert outcome["persons"] == written
    assert outcome["created"] == written
    assert outcome["first_broken_id"] is None
    assert outcome["checked"] > written  # the persons' events and the organisation's
