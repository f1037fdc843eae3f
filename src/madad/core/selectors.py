"""Reads of the audit trail, filtered by what the user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from madad.core import access
from madad.core.models import AuditEvent


def audit_event_list(*, user: Any, filters: dict[str, Any]) -> QuerySet[AuditEvent]:
    events = access.visible_to(user, AuditEvent)
    if filters.get("action"):
        events = events.filter(action__startswith=filters["action"])
    if filters.get("actor"):
        events = events.filter(actor_label__icontains=filters["actor"])
    if filters.get("object_type"):
        events = events.filter(object_type=filters["object_type"])
    if filters.get("date_from"):
        events = events.filter(at__date__gte=filters["date_from"])
    if filters.get("date_to"):
        events = events.filter(at__date__lte=filters["date_to"])
    return events.order_by("-id")
