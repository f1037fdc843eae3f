"""A separate OS process for the lockout race (tests/accounts/test_lockout_concurrency.py).

    python -m tests.accounts.lockout_worker setup              → prints the user's address
    python -m tests.accounts.lockout_worker race EMAIL THREADS → prints what each attempt got

The database is the one the environment names (MADAD_SQLITE_PATH or DATABASE_URL), configured
as in production. Each thread has its own database connection; all are released together.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "madad.settings")
    import django

    django.setup()


def setup() -> str:
    from madad.accounts.models import Organisation
    from madad.accounts.roles import Role
    from tests.factories import PASSWORD, UserFactory

    organisation = Organisation.objects.create(name=f"Lockout {time.time_ns()}", kind="relief")
    user = UserFactory.create(
        email=f"race{time.time_ns()}@test.madad",
        organisation=organisation,
        role=Role.DOCUMENTER,
        password=PASSWORD,
    )
    return str(user.email)


def race(email: str, threads: int) -> dict[str, object]:
    from django.db import connection

    from madad.accounts.tokens import token_issue
    from madad.core.models import AuditEvent
    from madad.core.refusals import Refused

    start = threading.Barrier(threads)
    outcomes: list[str] = []

    def attempt() -> None:
        try:
            start.wait()
            token_issue(email=email, password="wrong password guess", totp_code=None)
            outcomes.append("issued")
        except Refused as refused:
            outcomes.append(refused.code)
        except Exception as error:
            outcomes.append(f"error: {error!r}")
        finally:
            connection.close()

    workers = [threading.Thread(target=attempt) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    checked = AuditEvent.objects.filter(action="auth.signin.failed", actor_label=email).count()
    return {"outcomes": sorted(outcomes), "checked": checked}


if __name__ == "__main__":
    _setup_django()
    if sys.argv[1] == "setup":
        print(json.dumps(setup()))
    else:
        print(json.dumps(race(sys.argv[2], int(sys.argv[3]))))
