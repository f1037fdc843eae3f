"""Tables the database itself keeps append-only: the audit trail, the ledger, custody logs,
consent records.

The services never update or delete such rows; triggers make the database refuse it too, so
that neither a bug nor a stolen application credential can rewrite history quietly. Someone who
can drop triggers still can; the audit chain (`madad audit verify`) then shows it.

A model's app declares its table once (`protect(...)` in its models module) and installs the
triggers in a migration (`Install("table")`); the test suite lifts them only to empty tables
between transactional tests (`registered()`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import migrations

_FUNCTION = "madad_append_only_refuse"


@dataclass(frozen=True)
class AppendOnly:
    table: str
    message: str
    # whether TRUNCATE is refused too (PostgreSQL only; SQLite has no TRUNCATE)
    refuse_truncate: bool = False
    # columns an UPDATE may still set: the pointer to a person, which a merge of two records of
    # one human (and its undo) moves; every other column stays as it was written
    movable: tuple[str, ...] = ()

    def statements(self, vendor: str, *, install: bool, columns: tuple[str, ...] = ()) -> list[str]:
        """The SQL that installs (or removes) the guard; `columns` are the table's columns,
        needed only when some are movable."""
        message = self.message.replace("'", "''")
        update = "UPDATE"
        if self.movable and install:
            fixed = [c for c in columns if c not in self.movable]
            if not fixed:
                raise ValueError(f"{self.table}: no columns to guard (give the table's columns)")
            update = "UPDATE OF " + ", ".join(fixed)
        if vendor == "sqlite":
            names = [
                (f"{self.table}_no_{event.split()[0].lower()}", event)
                for event in (update, "DELETE")
            ]
            drops = [f"DROP TRIGGER IF EXISTS {name};" for name, _event in names]
            if not install:
                return drops
            return drops + [
                f"CREATE TRIGGER {name} BEFORE {event} ON {self.table} "
                f"BEGIN SELECT RAISE(ABORT, '{message}'); END;"
                for name, event in names
            ]
        if vendor == "postgresql":
            statements = [
                f"DROP TRIGGER IF EXISTS {self.table}_no_change ON {self.table};",
                f"DROP TRIGGER IF EXISTS {self.table}_no_truncate ON {self.table};",
            ]
            if not install:
                return statements
            statements += [
                f"CREATE OR REPLACE FUNCTION {_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN RAISE EXCEPTION '%', TG_ARGV[0]; END; $$;",
                f"CREATE TRIGGER {self.table}_no_change BEFORE {update} OR DELETE ON {self.table} "
                f"FOR EACH ROW EXECUTE FUNCTION {_FUNCTION}('{message}');",
            ]
            if self.refuse_truncate:
                statements.append(
                    f"CREATE TRIGGER {self.table}_no_truncate BEFORE TRUNCATE ON {self.table} "
                    f"FOR EACH STATEMENT EXECUTE FUNCTION {_FUNCTION}('{message}');"
                )
            return statements
        raise NotImplementedError(f"No append-only guard for the {vendor} database.")

    def install(self, connection: Any) -> None:
        with connection.cursor() as cursor:
            columns: tuple[str, ...] = ()
            if self.movable:
                description = connection.introspection.get_table_description(cursor, self.table)
                columns = tuple(column.name for column in description)
            for sql in self.statements(connection.vendor, install=True, columns=columns):
                cursor.execute(sql)

    def remove(self, connection: Any) -> None:
        """Only for test teardown and deliberate maintenance: lifts the guard."""
        with connection.cursor() as cursor:
            for sql in self.statements(connection.vendor, install=False):
                cursor.execute(sql)


_REGISTRY: dict[str, AppendOnly] = {}


def protect(
    table: str, *, message: str, refuse_truncate: bool = False, movable: tuple[str, ...] = ()
) -> AppendOnly:
    """Declares `table` append-only (called from the owning app's models module). A migration
    that adds a column to a table with movable columns installs the guard again."""
    guard = AppendOnly(table, message, refuse_truncate, movable)
    _REGISTRY[table] = guard
    return guard


def registered() -> list[AppendOnly]:
    return list(_REGISTRY.values())


def registered_guard(table: str) -> AppendOnly:
    try:
        return _REGISTRY[table]
    except KeyError:
        raise LookupError(f"{table} is not declared append-only (append_only.protect)") from None


class Install(migrations.RunPython):
    """A migration operation installing the guard of a declared table (reversible)."""

    def __init__(self, table: str) -> None:
        def forward(apps: Any, schema_editor: Any) -> None:
            registered_guard(table).install(schema_editor.connection)

        def backward(apps: Any, schema_editor: Any) -> None:
            registered_guard(table).remove(schema_editor.connection)

        super().__init__(forward, backward, elidable=False)
