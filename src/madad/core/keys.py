"""Key rotation: re-encrypt every encrypted field with the current (first) key."""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.db import transaction

from madad.core import crypto
from madad.core.audit import audit_record
from madad.core.fields import EncryptedTextField


@dataclass
class RotationReport:
    values_rewritten: int
    values_current: int


def keys_rotate(*, batch_size: int = 500) -> RotationReport:
    """Rewrites every ciphertext not already under the first key, batch by batch, each batch in
    its own transaction, so that a stopped rotation can simply be run again."""
    rewritten = current = 0
    for model in apps.get_models():
        names = [f.attname for f in model._meta.concrete_fields
                 if isinstance(f, EncryptedTextField)]
        if not names:
            continue
        table = model._meta.db_table
        pk = model._meta.pk.column
        columns = [model._meta.get_field(n).column for n in names]
        last = None
        while True:
            with transaction.atomic():
                qs = model._base_manager.order_by("pk")
                if last is not None:
                    qs = qs.filter(pk__gt=last)
                rows = list(qs.values_list("pk", flat=True)[:batch_size])
                if not rows:
                    break
                from django.db import connection

                with connection.cursor() as cursor:
                    cols = ", ".join(connection.ops.quote_name(c) for c in columns)
                    placeholders = ", ".join(["%s"] * len(rows))
                    cursor.execute(
                        f"SELECT {connection.ops.quote_name(pk)}, {cols} FROM "  # noqa: S608
                        f"{connection.ops.quote_name(table)} "
                        f"WHERE {connection.ops.quote_name(pk)} IN ({placeholders})",
                        rows,
                    )
                    for row in cursor.fetchall():
                        updates = {}
                        for column, stored in zip(columns, row[1:], strict=True):
                            if not stored:
                                continue
                            if crypto.is_current(stored):
                                current += 1
                            else:
                                updates[column] = crypto.reencrypt(stored)
                        if updates:
                            sets = ", ".join(f"{connection.ops.quote_name(c)} = %s"
                                             for c in updates)
                            cursor.execute(
                                f"UPDATE {connection.ops.quote_name(table)} SET {sets} "  # noqa: S608
                                f"WHERE {connection.ops.quote_name(pk)} = %s",
                                [*updates.values(), row[0]],
                            )
                            rewritten += len(updates)
                last = rows[-1]
    audit_record(action="keys.rotated", object_type="core.fieldkeys")
    return RotationReport(values_rewritten=rewritten, values_current=current)
