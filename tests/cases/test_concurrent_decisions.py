"""Two coordinators decide the same request at the same moment: exactly one decision is stored
and performed, the other is told clearly that it was already decided.

On PostgreSQL two threads of the test process race, each with its own connection. SQLite's
test database is an in-memory one shared between connections, whose table locks do not wait;
so for SQLite two forked *processes* race on a file database configured as Madad configures
it (WAL, IMMEDIATE transactions), whatever database the rest of the suite uses.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from django.db import connection, connections

from madad.accounts.models import Organisation, User
from madad.accounts.roles import Role
from madad.cases import services
from madad.cases.models import ApprovalRequest, Case, StatusChange
from madad.core.refusals import Conflict
from tests.cases.factories import open_case
from tests.factories import OrganisationFactory, UserFactory


def _race(calls: list[Callable[[], object]]) -> list[object]:
    """Runs the calls in threads (each with its own database connection) released together;
    returns what each returned or raised."""
    start = threading.Barrier(len(calls))
    outcomes: list[object] = [None] * len(calls)

    def run(index: int) -> None:
        start.wait()
        try:
            outcomes[index] = calls[index]()
        except Exception as error:  # the outcome, whatever it is, is what the test looks at
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def _people() -> tuple[User, User, User]:
    organisation: Organisation = OrganisationFactory.create()
    return (
        UserFactory.create(role=Role.CASEWORKER, organisation=organisation),
        UserFactory.create(role=Role.COORDINATOR, organisation=organisation),
        UserFactory.create(role=Role.COORDINATOR, organisation=organisation),
    )


def _decide(approval_id: int, user: User, approve: bool) -> ApprovalRequest:
    return services.approval_decide(
        approval=ApprovalRequest.objects.get(pk=approval_id),
        decided_by=user,
        approve=approve,
        reason="" if approve else "Not yet.",
    )


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="threads share SQLite's in-memory test database; see the process test below",
)
@pytest.mark.parametrize("second_approves", [True, False])
def test_two_coordinators_deciding_at_once_on_postgresql_store_one_decision(
    transactional_db: None, second_approves: bool
) -> None:
    caseworker, first, second = _people()
    case = open_case(caseworker=caseworker)
    approval = services.approval_request(case=case, kind="close", requested_by=caseworker)
    outcomes = _race(
        [
            lambda: _decide(approval.pk, first, True),
            lambda: _decide(approval.pk, second, second_approves),
        ]
    )
    won = [o for o in outcomes if isinstance(o, ApprovalRequest)]
    lost = [o for o in outcomes if isinstance(o, Conflict)]
    assert len(won) == 1 and len(lost) == 1, outcomes
    assert lost[0].code == "already_decided"
    stored = ApprovalRequest.objects.get(pk=approval.pk)
    closed = Case.objects.get(pk=case.pk).status == "closed"
    assert (stored.decision == "approved") == closed
    assert StatusChange.objects.filter(case=case, to_status="closed").count() == int(closed)


SCRIPT = """
import json, multiprocessing
import django
django.setup()
from django.core.management import call_command
from django.db import connections
from madad.accounts.models import User
from madad.accounts.services import organisation_create
from madad.cases import services
from madad.core.refusals import Conflict
from madad.cases.models import ApprovalRequest, Case, StatusChange
from madad.households.services import household_create
from madad.people.services import person_create

for app in ("core", "cases", "households", "linkage"):
    call_command("migrate", app, interactive=False, verbosity=0)
organisation = organisation_create(name="Race", kind="relief")
def user(n, role):
    return User.objects.create_user(email=f"{n}@race.test", full_name=n, role=role,
                                    organisation=organisation)
worker, first, second = user("w", "caseworker"), user("a", "coordinator"), user("b", "coordinator")
head = person_create(organisation=organisation, created_by=worker, given_name="Head")
household = household_create(organisation=organisation, created_by=worker,
                             members=[{"person": head, "relation": "head"}])
case = services.case_open(household=household, caseworker=worker, opened_by=worker)
approval = services.approval_request(case=case, kind="close", requested_by=worker)
connections.close_all()

context = multiprocessing.get_context("fork")
start_together = context.Barrier(2)
outcomes = context.Queue()

def decide(coordinator_id):
    start_together.wait()
    try:
        services.approval_decide(approval=ApprovalRequest.objects.get(pk=approval.pk),
                                 decided_by=User.objects.get(pk=coordinator_id), approve=True)
        outcomes.put("approved")
    except Conflict as refused:
        outcomes.put(refused.code)
    except Exception as error:
        outcomes.put(repr(error))
    connections.close_all()

processes = [context.Process(target=decide, args=(u.pk,)) for u in (first, second)]
for process in processes:
    process.start()
results = sorted(outcomes.get(timeout=120) for _ in processes)
for process in processes:
    process.join(timeout=60)
print(json.dumps({
    "results": results,
    "decision": ApprovalRequest.objects.get(pk=approval.pk).decision,
    "status": Case.objects.get(pk=case.pk).status,
    "closings": StatusChange.objects.filter(case=case, to_status="closed").count(),
}))
"""


def test_two_processes_deciding_at_once_on_sqlite_store_one_decision(tmp_path: Path) -> None:
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
        [sys.executable, "-c", SCRIPT],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    outcome = json.loads(done.stdout.strip().splitlines()[-1])
    assert outcome == {
        "results": ["already_decided", "approved"],
        "decision": "approved",
        "status": "closed",
        "closings": 1,
    }
