"""The two-person rule and the limits: who may approve which assistance."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from madad.accounts.models import User
from madad.assistance.models import Assistance, Limit
from madad.assistance.services import (
    assistance_approve,
    assistance_request,
)
from madad.cases.models import Case
from madad.core.models import AuditEvent
from madad.core.refusals import Conflict, NotAllowed
from tests.assistance.factories import make_assistance, make_case

pytestmark = pytest.mark.django_db


def test_it_refuses_the_requester_as_approver(
    coordinator: User, case: Case, limits: dict[str, Limit]
) -> None:
    item = make_assistance(case=case, requested_by=coordinator, amount="5000")
    with pytest.raises(NotAllowed, match="two-person rule"):
        assistance_approve(assistance=item, approver=coordinator)
    item.refresh_from_db()
    assert item.status == Assistance.Status.REQUESTED
    assert item.approved_by is None
    assert not AuditEvent.objects.filter(action="case.assistance.approved").exists()


def test_the_database_refuses_an_approval_by_the_requester(caseworker: User, case: Case) -> None:
    item = make_assistance(case=case, requested_by=caseworker)
    with pytest.raises(IntegrityError), transaction.atomic():
        Assistance.objects.filter(pk=item.pk).update(
            status="approved", approved_by=caseworker, approved_at=item.requested_at
        )


def test_a_second_person_approves_and_the_approval_is_audited(
    caseworker: User, coordinator: User, case: Case, limits: dict[str, Limit]
) -> None:
    item = assistance_request(
        case=case,
        requested_by=caseworker,
        kind="cash_grant",
        amount="15000.50",
        purpose="Rent arrears after the shop burned",
    )
    assistance_approve(assistance=item, approver=coordinator)
    item.refresh_from_db()
    assert (item.status, item.approved_by, item.version) == ("approved", coordinator, 2)
    assert item.amount == Decimal("15000.50")
    assert not item.approved_over_limit
    event = AuditEvent.objects.get(action="case.assistance.approved")
    assert (event.actor, event.object_id) == (coordinator, str(item.pk))


def test_a_caseworker_may_approve_a_colleagues_request_within_the_limit(
    coordinator: User, caseworker: User, case: Case, limits: dict[str, Limit]
) -> None:
    item = make_assistance(case=case, requested_by=coordinator, amount="25000.00")
    assistance_approve(assistance=item, approver=caseworker)
    assert item.status == "approved"


def test_over_the_limit_a_caseworker_may_not_approve(
    coordinator: User, caseworker: User, case: Case, limits: dict[str, Limit]
) -> None:
    item = make_assistance(case=case, requested_by=coordinator, amount="25000.01")
    with pytest.raises(NotAllowed, match="coordinator must approve"):
        assistance_approve(assistance=item, approver=caseworker)
    item.refresh_from_db()
    assert item.status == "requested"


def test_over_the_limit_a_coordinator_approves(
    caseworker: User, coordinator: User, case: Case, limits: dict[str, Limit]
) -> None:
    item = make_assistance(case=case, requested_by=caseworker, amount="90000.00")
    assistance_approve(assistance=item, approver=coordinator)
    assert item.status == "approved"
    assert item.approved_over_limit


def test_a_kind_without_a_limit_needs_a_coordinator_for_any_amount(
    coordinator: User, caseworker: User, case: Case
) -> None:
    item = make_assistance(case=case, requested_by=coordinator, amount="1.00", kind="school_fees")
    with pytest.raises(NotAllowed, match="coordinator"):
        assistance_approve(assistance=item, approver=caseworker)


def test_help_in_kind_without_an_amount_is_within_every_limit(
    coordinator: User, caseworker: User, case: Case
) -> None:
    item = make_assistance(
        case=case,
        requested_by=coordinator,
        amount=None,
        kind="food",
        in_kind="Monthly ration for six people",
    )
    assistance_approve(assistance=item, approver=caseworker)
    assert item.status == "approved"


def test_a_finance_officer_may_not_approve(
    caseworker: User, finance: User, case: Case, limits: dict[str, Limit]
) -> None:
    item = make_assistance(case=case, requested_by=caseworker, amount="100")
    with pytest.raises(NotAllowed):
        assistance_approve(assistance=item, approver=finance)


def test_an_outsider_may_not_approve(
    caseworker: User, outsider: User, case: Case, limits: dict[str, Limit]
) -> None:
    item = make_assistance(case=case, requested_by=caseworker, amount="100")
    with pytest.raises(NotAllowed):
        assistance_approve(assistance=item, approver=outsider)
    item.refresh_from_db()
    assert item.status == "requested"


def test_approving_twice_is_a_clear_conflict(
    caseworker: User,
    coordinator: User,
    second_coordinator: User,
    case: Case,
    limits: dict[str, Limit],
) -> None:
    item = make_assistance(case=case, requested_by=caseworker, amount="100")
    stale = Assistance.objects.get(pk=item.pk)
    assistance_approve(assistance=item, approver=coordinator)
    with pytest.raises(Conflict, match="Somebody else approved"):
        assistance_approve(assistance=stale, approver=second_coordinator)
    item.refresh_from_db()
    assert item.approved_by == coordinator
    assert AuditEvent.objects.filter(action="case.assistance.approved").count() == 1


def test_an_approval_of_an_item_changed_since_it_was_read_is_refused(
    caseworker: User, coordinator: User, case: Case, limits: dict[str, Limit]
) -> None:
    item = make_assistance(case=case, requested_by=caseworker, amount="100")
    Assistance.objects.filter(pk=item.pk).update(version=5)  # somebody edited it meanwhile
    with pytest.raises(Conflict):
        assistance_approve(assistance=item, approver=coordinator)
    assert Assistance.objects.get(pk=item.pk).status == "requested"


def test_nothing_is_approved_on_a_closed_case(
    caseworker: User, coordinator: User, limits: dict[str, Limit]
) -> None:
    case = make_case(caseworker=caseworker, status=Case.Status.ASSISTING)
    item = make_assistance(case=case, requested_by=caseworker, amount="100")
    Case.objects.filter(pk=case.pk).update(status=Case.Status.FOLLOW_UP)
    item.refresh_from_db()
    with pytest.raises(NotAllowed, match="Follow-up"):
        assistance_approve(assistance=item, approver=coordinator)
