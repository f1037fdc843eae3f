"""The database part of a backup: always a SQLite file, whatever the running database is.

- On SQLite the file is taken with SQLite's online backup API: consistent while Madad runs.
- On PostgreSQL the rows are copied, inside one REPEATABLE READ READ ONLY transaction (one
  consistent snapshot), into a fresh SQLite database built by Madad's own migrations.

So every backup restores into either engine by one path: a SQLite target takes the file as it
is; a PostgreSQL target gets the rows copied into it in one transaction. That is also the way
an organisation moves from one machine's SQLite to PostgreSQL (and back).

Rows are copied as stored: encrypted fields keep their ciphertext (nothing is decrypted on the
way); other values pass through Django's own conversions for each engine (booleans, dates,
JSON, UUIDs).
"""

from __future__ import annotations

import contextlib
import hashlib
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.utils import load_backend

from madad.accounts.models import Organisation, User
from madad.backup.manifest import known_migrations
from madad.core.fields import EncryptedTextField
from madad.core.models import AuditEvent

BATCH = 2000
Progress = Callable[[str, int], None]


def tables() -> list[type[models.Model]]:
    """Every model with a table of its own, parents before the children that point at them
    (the order rows can be inserted in even where constraints are not deferred)."""
    found = [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy
    ]
    ordered: list[type[models.Model]] = []
    placed: set[type[models.Model]] = set()

    def place(model: type[models.Model], path: frozenset[type[models.Model]]) -> None:
        if model in placed or model in path:
            return
        for field in model._meta.local_concrete_fields:
            target = field.related_model if field.is_relation else None
            if isinstance(target, type) and target is not model and target in found:
                place(target, path | {model})
        placed.add(model)
        ordered.append(model)

    for model in sorted(found, key=lambda m: m._meta.db_table):
        place(model, frozenset())
    return ordered


@contextlib.contextmanager
def sqlite_alias(path: Path, alias: str) -> Iterator[BaseDatabaseWrapper]:
    """A Django connection to another SQLite file for the time of the block: the ORM, the
    migrations and transactions reach it by `alias`, but it is not one of the configured
    databases (nothing iterating over them ever meets it)."""
    wanted = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "OPTIONS": {"init_command": "PRAGMA foreign_keys=ON;"},
    }
    configured = connections.configure_settings(
        {DEFAULT_DB_ALIAS: connections.settings[DEFAULT_DB_ALIAS], alias: wanted}
    )[alias]
    wrapper = load_backend("django.db.backends.sqlite3").DatabaseWrapper(configured, alias)
    # Django keeps each thread's open connections here; no public call adds one that is not
    # in settings.DATABASES.
    opened = getattr(connections, "_connections")  # noqa: B009
    setattr(opened, alias, wrapper)
    try:
        yield wrapper
    finally:
        wrapper.close()
        with contextlib.suppress(AttributeError):
            delattr(opened, alias)


def snapshot(to: Path, *, progress: Progress | None = None) -> None:
    """Writes a consistent copy of the running database to `to` (a new SQLite file)."""
    source = connections[DEFAULT_DB_ALIAS]
    if source.vendor == "sqlite":
        source.ensure_connection()
        copy = sqlite3.connect(to)
        try:
            source.connection.backup(copy)
        finally:
            copy.close()
        return
    shutil.copyfile(_schema(to.parent), to)
    with (
        sqlite_alias(to, "madad_backup_snapshot") as target,
        transaction.atomic(using=source.alias),
    ):
        with source.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        copy_rows(source, target, progress=progress)


def _schema(work: Path) -> Path:
    """An empty SQLite database built by this Madad's migrations (tables, indexes, append-only
    triggers). Migrating takes tens of seconds, so it is built once per set of migrations and
    kept under var/."""
    digest = hashlib.sha256("\n".join(sorted(known_migrations())).encode()).hexdigest()[:16]
    kept = Path(settings.VAR_DIR) / "tmp" / f"schema-{digest}.sqlite3"
    if kept.exists():
        return kept
    kept.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    building = work / "schema.sqlite3"
    with sqlite_alias(building, "madad_backup_schema") as schema:
        call_command("migrate", database=schema.alias, verbosity=0, interactive=False)
    building.replace(kept)
    return kept


def copy_rows(
    source: BaseDatabaseWrapper, target: BaseDatabaseWrapper, *, progress: Progress | None = None
) -> dict[str, int]:
    """Copies every table's rows from one connection to another, in one transaction of the
    target: the target's own rows (those its migrations seeded) are replaced, and it either
    holds all the source's rows or, on any error, is left as it was."""
    copied: dict[str, int] = {}
    ordered = tables()
    with transaction.atomic(using=target.alias):
        with target.cursor() as cursor:
            for model in reversed(ordered):
                cursor.execute(f"DELETE FROM {target.ops.quote_name(model._meta.db_table)}")
        for model in ordered:
            copied[model._meta.db_table] = _copy_table(model, source, target, progress)
        if target.vendor == "postgresql":
            with target.cursor() as cursor:
                for statement in target.ops.sequence_reset_sql(no_style(), ordered):
                    cursor.execute(statement)
    return copied


def _copy_table(
    model: type[models.Model],
    source: BaseDatabaseWrapper,
    target: BaseDatabaseWrapper,
    progress: Progress | None,
) -> int:
    table = model._meta.db_table
    fields = list(model._meta.local_concrete_fields)
    columns = ", ".join(source.ops.quote_name(f.column) for f in fields)
    read = [_reader(f, model, source) for f in fields]
    write = [_writer(f, target) for f in fields]
    insert = (
        f"INSERT INTO {target.ops.quote_name(table)} "
        f"({', '.join(target.ops.quote_name(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    pk = source.ops.quote_name(model._meta.pk.column) if model._meta.pk else "1"
    count = 0
    with source.chunked_cursor() as reader, target.cursor() as writer:
        reader.execute(f"SELECT {columns} FROM {source.ops.quote_name(table)} ORDER BY {pk}")
        while rows := reader.fetchmany(BATCH):
            converted = [
                [w(r(value)) for r, w, value in zip(read, write, row, strict=True)] for row in rows
            ]
            if target.vendor == "postgresql":
                # COPY: several times faster than INSERTs for a whole database's rows
                copy_sql = insert.split(" VALUES ")[0].replace("INSERT INTO", "COPY", 1)
                with writer.cursor.copy(f"{copy_sql} FROM STDIN") as copy:
                    for values in converted:
                        copy.write_row(values)
            else:
                writer.executemany(insert, converted)
            count += len(rows)
            if progress:
                progress(table, count)
    return count


def _stored(field: models.Field[Any, Any]) -> bool:
    """Copied exactly as stored: an encrypted field's ciphertext is never decrypted here."""
    return isinstance(field, EncryptedTextField)


def _reader(
    field: models.Field[Any, Any], model: type[models.Model], source: BaseDatabaseWrapper
) -> Callable[[Any], Any]:
    col = field.get_col(model._meta.db_table)
    converters = list(source.ops.get_db_converters(col))
    if not _stored(field) and hasattr(field, "from_db_value"):
        converters.append(field.from_db_value)

    def read(value: Any) -> Any:
        for convert in converters:
            value = convert(value, col, source)
        return value

    return read


def _writer(field: models.Field[Any, Any], target: BaseDatabaseWrapper) -> Callable[[Any], Any]:
    if _stored(field):
        return lambda value: value
    return lambda value: field.get_db_prep_save(value, connection=target)


def row_counts(connection: BaseDatabaseWrapper) -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for model in tables():
            table = model._meta.db_table
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = int(cursor.fetchone()[0])
    return counts


def applied_migrations(connection: BaseDatabaseWrapper) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        return [f"{app}.{name}" for app, name in cursor.fetchall()]


def integrity_problems(path: Path) -> list[str]:
    """SQLite's own check of the file: [] when it is sound."""
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as error:
        return [str(error)]
    try:
        rows = db.execute("PRAGMA integrity_check").fetchall()
        rows += [(f"foreign key: {r}",) for r in db.execute("PRAGMA foreign_key_check")]
    except sqlite3.Error as error:
        return [str(error)]
    finally:
        db.close()
    problems = [str(r[0]) for r in rows]
    return [] if problems == ["ok"] else problems


def encrypted_samples(connection: BaseDatabaseWrapper, per_column: int = 5) -> Iterator[str]:
    """A few stored ciphertexts of every encrypted column, to check that the running field
    keys can read a backup before it replaces anything."""
    with connection.cursor() as cursor:
        for model in tables():
            for field in model._meta.local_concrete_fields:
                if not _stored(field):
                    continue
                column = connection.ops.quote_name(field.column)
                cursor.execute(
                    f"SELECT {column} FROM {connection.ops.quote_name(model._meta.db_table)} "
                    f"WHERE {column} IS NOT NULL AND {column} <> '' LIMIT {int(per_column)}"
                )
                yield from (row[0] for row in cursor.fetchall())


def holds_data(connection: BaseDatabaseWrapper) -> bool:
    """Whether a database already holds an organisation's work (a user, an organisation or an
    audit event). A database that is new, or only migrated, holds none."""
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for model in (Organisation, User, AuditEvent):
            table = model._meta.db_table
            if table in existing:
                cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")
                if cursor.fetchone():
                    return True
    return False


def drop_everything(connection: BaseDatabaseWrapper) -> None:
    """Empties a PostgreSQL database for a forced restore: its public schema is dropped and
    made anew (the tables, their append-only triggers, the migration records)."""
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE")
        cursor.execute("CREATE SCHEMA public")
