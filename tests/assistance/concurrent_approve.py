"""A separate OS process for tests/assistance/test_concurrent_approval.py.

    python -m tests.assistance.concurrent_approve setup <count> [migrate]
        (migrates and) fills the database named by the environment (MADAD_SQLITE_PATH or
        DATABASE_URL) with `count` requested items; prints {"items": [...], "approvers": [a, b]}.
    python -m tests.assistance.concurrent_approve approve <approver> <ready> <go> <ids...>
        reads the items (as a page showing them would), says it is ready by creating the file
        <ready>, waits for the file <go>, then approves each item; prints one result per item.

Only the environment says which database: the same code runs against a file SQLite database
configured like settings.py (WAL, IMMEDIATE transactions, 20 s timeout) and PostgreSQL.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "madad.settings")
    import django

    django.setup()


def setup(count: int, migrate: bool) -> dict[str, list[int]]:
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
    from madad.accounts.models import Organisation, User
    from madad.accounts.roles import Role
    from madad.assistance.models import Limit
    from tests.assistance.factories import make_assistance, make_case

    organisation = Organisation.objects.create(name="Concurrency Relief", kind="relief")

    def user(role: str, n: int) -> User:
        return User.objects.create_user(
            email=f"{role}{n}@concurrency.test",
            full_name=role,
            organisation=organisation,
            role=role,
        )

    caseworker = user(Role.CASEWORKER, 1)
    approvers = [user(Role.COORDINATOR, 1), user(Role.COORDINATOR, 2)]
    Limit.objects.create(organisation=organisation, kind="cash_grant", max_amount=50000)
    case = make_case(caseworker=caseworker)
    items = [
        make_assistance(case=case, requested_by=caseworker, amount="1000").pk for _ in range(count)
    ]
    return {"items": items, "approvers": [a.pk for a in approvers]}


def approve(approver_id: int, ready: Path, go: Path, ids: list[int]) -> list[dict[str, int | str]]:
    from madad.accounts.models import User
    from madad.assistance.models import Assistance
    from madad.assistance.services import assistance_approve
    from madad.core.refusals import Conflict

    approver = User.objects.get(pk=approver_id)
    # read before the barrier: both processes saw every item as "requested", version 1
    items = [Assistance.objects.select_related("case").get(pk=pk) for pk in ids]
    ready.touch()
    deadline = time.monotonic() + 60
    while not go.exists():
        if time.monotonic() > deadline:
            raise SystemExit("no go signal")
        time.sleep(0.001)
    results: list[dict[str, int | str]] = []
    for item in items:
        try:
            assistance_approve(assistance=item, approver=approver)
        except Conflict as exc:
            results.append({"id": item.pk, "result": "conflict", "message": exc.message})
        else:
            results.append({"id": item.pk, "result": "approved"})
    return results


def main(argv: list[str]) -> None:
    _setup_django()
    if argv[0] == "setup":
        print(json.dumps(setup(int(argv[1]), migrate="migrate" in argv[2:])))
    elif argv[0] == "approve":
        print(
            json.dumps(
                approve(int(argv[1]), Path(argv[2]), Path(argv[3]), [int(pk) for pk in argv[4:]])
            )
        )
    else:
        raise SystemExit(f"unknown command {argv[0]!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
