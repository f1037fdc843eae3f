"""Edits that can race: a version column and one compare-and-swap update.

`select_for_update()` does nothing on SQLite (MEASURED.md), and a read-modify-write lost 699 of
800 concurrent increments there. A conditional UPDATE on the version the editor read loses
nothing: of two people saving the same record at once, exactly one wins and the other is told
that the record moved on (`Stale`, or the refusal the caller names).
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone

from madad.core.refusals import Refused, Stale


class Versioned(models.Model):
    """A record whose edits are compare-and-swap on `version` (see `update_versioned`)."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


V = TypeVar("V", bound=Versioned)


def update_versioned(
    record: V,
    *,
    expected_version: int | None = None,
    where: Q | None = None,
    refusal: Refused | None = None,
    **changes: Any,
) -> V:
    """Writes `changes` to `record` and bumps its version in one conditional UPDATE, only if
    the row still has `expected_version` (default: the version `record` was read with) and
    matches `where` (e.g. the status a move starts from). Otherwise nothing is written and
    `refusal` (default `Stale()`) is raised. Sets `updated_at` when the model has one and the
    caller did not. Returns the record, re-read."""
    model = type(record)
    version = record.version if expected_version is None else expected_version
    if "updated_at" not in changes and _has_field(model, "updated_at"):
        changes["updated_at"] = timezone.now()
    rows = model._default_manager.filter(Q(pk=record.pk, version=version) & (where or Q()))
    with transaction.atomic():
        if rows.update(version=F("version") + 1, **changes) != 1:
            raise refusal if refusal is not None else Stale()
    record.refresh_from_db()
    return record


def _has_field(model: type[models.Model], name: str) -> bool:
    try:
        model._meta.get_field(name)
    except Exception:  # FieldDoesNotExist
        return False
    return True
