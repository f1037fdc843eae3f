"""A decision on a public text that the user's role may not take answers 403 and changes
nothing; once it was a redirect with a message, like a decision that failed on its content."""

from __future__ import annotations

from typing import Any

import pytest

from madad.accounts.models import User
from madad.core.models import AuditEvent
from madad.public import services
from madad.public.models import FactSheet, Status

pytestmark = pytest.mark.django_db


def _decide(client: Any, sheet: FactSheet, action: str, **data: Any) -> Any:
    return client.post(f"/publications/factsheets/{sheet.pk}/{action}/", data)


def test_a_verifier_may_not_submit_a_draft(
    signed_in: Any, verifier: User, sheet: FactSheet
) -> None:
    client = signed_in(verifier)
    assert client.get(f"/publications/factsheets/{sheet.pk}/").status_code == 200
    for data in ({}, {"version": sheet.version}):
        assert _decide(client, sheet, "submit", **data).status_code == 403
    sheet.refresh_from_db()
    assert (sheet.status, sheet.submitted_by_id) == (Status.DRAFT, None)
    assert not AuditEvent.objects.filter(action__endswith=".submitted").exists()


def test_a_documenter_may_neither_approve_nor_return(
    signed_in: Any, documenter: User, make_user: Any, sheet: FactSheet
) -> None:
    services.factsheet_submit(factsheet=sheet, by=documenter)
    client = signed_in(make_user("documenter"))  # not the writer: the four-eyes rule is not why
    for action in ("approve", "return"):
        assert _decide(client, sheet, action, reason="No.").status_code == 403
    sheet.refresh_from_db()
    assert sheet.status == Status.SUBMITTED


def test_an_unknown_decision_does_not_exist(
    signed_in: Any, verifier: User, sheet: FactSheet
) -> None:
    assert _decide(signed_in(verifier), sheet, "delete").status_code == 404


def test_roles_that_may_decide_still_do_and_are_told_what_failed(
    signed_in: Any, documenter: User, verifier: User, sheet: FactSheet
) -> None:
    writer = signed_in(documenter)
    assert _decide(writer, sheet, "submit", version=sheet.version).status_code == 302
    sheet.refresh_from_db()
    assert sheet.status == Status.SUBMITTED
    approver = signed_in(verifier)
    refused = _decide(approver, sheet, "return", version=sheet.version)  # no reason: a message
    assert refused.status_code == 302
    assert "Say what needs to change." in approver.get(refused["Location"]).content.decode()
    assert _decide(approver, sheet, "approve", version=sheet.version).status_code == 302
    sheet.refresh_from_db()
    assert (sheet.status, sheet.approved_by) == (Status.PUBLISHED, verifier)
