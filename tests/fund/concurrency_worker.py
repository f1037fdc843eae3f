"""A separate OS process for the no-double-spend tests (tests/fund/test_concurrency.py).

    python -m tests.fund.concurrency_worker setup ITEMS AMOUNT FUNDS   → prints ids as JSON
    python -m tests.fund.concurrency_worker pay DIR USER EARMARK ACCOUNT ITEM
    python -m tests.fund.concurrency_worker ledger ORGANISATION          → prints the books

The database is the one the environment names (MADAD_SQLITE_PATH or DATABASE_URL), configured
as in production: for SQLite, WAL, IMMEDIATE transactions and a 20 s busy timeout.
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


def setup(items: int, amount: str, funds: str) -> dict[str, object]:
    """An organisation whose general fund holds `funds` PKR, and `items` approved items of
    `amount` PKR each."""
    from madad.accounts.models import Organisation
    from madad.accounts.roles import Role
    from tests.fund.factories import approved_assistance, books, give, staff

    organisation = Organisation.objects.create(
        name=f"Concurrency {time.time_ns()}", kind=Organisation.Kind.RELIEF
    )
    finance = staff(organisation, Role.FINANCE)
    kept = books(organisation, finance)
    give(finance, account=kept.pkr, earmark=kept.general, amount=funds)
    assistance = [approved_assistance(organisation, amount=amount).pk for _ in range(items)]
    return {
        "organisation": organisation.pk,
        "finance": finance.pk,
        "earmark": kept.general.pk,
        "account": kept.pkr.pk,
        "assistance": assistance,
    }


def pay(
    directory: str, user_id: int, earmark_id: int, account_id: int, item_id: int
) -> dict[str, object]:
    """Waits with the others at the starting line, then tries to pay the item."""
    from django.db import connection

    from madad.accounts.models import User
    from madad.assistance.models import Assistance
    from madad.core.refusals import Refused
    from madad.fund.models import Account, Earmark
    from madad.fund.services import disbursement_make

    user = User.objects.select_related("organisation").get(pk=user_id)
    earmark, account = Earmark.objects.get(pk=earmark_id), Account.objects.get(pk=account_id)
    item = Assistance.objects.select_related("case").get(pk=item_id)
    connection.close()  # start the race with a fresh connection, as a request would
    folder = Path(directory)
    (folder / f"ready-{os.getpid()}").touch()
    deadline = time.monotonic() + 60
    while not (folder / "go").exists():
        if time.monotonic() > deadline:
            return {"outcome": "error", "detail": "no start signal"}
        time.sleep(0.002)
    try:
        disbursement_make(
            made_by=user,
            assistance=item,
            earmark=earmark,
            account=account,
            method="bank_transfer",
            reference=f"TX-{os.getpid()}",
        )
    except Refused as refused:
        return {"outcome": "refused", "code": refused.code}
    except Exception as exc:  # reported to the test, which fails on it
        return {"outcome": "error", "detail": f"{type(exc).__name__}: {exc}"}
    return {"outcome": "paid"}


def ledger(organisation_id: int) -> dict[str, object]:
    from madad.fund.ledger import exact_sum, thousandths
    from madad.fund.models import Account, Disbursement, JournalLine

    lines = JournalLine.objects.filter(entry__organisation_id=organisation_id)
    money = lines.filter(account__kind__in=Account.MONEY_KINDS)
    per_entry = (
        lines.values("entry").annotate(total=exact_sum("base_amount")).exclude(total=0).count()
    )
    from django.db import connection

    journal_mode = ""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            journal_mode = cursor.fetchone()[0]
    return {
        "journal_mode": journal_mode,
        "total": str(thousandths(lines.aggregate(t=exact_sum("base_amount"))["t"])),
        "unbalanced_entries": per_entry,
        "money": str(thousandths(money.aggregate(t=exact_sum("amount"))["t"])),
        "disbursements": Disbursement.objects.filter(organisation_id=organisation_id).count(),
        "paid_items": sorted(
            Disbursement.objects.filter(organisation_id=organisation_id).values_list(
                "assistance_id", flat=True
            )
        ),
    }


def main(argv: list[str]) -> None:
    _setup_django()
    command, args = argv[0], argv[1:]
    if command == "setup":
        result = setup(int(args[0]), args[1], args[2])
    elif command == "pay":
        result = pay(args[0], *(int(a) for a in args[1:]))
    elif command == "ledger":
        result = ledger(int(args[0]))
    else:
        raise SystemExit(f"unknown command {command!r}")
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
