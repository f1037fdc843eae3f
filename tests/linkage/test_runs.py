"""Batch runs of the matcher: queued on commit, run by a worker, pairs into the queue."""

from __future__ import annotations

from typing import Any

import pytest
from pytest_django import DjangoCaptureOnCommitCallbacks

from madad.accounts.models import Organisation, User
from madad.core.models import AuditEvent
from madad.linkage import services
from madad.linkage.models import Decision, LinkageRun, PersonMatchKey, PersonPair
from madad.linkage.services import linkage_run_execute, linkage_run_request
from madad.linkage.tasks import linkage_run_task
from madad.people.models import Person

pytestmark = pytest.mark.django_db


def test_a_request_queues_one_task_on_commit_and_a_second_request_joins_it(
    documenter: User,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        run = linkage_run_request(
            organisation=documenter.organisation, kind="persons", requested_by=documenter
        )
    assert len(callbacks) == 1 and run.status == LinkageRun.Status.QUEUED
    again = linkage_run_request(
        organisation=documenter.organisation, kind="persons", requested_by=documenter
    )
    assert again.pk == run.pk
    assert AuditEvent.objects.filter(action="linkage.run.requested").count() == 1


def test_the_task_runs_the_matcher_and_fills_the_queue(
    documenter: User,
    ali_roman: Person,
    ali_urdu: Person,
) -> None:
    run = LinkageRun.objects.create(
        organisation=documenter.organisation, kind="persons", requested_by=documenter
    )
    result = linkage_run_task.call(run_id=run.pk)
    assert result == {"records": 2, "pairs_found": 1}
    run.refresh_from_db()
    assert run.status == LinkageRun.Status.DONE and run.progress == 1.0
    assert run.parameters["comparisons"][0] == "name"
    pair = PersonPair.objects.get()
    assert pair.found_by == run and pair.evidence["levels"]["cnic"] == 2
    assert set(PersonMatchKey.objects.values_list("person_id", flat=True)) == {
        ali_roman.pk,
        ali_urdu.pk,
    }


def test_a_decided_pair_stays_decided_when_a_later_run_finds_it_again(
    documenter: User,
    ali_roman: Person,
    ali_urdu: Person,
) -> None:
    first = LinkageRun.objects.create(organisation=documenter.organisation, kind="persons")
    linkage_run_execute(run_id=first.pk)
    PersonPair.objects.update(status=Decision.NOT_SAME)
    second = LinkageRun.objects.create(organisation=documenter.organisation, kind="persons")
    linkage_run_execute(run_id=second.pk)
    pair = PersonPair.objects.get()
    assert pair.status == Decision.NOT_SAME and pair.found_by == first


def test_a_run_sees_only_its_own_organisation(
    documenter: User,
    ali_roman: Person,
    other_relief_org: Organisation,
) -> None:
    from tests.linkage.conftest import make_person

    make_person(
        other_relief_org, None, given_name="Mohd. Ali", family_name="Khan", cnic="42101-1234567-1"
    )
    run = LinkageRun.objects.create(organisation=documenter.organisation, kind="persons")
    linkage_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert run.records == 1 and not PersonPair.objects.exists()


def test_a_failed_run_says_so_by_the_kind_of_error_only(
    documenter: User,
    ali_roman: Person,
    ali_urdu: Person,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise MemoryError("names of people here")

    monkeypatch.setattr(services, "link", broken)
    run = LinkageRun.objects.create(organisation=documenter.organisation, kind="persons")
    with pytest.raises(MemoryError):
        linkage_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == LinkageRun.Status.FAILED and run.error == "MemoryError"
    assert not PersonPair.objects.exists()
