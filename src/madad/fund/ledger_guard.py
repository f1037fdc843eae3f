"""Database triggers that make the ledger append-only.

The services never update or delete a journal entry or line: a correction is a reversal. These
triggers make the database refuse it too, so that no bug and no stray SQL can rewrite the books
quietly. TRUNCATE is left to the database owner (PostgreSQL row triggers do not see it; tests
empty their tables with it).
"""

from __future__ import annotations

from typing import Any

TABLES = ("fund_journalentry", "fund_journalline")
MESSAGE = "ledger entries are append-only: correct them with a reversal"


def _sqlite(install: bool) -> list[str]:
    statements = []
    for table in TABLES:
        for event in ("UPDATE", "DELETE"):
            name = f"{table}_no_{event.lower()}"
            if install:
                statements.append(
                    f"CREATE TRIGGER IF NOT EXISTS {name} BEFORE {event} ON "
                    f"{table} BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;"
                )
            else:
                statements.append(f"DROP TRIGGER IF EXISTS {name};")
    return statements


def _postgres(install: bool) -> list[str]:
    statements = []
    if install:
        statements.append(
            "CREATE OR REPLACE FUNCTION madad_fund_refuse() RETURNS trigger LANGUAGE plpgsql "
            f"AS $$ BEGIN RAISE EXCEPTION '{MESSAGE}'; END; $$;"
        )
    for table in TABLES:
        statements.append(f"DROP TRIGGER IF EXISTS {table}_no_change ON {table};")
        if install:
            statements.append(
                f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON "
                f"{table} FOR EACH ROW EXECUTE FUNCTION madad_fund_refuse();"
            )
    return statements


def _statements(vendor: str, install: bool) -> list[str]:
    if vendor == "sqlite":
        return _sqlite(install)
    if vendor == "postgresql":
        return _postgres(install)
    raise NotImplementedError(f"No ledger guard for the {vendor} database.")


def install(connection: Any) -> None:
    with connection.cursor() as cursor:
        for sql in _statements(connection.vendor, install=True):
            cursor.execute(sql)


def remove(connection: Any) -> None:
    """Only for test teardown and deliberate maintenance: lifts the append-only guard."""
    with connection.cursor() as cursor:
        for sql in _statements(connection.vendor, install=False):
            cursor.execute(sql)
