"""The audit trail: record what was done, and prove later that nothing was rewritten.

Action codes are namespaced, lower case, dot-separated: ``person.identity.viewed``,
``auth.signin.failed``, ``incident.created``. Only field *names* are ever recorded.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import connection, models, transaction
from django.utils import timezone

from madad.core import request_context
from madad.core.models import AuditEvent

if TYPE_CHECKING:
    from madad.accounts.models import Organisation, User

GENESIS = "0" * 64
_ACTION = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
_FIELD = re.compile(r"^[a-z_][a-z0-9_]*(\.[a-z0-9_]+)*$")


def _digest(event: AuditEvent) -> str:
    payload = {
        "at": event.at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "actor": event.actor_id,
        "actor_label": event.actor_label,
        "organisation": event.organisation_id,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "fields": list(event.fields),
        "ip": event.ip,
        "prev": event.prev_hash,
    }
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _lock_chain() -> None:
    """Serialise appends so that two writers never chain onto the same previous row.

    SQLite transactions here are IMMEDIATE, so the write lock is already held; PostgreSQL
    needs an explicit transaction-scoped lock.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(7215300001)")


def audit_record(
    *,
    action: str,
    actor: User | None = None,
    organisation: Organisation | None = None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    fields: Iterable[str] = (),
    actor_label: str = "",
) -> AuditEvent:
    """Append one event to the chain. Joins the caller's transaction when there is one, so a
    change and its audit event commit or roll back together."""
    if not _ACTION.match(action):
        raise ValueError(f"Audit action codes are dotted lower-case names; got {action!r}.")
    field_names = sorted(set(fields))
    for name in field_names:
        if not _FIELD.match(name):
            raise ValueError("Audit events record field names only, never values.")
    context = request_context.current()
    if actor is None:
        actor = context.actor
    if organisation is None and actor is not None:
        organisation = actor.organisation
    if obj is not None:
        object_type = obj._meta.label_lower
        object_id = obj.pk
    event = AuditEvent(
        at=timezone.now(),
        actor=actor,
        actor_label=actor_label or (actor.email if actor is not None else ""),
        organisation=organisation,
        action=action,
        object_type=object_type,
        object_id=str(object_id) if object_id != "" else "",
        fields=field_names,
        ip=context.ip,
    )
    with transaction.atomic():
        _lock_chain()
        last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
        event.prev_hash = last or GENESIS
        event.hash = _digest(event)
        event.save(force_insert=True)
    return event


@dataclass(frozen=True)
class ChainReport:
    checked: int
    first_broken_id: int | None
    reason: str
    head: str = GENESIS  # the hash of the last event checked

    @property
    def intact(self) -> bool:
        return self.first_broken_id is None


def audit_verify(using: str = "default") -> ChainReport:
    """Walk the whole chain in order and name the first row that was altered, or that follows
    a removed row. `using` names another database (a backup being checked)."""
    previous = GENESIS
    checked = 0
    rows: Any = AuditEvent.objects.using(using).order_by("id").iterator(chunk_size=2000)
    for event in rows:
        if event.prev_hash != previous:
            return ChainReport(
                checked, event.pk, "its link to the previous event is broken (a row was removed)"
            )
        if _digest(event) != event.hash:
            return ChainReport(checked, event.pk, "its contents no longer match its hash")
        previous = event.hash
        checked += 1
    return ChainReport(checked, None, "", previous)
