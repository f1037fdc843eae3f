"""Key rotation: re-encrypt every encrypted value with the current (first) key.

Encrypted values live in two kinds of place: columns of EncryptedTextField, and the JSON data of
two-factor authenticators (the TOTP secret and the recovery-code seed, encrypted through
accounts.adapter.MadadMFAAdapter). Both are rewritten; forgetting the second would lock every
user out of two-factor sign-in once the old key is removed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import connection, models, transaction

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
    report = RotationReport(values_rewritten=0, values_current=0)
    for model in apps.get_models():
        if model._meta.proxy:
            continue  # its table is its concrete model's, rotated there
        # local fields only: a multi-table child's inherited columns live in the parent's table
        columns = [
            f.column for f in model._meta.local_concrete_fields if isinstance(f, EncryptedTextField)
        ]
        if columns:
            _rotate_columns(model, columns, batch_size, report)
    _rotate_authenticators(batch_size, report)
    audit_record(action="keys.rotated", object_type="core.fieldkeys")
    return report


def _batches(model: type[models.Model], batch_size: int) -> Any:
    """Primary keys in batches; the caller rewrites each batch inside its own transaction."""
    last = None
    while True:
        with transaction.atomic():
            qs = model._base_manager.order_by("pk")
            if last is not None:
                qs = qs.filter(pk__gt=last)
            pks = list(qs.values_list("pk", flat=True)[:batch_size])
            if not pks:
                return
            yield pks
        last = pks[-1]


def _rotate_columns(
    model: type[models.Model], columns: list[str], batch_size: int, report: RotationReport
) -> None:
    quote = connection.ops.quote_name
    table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
    cols = ", ".join(quote(c) for c in columns)
    for pks in _batches(model, batch_size):
        with connection.cursor() as cursor:
            placeholders = ", ".join(["%s"] * len(pks))
            cursor.execute(
                f"SELECT {pk}, {cols} FROM {table} WHERE {pk} IN ({placeholders})",  # noqa: S608
                pks,
            )
            for row in cursor.fetchall():
                updates = {}
                for column, stored in zip(columns, row[1:], strict=True):
                    if not stored:
                        continue
                    if crypto.is_current(stored):
                        report.values_current += 1
                    else:
                        updates[column] = crypto.reencrypt(stored)
                if updates:
                    sets = ", ".join(f"{quote(c)} = %s" for c in updates)
                    cursor.execute(
                        f"UPDATE {table} SET {sets} WHERE {pk} = %s",  # noqa: S608
                        [*updates.values(), row[0]],
                    )
                    report.values_rewritten += len(updates)


def _rotate_authenticators(batch_size: int, report: RotationReport) -> None:
    from allauth.mfa.models import Authenticator

    for pks in _batches(Authenticator, batch_size):
        for authenticator in Authenticator.objects.filter(pk__in=pks):
            data, rewritten = _rotate_json(authenticator.data, report)
            if rewritten:
                Authenticator.objects.filter(pk=authenticator.pk).update(data=data)
                report.values_rewritten += rewritten


def _rotate_json(value: Any, report: RotationReport) -> tuple[Any, int]:
    """The value with every Madad ciphertext in it under the first key, and how many changed."""
    if isinstance(value, str) and value.startswith(crypto.PREFIX):
        if crypto.is_current(value):
            report.values_current += 1
            return value, 0
        return crypto.reencrypt(value), 1
    if isinstance(value, list):
        pairs = [_rotate_json(item, report) for item in value]
        return [v for v, _ in pairs], sum(n for _, n in pairs)
    if isinstance(value, dict):
        rotated = {key: _rotate_json(item, report) for key, item in value.items()}
        return {k: v for k, (v, _) in rotated.items()}, sum(n for _, n in rotated.values())
    return value, 0
