from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from madad.core import audit_guard
from madad.core.audit import GENESIS, audit_record, audit_verify
from madad.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _three_events() -> list[AuditEvent]:
    return [audit_record(action=f"test.event.n{i}", object_type="test", object_id=i)
            for i in range(3)]


def test_each_event_links_to_the_one_before() -> None:
    events = _three_events()
    assert events[0].prev_hash == GENESIS
    assert events[1].prev_hash == events[0].hash
    assert events[2].prev_hash == events[1].hash
    assert audit_verify().intact


def test_the_database_refuses_to_update_an_audit_row() -> None:
    event = _three_events()[1]
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="test.event.forged")


def test_the_database_refuses_to_delete_an_audit_row() -> None:
    event = _three_events()[1]
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()


def test_verify_names_the_altered_row() -> None:
    events = _three_events()
    audit_guard.remove(connection)  # as somebody with direct database access would
    AuditEvent.objects.filter(pk=events[1].pk).update(action="test.event.forged")
    report = audit_verify()
    assert report.first_broken_id == events[1].pk
    with pytest.raises(CommandError, match=f"broken at event {events[1].pk}"):
        call_command("audit", "verify")


def test_verify_names_the_row_after_a_removed_one() -> None:
    events = _three_events()
    audit_guard.remove(connection)
    AuditEvent.objects.filter(pk=events[1].pk).delete()
    assert audit_verify().first_broken_id == events[2].pk


def test_values_are_refused_where_field_names_belong() -> None:
    with pytest.raises(ValueError, match="field names only"):
        audit_record(action="person.updated", fields=["42101-1234567-1"])
    assert not AuditEvent.objects.exists()
