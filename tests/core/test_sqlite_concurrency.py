"""SQLite as Madad configures it (WAL, IMMEDIATE transactions, 20 s busy timeout) lets eight
processes write at once without "database is locked" and without breaking the audit chain.

One subprocess runs `madad.settings` against a file database in a temporary directory,
whatever database the rest of the suite uses (this is about SQLite, so DATABASE_URL is dropped).
It migrates the database, then forks eight writer processes, each with its own connection, which
start together and each run their transactions; then it checks the outcome.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

WRITERS = 8
TRANSACTIONS = 25

SCRIPT = """
import json, multiprocessing, sys
import django
django.setup()
from django.core.management import call_command
from django.db import OperationalError, connection, connections, transaction
from madad.accounts.services import organisation_create
from madad.core.audit import audit_verify
from madad.core.models import AuditEvent
from madad.people.models import Person
from madad.people.services import person_create

WRITERS, TRANSACTIONS = int(sys.argv[1]), int(sys.argv[2])
# the audit trail, persons, the keys saving a person updates, and what they depend on: all
# the writers need (the whole schema takes several times as long to build on a file database)
for app in ("core", "people", "households", "linkage"):
    call_command("migrate", app, interactive=False, verbosity=0)
organisation = organisation_create(name="Concurrency test", kind="relief")
connections.close_all()  # each writer opens its own connection

context = multiprocessing.get_context("fork")
start_together = context.Barrier(WRITERS)
outcomes = context.Queue()


def write(writer):
    start_together.wait()
    errors = []
    for n in range(TRANSACTIONS):
        try:
            with transaction.atomic():
                # read, then write on what was read: the pattern that fails in SQLite's
                # default (deferred) transactions once another process writes in between
                seen = Person.objects.filter(organisation=organisation).count()
                person_create(organisation=organisation, created_by=None,
                              given_name=f"writer {writer} person {n}", age=seen % 100)
        except OperationalError as error:
            errors.append(str(error))
    connections.close_all()
    outcomes.put(errors)


writers = [context.Process(target=write, args=(n,)) for n in range(WRITERS)]
for process in writers:
    process.start()
errors = [error for _ in writers for error in outcomes.get(timeout=300)]
for process in writers:
    process.join(timeout=60)

report = audit_verify()
with connection.cursor() as cursor:
    cursor.execute("PRAGMA journal_mode")
    journal = cursor.fetchone()[0]
print(json.dumps({
    "errors": errors, "exit_codes": [p.exitcode for p in writers], "journal": journal,
    "persons": Person.objects.count(),
    "created": AuditEvent.objects.filter(action="person.created").count(),
    "checked": report.checked, "first_broken_id": report.first_broken_id,
}))
"""


def test_eight_processes_write_at_once_without_lock_errors_or_a_broken_chain(
    tmp_path: Path,
) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("MADAD_") and k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "madad.settings",
        "MADAD_MODE": "development",
        "MADAD_VAR_DIR": str(tmp_path / "var"),
        "MADAD_SQLITE_PATH": str(tmp_path / "madad.sqlite3"),
    }
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", SCRIPT, str(WRITERS), str(TRANSACTIONS)],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "database is locked" not in done.stderr
    outcome = json.loads(done.stdout.strip().splitlines()[-1])

    written = WRITERS * TRANSACTIONS
    assert outcome["errors"] == []
    assert outcome["exit_codes"] == [0] * WRITERS
    assert outcome["journal"] == "wal"
    assert outcome["persons"] == written
    assert outcome["created"] == written
    assert outcome["first_broken_id"] is None
    assert outcome["checked"] > written  # the persons' events and the organisation's
