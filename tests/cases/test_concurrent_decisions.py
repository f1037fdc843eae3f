"""Two coordinators decide the same request at the same moment: exactly one decision is stored
and performed, the other is told clearly that it was already decided."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connections

from madad.accounts.models import Organisation, User
from madad.accounts.roles import Role
from madad.cases import services
from madad.cases.errors import CaseRefused
from madad.cases.models import ApprovalRequest, Case, StatusChange
from tests.cases.factories import open_case
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _race(calls: list[Any]) -> list[Any]:
    """Runs the calls in threads (each with its own database connection) released together;
    returns what each returned or raised."""
    start = threading.Barrier(len(calls))
    outcomes: list[Any] = [None] * len(calls)

    def run(index: int) -> None:
        start.wait()
        try:
            outcomes[index] = calls[index]()
        except Exception as error:  # noqa: BLE001 - the outcome is what the test looks at
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def _people() -> tuple[User, User, User]:
    organisation: Organisation = OrganisationFactory()
    return (UserFactory(role=Role.CASEWORKER, organisation=organisation),
            UserFactory(role=Role.COORDINATOR, organisation=organisation),
            UserFactory(role=Role.COORDINATOR, organisation=organisation))


def test_two_coordinators_closing_at_once_close_the_case_once() -> None:
    caseworker, first, second = _people()
    case = open_case(caseworker=caseworker)
    approval = services.approval_request(case=case, kind="close", requested_by=caseworker)
    outcomes = _race([
        lambda: services.approval_decide(approval=ApprovalRequest.objects.get(pk=approval.pk),
                                         decided_by=first, approve=True),
        lambda: services.approval_decide(approval=ApprovalRequest.objects.get(pk=approval.pk),
                                         decided_by=second, approve=True),
    ])
    won = [o for o in outcomes if isinstance(o, ApprovalRequest)]
    lost = [o for o in outcomes if isinstance(o, CaseRefused)]
    assert len(won) == 1 and len(lost) == 1, outcomes
    assert lost[0].code == "already_decided"
    assert Case.objects.get(pk=case.pk).status == "closed"
    assert StatusChange.objects.filter(case=case, to_status="closed").count() == 1


def test_an_approval_and_a_refusal_at_once_leave_one_decision() -> None:
    caseworker, first, second = _people()
    case = open_case(caseworker=caseworker)
    approval = services.approval_request(case=case, kind="close", requested_by=caseworker)
    outcomes = _race([
        lambda: services.approval_decide(approval=ApprovalRequest.objects.get(pk=approval.pk),
                                         decided_by=first, approve=True),
        lambda: services.approval_decide(approval=ApprovalRequest.objects.get(pk=approval.pk),
                                         decided_by=second, approve=False,
                                         reason="Not yet."),
    ])
    assert sum(isinstance(o, ApprovalRequest) for o in outcomes) == 1, outcomes
    assert sum(isinstance(o, CaseRefused) for o in outcomes) == 1, outcomes
    stored = ApprovalRequest.objects.get(pk=approval.pk)
    closed = Case.objects.get(pk=case.pk).status == "closed"
    assert (stored.decision == "approved") == closed
