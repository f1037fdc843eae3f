"""Reads of the audit trail, filtered by what the user may see."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from madad import access
from madad.accounts.models import User
from madad.core.models import AuditEvent


def _start_of(day: dt.date) -> dt.datetime:
    """Midnight at the start of the day in the current time zone, as the users count days."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def audit_event_list(*, user: User, filters: dict[str, Any]) -> QuerySet[AuditEvent]:
    """The events the user may read, newest first, narrowed by the filters of AuditFilterForm:
    an action prefix ("person." for everything about persons), part of the actor's email, an
    object type, and a range of days (both ends included)."""
    events = access.visible_to(user, AuditEvent)
    if filters.get("action"):
        events = events.filter(action__startswith=filters["action"])
    if filters.get("actor"):
        events = events.filter(actor_label__icontains=filters["actor"])
    if filters.get("object_type"):
        events = events.filter(object_type=filters["object_type"])
    # a range on the indexed column itself, not on a date computed from it for every row
    if filters.get("date_from"):
        events = events.filter(at__gte=_start_of(filters["date_from"]))
    if filters.get("date_to"):
        events = events.filter(at__lt=_start_of(filters["date_to"] + dt.timedelta(days=1)))
    return events.order_by("-id")
