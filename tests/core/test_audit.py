"""The audit trail: what is recorded, that values never are, and that the chain holds."""

from __future__ import annotations

import io
import threading
from collections.abc import Callable

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, connections, transaction
from django.http import Http404
from django.test import RequestFactory
from pytest_django import Settings

from madad import access
from madad.accounts.models import Organisation, User
from madad.accounts.roles import Role
from madad.core import append_only, request_context
from madad.core.audit import GENESIS, audit_record, audit_verify
from madad.core.models import AuditEvent
from madad.core.refusals import Stale
from madad.people.models import Person
from madad.people.services import person_update
from tests.core.conftest import IDENTITY, PLAINTEXTS, raw_rows_text

pytestmark = pytest.mark.django_db


def _three_events() -> list[AuditEvent]:
    return [
        audit_record(action=f"test.event.n{i}", object_type="test", object_id=i) for i in range(3)
    ]


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
    append_only.registered_guard("madad_audit_event").remove(
        connection
    )  # as somebody with direct database access would
    AuditEvent.objects.filter(pk=events[1].pk).update(action="test.event.forged")
    report = audit_verify()
    assert report.first_broken_id == events[1].pk
    with pytest.raises(CommandError, match=f"broken at event {events[1].pk}"):
        call_command("audit", "verify")


def test_verify_names_the_row_after_a_removed_one() -> None:
    events = _three_events()
    append_only.registered_guard("madad_audit_event").remove(connection)
    AuditEvent.objects.filter(pk=events[1].pk).delete()
    assert audit_verify().first_broken_id == events[2].pk


def test_values_are_refused_where_field_names_belong() -> None:
    with pytest.raises(ValueError, match="field names only"):
        audit_record(action="person.updated", fields=["42101-1234567-1"])
    assert not AuditEvent.objects.exists()


# --- What is recorded -----------------------------------------------------------------------


def test_creating_a_person_is_audited_with_the_names_of_the_fields_written(
    make_user: Callable[..., User], make_person: Callable[..., Person]
) -> None:
    documenter = make_user(Role.DOCUMENTER)
    person = make_person(created_by=documenter, aliases="")
    [event] = AuditEvent.objects.filter(action="person.created")
    assert (event.actor, event.organisation, event.object_type, event.object_id) == (
        documenter,
        documenter.organisation,
        "people.person",
        str(person.pk),
    )
    assert event.fields == sorted([*IDENTITY, "sex", "age", "occupation"])
    assert event.actor_label == documenter.email


def test_updating_a_person_is_audited_with_the_names_of_the_fields_changed(
    make_user: Callable[..., User], make_person: Callable[..., Person]
) -> None:
    caseworker = make_user(Role.CASEWORKER)
    person = make_person()
    person_update(
        person=person,
        updated_by=caseworker,
        expected_version=person.version,
        phone="0321-5550000",
        address="Flat 3, Block B, Orangi Town",
    )
    [event] = AuditEvent.objects.filter(action="person.updated")
    assert (event.actor, event.object_id) == (caseworker, str(person.pk))
    assert event.fields == ["address", "phone"]


def test_a_stale_update_writes_no_audit_event(
    make_user: Callable[..., User], make_person: Callable[..., Person]
) -> None:
    person = make_person()
    with pytest.raises(Stale):
        person_update(
            person=person,
            updated_by=make_user(),
            expected_version=person.version + 1,
            phone="0321-5550000",
        )
    assert not AuditEvent.objects.filter(action="person.updated").exists()


def test_no_sensitive_value_reaches_any_column_of_the_audit_trail(
    make_user: Callable[..., User],
    make_person: Callable[..., Person],
    other_relief_org: Organisation,
) -> None:
    documenter = make_user(Role.DOCUMENTER)
    person = make_person(created_by=documenter)
    person_update(
        person=person,
        updated_by=documenter,
        expected_version=person.version,
        cnic="35202-9876543-1",
        given_name="Zubair",
        full_name_ur="زبیر قریشی",
    )
    access.reveal(documenter, person)
    with pytest.raises(Http404):
        access.get_visible_or_404(
            make_user(Role.DOCUMENTER, other_relief_org), Person, pk=person.pk
        )
    assert AuditEvent.objects.count() == 4
    trail = raw_rows_text("madad_audit_event")
    leaked = [
        text
        for text in [*PLAINTEXTS, "3520298765431", "35202-9876543-1", "Zubair", "زبیر"]
        if text in trail
    ]
    assert leaked == []


# --- The chain ------------------------------------------------------------------------------


def test_the_chain_stays_intact_across_many_kinds_of_events(
    make_user: Callable[..., User], make_person: Callable[..., Person]
) -> None:
    documenter = make_user(Role.DOCUMENTER)
    with request_context.bound(ip="2001:DB8::1"):  # stored in canonical form
        for n in range(20):
            person = make_person(created_by=documenter, cnic=f"42101-{n:07d}-1")
            person_update(person=person, updated_by=documenter, expected_version=1, age=n)
            access.reveal(documenter, person, wanted=["cnic"])
    report = audit_verify()
    assert report.intact, report.reason
    assert report.checked == AuditEvent.objects.count() == 60


def test_verify_reports_an_intact_chain_and_how_many_events_it_checked() -> None:
    _three_events()
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    assert out.getvalue().strip() == "Audit trail intact: 3 events checked."


def test_verify_of_an_empty_trail_succeeds() -> None:
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    assert "0 events checked" in out.getvalue()


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("2001:DB8:0:0::1", "2001:db8::1"),
        ("::ffff:10.0.0.1", "::ffff:10.0.0.1"),
        ("fe80::1%eth0", "fe80::1"),
        ("10.1.2.3", "10.1.2.3"),
        ("unknown", None),
    ],
)
def test_the_client_address_is_hashed_as_the_database_stores_it(
    given: str, stored: str | None
) -> None:
    request = RequestFactory().get("/", REMOTE_ADDR=given)
    with request_context.bound(ip=request_context.client_ip(request)):
        event = audit_record(action="test.event")
    assert AuditEvent.objects.get(pk=event.pk).ip == stored
    assert audit_verify().intact


def test_behind_a_proxy_the_address_the_proxy_saw_is_recorded(settings: Settings) -> None:
    settings.TRUSTED_PROXY_HOPS = 1
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7"
    )
    with request_context.bound(ip=request_context.client_ip(request)):
        assert audit_record(action="test.event").ip == "198.51.100.7"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the advisory lock is PostgreSQL's")
def test_concurrent_writers_wait_for_each_other_and_never_fork_the_chain(
    transactional_db: None,
) -> None:
    """One writer holds its transaction open after appending; a second writer must wait for it
    and then chain onto its event, not onto the one both saw before."""
    first_appended, first_may_commit = threading.Event(), threading.Event()
    second_done = threading.Event()
    events: dict[str, AuditEvent] = {}
    errors: list[BaseException] = []

    def first() -> None:
        try:
            with transaction.atomic():
                events["first"] = audit_record(action="test.first")
                first_appended.set()
                first_may_commit.wait(10)
        except BaseException as exc:
            errors.append(exc)
        finally:
            first_appended.set()
            connections.close_all()

    def second() -> None:
        try:
            events["second"] = audit_record(action="test.second")
        except BaseException as exc:
            errors.append(exc)
        finally:
            second_done.set()
            connections.close_all()

    audit_record(action="test.before")
    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    threads[0].start()
    assert first_appended.wait(10)
    threads[1].start()
    waited = not second_done.wait(0.5)
    first_may_commit.set()
    for thread in threads:
        thread.join(10)
    assert errors == []
    assert waited, "the second writer did not wait for the first to commit"
    assert events["second"].prev_hash == events["first"].hash
    assert audit_verify().intact
