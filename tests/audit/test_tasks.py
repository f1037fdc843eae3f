"""madad.audit.tasks: the audit chain check, queued from the audit page and run by a worker."""

from __future__ import annotations

import io
import signal
from collections.abc import Callable

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from pytest_django import DjangoCaptureOnCommitCallbacks

from madad.accounts.models import Organisation, User
from madad.accounts.roles import Role
from madad.audit.tasks import audit_chain_verify, audit_chain_verify_request
from madad.core import append_only
from madad.core.audit import audit_record
from madad.core.models import AuditEvent

pytestmark = pytest.mark.django_db

VERIFY_URL = reverse("audit:verify")
STATUS_URL = reverse("audit:verify_status")


def _events(n: int) -> list[AuditEvent]:
    return [
        audit_record(action="test.event.recorded", object_type="test", object_id=i)
        for i in range(n)
    ]


def _run_worker() -> None:
    """Runs `madad db_worker` until the queue is empty. Its tests use transactional_db: the
    worker, like a real one, expects autocommit and closes a connection found inside a
    transaction. The worker takes over SIGINT, SIGTERM and SIGQUIT; they are given back
    afterwards."""
    handlers = {
        sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)
    }
    try:
        call_command(
            "db_worker",
            "--batch",
            "--no-startup-delay",
            "--no-reload",
            verbosity=0,
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)


# --- the task ----------------------------------------------------------------------------------
def test_an_intact_chain_is_reported_and_recorded_as_verified(
    make_user: Callable[..., User],
) -> None:
    auditor = make_user(Role.AUDITOR)
    _events(3)
    before = AuditEvent.objects.count()
    result = audit_chain_verify.call(
        requested_by_id=auditor.pk, organisation_id=auditor.organisation_id
    )
    assert result == {"checked": before, "first_broken_id": None, "reason": ""}
    recorded = AuditEvent.objects.latest("id")
    assert recorded.action == "audit.chain.verified"
    assert recorded.actor_id == auditor.pk
    assert recorded.organisation_id == auditor.organisation_id


def test_a_broken_chain_is_reported_with_its_first_altered_row(
    make_user: Callable[..., User],
) -> None:
    auditor = make_user(Role.AUDITOR)
    events = _events(3)
    append_only.registered_guard("madad_audit_event").remove(
        connection
    )  # as somebody with direct database access would
    AuditEvent.objects.filter(pk=events[1].pk).update(action="test.event.forged")
    append_only.registered_guard("madad_audit_event").install(connection)
    result = audit_chain_verify.call(
        requested_by_id=auditor.pk, organisation_id=auditor.organisation_id
    )
    assert result["first_broken_id"] == events[1].pk
    assert result["reason"]
    recorded = AuditEvent.objects.latest("id")
    assert recorded.action == "audit.chain.broken"
    assert recorded.object_id == str(events[1].pk)


def test_a_request_is_queued_only_when_its_transaction_commits(
    make_user: Callable[..., User],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    auditor = make_user(Role.AUDITOR)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        audit_chain_verify_request(requested_by=auditor)
    assert not DBTaskResult.objects.exists()
    for callback in callbacks:
        callback()
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "madad.audit.tasks.audit_chain_verify"
    assert queued.status == "READY"
    assert queued.args_kwargs == {
        "args": [],
        "kwargs": {"requested_by_id": auditor.pk, "organisation_id": auditor.organisation_id},
    }


def test_a_second_request_while_one_waits_queues_nothing(
    make_user: Callable[..., User],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    auditor = make_user(Role.AUDITOR)
    for _request in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            audit_chain_verify_request(requested_by=auditor)
    assert DBTaskResult.objects.count() == 1


def test_the_worker_runs_a_queued_check_to_completion(
    make_user: Callable[..., User],
    transactional_db: None,
) -> None:
    auditor = make_user(Role.AUDITOR)
    _events(2)
    audit_chain_verify_request(requested_by=auditor)
    assert DBTaskResult.objects.get().status == "READY"
    checked = AuditEvent.objects.count()
    _run_worker()
    run = DBTaskResult.objects.get()
    assert run.status == "SUCCESSFUL", run.traceback
    assert run.return_value == {"checked": checked, "first_broken_id": None, "reason": ""}
    assert AuditEvent.objects.latest("id").action == "audit.chain.verified"


# --- the audit page: the owner (an auditor), a colleague with another role, outsiders ------------
def test_an_auditor_queues_a_check_from_the_audit_page(
    make_user: Callable[..., User],
    signed_in: Callable[[User], Client],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    client = signed_in(make_user(Role.AUDITOR))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(VERIFY_URL)
    assert response.status_code == 302
    assert response["Location"] == reverse("audit:list")
    assert DBTaskResult.objects.count() == 1
    page = client.get(reverse("audit:list"))
    assert "A check is queued" in page.content.decode()


def test_the_htmx_answer_polls_until_the_worker_has_finished(
    make_user: Callable[..., User],
    signed_in: Callable[[User], Client],
    transactional_db: None,
) -> None:
    client = signed_in(make_user(Role.AUDITOR))
    queued = client.post(VERIFY_URL, headers={"HX-Request": "true"})
    assert queued.status_code == 200
    assert "A check is queued" in queued.content.decode()
    assert 'hx-trigger="every 2s"' in queued.content.decode()
    _run_worker()
    finished = client.get(STATUS_URL, headers={"HX-Request": "true"}).content.decode()
    assert "Intact:" in finished
    assert "hx-trigger" not in finished


def test_the_page_names_the_broken_event(
    make_user: Callable[..., User],
    signed_in: Callable[[User], Client],
    transactional_db: None,
) -> None:
    client = signed_in(make_user(Role.AUDITOR))
    events = _events(2)
    append_only.registered_guard("madad_audit_event").remove(connection)
    AuditEvent.objects.filter(pk=events[0].pk).update(action="test.event.forged")
    append_only.registered_guard("madad_audit_event").install(connection)
    client.post(VERIFY_URL)
    _run_worker()
    status = client.get(STATUS_URL).content.decode()
    assert f"Broken at event #{events[0].pk}" in status


@pytest.mark.parametrize("role", [Role.DOCUMENTER, Role.FINANCE, Role.CASEWORKER])
def test_a_colleague_without_the_audit_trail_neither_queues_nor_sees_checks(
    make_user: Callable[..., User],
    signed_in: Callable[[User], Client],
    role: str,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    client = signed_in(make_user(role))
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(VERIFY_URL).status_code == 404
    assert client.get(STATUS_URL).status_code == 404
    assert not DBTaskResult.objects.exists()


def test_an_auditor_of_another_organisation_sees_only_their_own_checks(
    make_user: Callable[..., User],
    signed_in: Callable[[User], Client],
    other_relief_org: Organisation,
    transactional_db: None,
) -> None:
    audit_chain_verify_request(requested_by=make_user(Role.AUDITOR))
    _run_worker()
    outsider = signed_in(make_user(Role.AUDITOR, other_relief_org))
    status = outsider.get(STATUS_URL).content.decode()
    assert "has not been checked from your organisation yet" in status
    outsider.post(VERIFY_URL)
    assert DBTaskResult.objects.count() == 2


def test_a_partner_cannot_queue_a_check(
    make_user: Callable[..., User],
    signed_in: Callable[[User], Client],
    partner_org: Organisation,
) -> None:
    client = signed_in(make_user(Role.PARTNER, partner_org))
    assert client.post(VERIFY_URL).status_code == 404
    assert not DBTaskResult.objects.exists()


def test_a_check_is_only_queued_by_post(
    make_user: Callable[..., User],
    signed_in: Callable[[User], Client],
) -> None:
    client = signed_in(make_user(Role.AUDITOR))
    assert client.get(VERIFY_URL).status_code == 405
    assert not DBTaskResult.objects.exists()


def test_nobody_signed_out_queues_a_check(client: Client) -> None:
    response = client.post(VERIFY_URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not DBTaskResult.objects.exists()
