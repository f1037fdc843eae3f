"""The assistance pages refuse a role that may not act before they read the form, and send a
form with errors back with its status (tests/test_permission_matrix.py asks the same with
empty forms; these show what is, and is not, written)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from madad.accounts.models import User
from madad.assistance.models import Assistance, Limit
from madad.assistance.services import assistance_approve
from madad.cases.models import Case
from madad.core.models import AuditEvent
from tests.assistance.factories import make_assistance

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(case: Case, caseworker: User, coordinator: User, limits: dict[str, Any]) -> Assistance:
    return assistance_approve(
        assistance=make_assistance(case=case, requested_by=caseworker, amount="12000"),
        approver=coordinator,
    )


def _cancel(client: Any, item: Assistance, **data: Any) -> Any:
    return client.post(reverse("assistance:cancel", args=[item.pk]), data)


def test_finance_may_not_cancel_an_item_it_sees(
    signed_in: Any, finance: User, approved: Assistance
) -> None:
    client = signed_in(finance)
    assert client.get(reverse("assistance:detail", args=[approved.pk])).status_code == 200
    for data in ({}, {"version": approved.version, "reason": "The family moved away"}):
        response = _cancel(client, approved, **data)
        assert response.status_code == 404  # as approving and confirming receipt: not a 302
    approved.refresh_from_db()
    assert (approved.status, approved.cancelled_by_id) == ("approved", None)
    assert not AuditEvent.objects.filter(action="case.assistance.cancelled").exists()


def test_the_requester_still_cancels_with_a_reason(
    signed_in: Any, caseworker: User, approved: Assistance
) -> None:
    client = signed_in(caseworker)
    response = _cancel(client, approved, version=approved.version, reason="The family moved away")
    assert response.status_code == 302
    assert response["Location"] == reverse("assistance:detail", args=[approved.pk])
    approved.refresh_from_db()
    assert (approved.status, approved.cancelled_by) == ("cancelled", caseworker)
    assert AuditEvent.objects.filter(action="case.assistance.cancelled").exists()


def test_a_coordinator_without_a_reason_is_sent_back_with_the_message(
    signed_in: Any, coordinator: User, approved: Assistance
) -> None:
    """Roles that may cancel keep the item's page and its message for a form with errors."""
    client = signed_in(coordinator)
    response = _cancel(client, approved, version=approved.version)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "This field is required." in page
    approved.refresh_from_db()
    assert approved.status == "approved"


@pytest.mark.parametrize("data", [{}, {"kind": "bribes", "bribes-max_amount": "1"}])
def test_a_limits_form_naming_no_kind_comes_back_with_the_reason(
    signed_in: Any, administrator: User, data: dict[str, str]
) -> None:
    response = signed_in(administrator).post(reverse("assistance:limits"), data)
    assert response.status_code == 422  # the page again, not a 404
    page = response.content.decode()
    assert "Choose the kind of assistance whose limit you change." in page
    assert 'id="limit-cash_grant"' in page
    assert not Limit.objects.exists()
    assert not AuditEvent.objects.filter(action="assistance.limit.changed").exists()
