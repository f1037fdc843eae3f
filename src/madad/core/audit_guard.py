"""Database triggers that make the audit table append-only.

The application never updates or deletes an audit row; these triggers make the database itself
refuse to, so that a bug or a stolen application credential cannot rewrite history quietly.
Someone who can drop triggers can still tamper, which `madad audit verify` then reveals.
"""

from __future__ import annotations

from typing import Any

TABLE = "madad_audit_event"
MESSAGE = "audit events are append-only"

SQLITE_INSTALL = [
    f"CREATE TRIGGER IF NOT EXISTS madad_audit_no_update BEFORE UPDATE ON {TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;",
    f"CREATE TRIGGER IF NOT EXISTS madad_audit_no_delete BEFORE DELETE ON {TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;",
]
SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS madad_audit_no_update;",
    "DROP TRIGGER IF EXISTS madad_audit_no_delete;",
]
POSTGRES_INSTALL = [
    "CREATE OR REPLACE FUNCTION madad_audit_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ "
    f"BEGIN RAISE EXCEPTION '{MESSAGE}'; END; $$;",
    f"DROP TRIGGER IF EXISTS madad_audit_no_change ON {TABLE};",
    f"CREATE TRIGGER madad_audit_no_change BEFORE UPDATE OR DELETE ON {TABLE} "
    "FOR EACH ROW EXECUTE FUNCTION madad_audit_refuse();",
    f"DROP TRIGGER IF EXISTS madad_audit_no_truncate ON {TABLE};",
    f"CREATE TRIGGER madad_audit_no_truncate BEFORE TRUNCATE ON {TABLE} "
    "FOR EACH STATEMENT EXECUTE FUNCTION madad_audit_refuse();",
]
POSTGRES_REMOVE = [
    f"DROP TRIGGER IF EXISTS madad_audit_no_change ON {TABLE};",
    f"DROP TRIGGER IF EXISTS madad_audit_no_truncate ON {TABLE};",
]


def _statements(vendor: str, install: bool) -> list[str]:
    if vendor == "sqlite":
        return SQLITE_INSTALL if install else SQLITE_REMOVE
    if vendor == "postgresql":
        return POSTGRES_INSTALL if install else POSTGRES_REMOVE
    raise NotImplementedError(f"No audit guard for the {vendor} database.")


def install(connection: Any) -> None:
    with connection.cursor() as cursor:
        for sql in _statements(connection.vendor, install=True):
            cursor.execute(sql)


def remove(connection: Any) -> None:
    """Only for test teardown and deliberate maintenance: lifts the append-only guard."""
    with connection.cursor() as cursor:
        for sql in _statements(connection.vendor, install=False):
            cursor.execute(sql)
