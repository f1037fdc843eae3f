"""Filing government compensation claims, their status history, and the claims needing action."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from madad.accounts.models import User
from madad.cases.models import Case
from madad.claims.models import Claim, ClaimStatusChange
from madad.claims.selectors import claims_needing_action
from madad.claims.services import (
    claim_attach_document,
    claim_file,
    claim_open_document,
    claim_set_next_action,
    claim_update_status,
)
from madad.core.models import AuditEvent
from madad.core.refusals import Conflict, Invalid, NotAllowed, NotVisible
from madad.evidence.models import CustodyEntry
from tests.assistance.factories import PDF, make_case, make_incident
from tests.core.conftest import raw_row

pytestmark = pytest.mark.django_db

TODAY = dt.date.today


def _file(case: Case, user: User, **extra: Any) -> Claim:
    """claim_file with a valid claim's arguments, some replaced or added by `extra`."""
    data: dict[str, Any] = {
        "scheme": "Provincial compensation for victims of violence",
        "authority": "Deputy Commissioner South",
        "filed_on": timezone.localdate(),
        "amount_claimed": "500000",
        **extra,
    }
    return claim_file(case=case, filed_by=user, **data)


def test_a_claim_is_filed_with_its_first_history_entry(caseworker: User, case: Case) -> None:
    claim = _file(case, caseworker, authority_reference="DC-S/2024/117")
    assert (claim.status, claim.amount_claimed) == ("filed", Decimal("500000.00"))
    assert [(h.from_status, h.to_status) for h in claim.history.all()] == [("", "filed")]
    event = AuditEvent.objects.get(action="case.claim.filed")
    assert "authority_reference" in event.fields


@pytest.mark.parametrize(
    "field,value",
    [
        ("scheme", ""),
        ("authority", " "),
        ("amount_claimed", "0"),
        ("amount_claimed", "abc"),
        ("filed_on", dt.date(2999, 1, 1)),
        ("next_action_on", "tomorrow"),
    ],
)
def test_bad_input_is_refused_by_field_and_nothing_is_written(
    caseworker: User, case: Case, field: str, value: object
) -> None:
    with pytest.raises(Invalid) as refused:
        _file(case, caseworker, **{field: value})
    assert field in refused.value.fields
    assert not Claim.objects.exists()


@pytest.mark.parametrize(
    "who", ["other_caseworker", "finance", "partner_user", "outsider", "administrator"]
)
def test_only_those_who_handle_the_case_file_claims(
    request: pytest.FixtureRequest, case: Case, who: str
) -> None:
    with pytest.raises(NotAllowed):
        _file(case, request.getfixturevalue(who))


def test_the_status_follows_the_claims_path_and_keeps_its_history(
    caseworker: User, case: Case
) -> None:
    claim = _file(case, caseworker)
    claim_update_status(
        claim=claim,
        changed_by=caseworker,
        status="documents_requested",
        note="Death certificate asked for",
        next_action_on=TODAY() + dt.timedelta(days=7),
        next_action="Get the certificate from the hospital",
    )
    claim_update_status(
        claim=claim, changed_by=caseworker, status="filed", note="Certificate handed in"
    )
    with pytest.raises(Invalid) as refused:
        claim_update_status(claim=claim, changed_by=caseworker, status="approved")
    assert "amount_awarded" in refused.value.fields
    claim_update_status(
        claim=claim, changed_by=caseworker, status="approved", amount_awarded="400000"
    )
    claim_update_status(claim=claim, changed_by=caseworker, status="paid")
    claim.refresh_from_db()
    assert (claim.status, claim.amount_awarded, claim.next_action_on) == (
        "paid",
        Decimal("400000.00"),
        None,
    )
    assert [h.to_status for h in claim.history.all()] == [
        "filed",
        "documents_requested",
        "filed",
        "approved",
        "paid",
    ]
    with pytest.raises(Invalid):
        claim_update_status(claim=claim, changed_by=caseworker, status="appealed")


def test_a_rejected_claim_is_appealed(caseworker: User, case: Case) -> None:
    claim = _file(case, caseworker)
    with pytest.raises(Invalid):
        claim_update_status(claim=claim, changed_by=caseworker, status="appealed")
    claim_update_status(
        claim=claim,
        changed_by=caseworker,
        status="rejected",
        note="Not on the list of notified incidents",
    )
    claim_update_status(claim=claim, changed_by=caseworker, status="appealed")
    assert claim.status == "appealed"


def test_a_status_change_on_a_stale_claim_is_a_conflict(
    caseworker: User, coordinator: User, case: Case
) -> None:
    claim = _file(case, caseworker)
    stale = Claim.objects.get(pk=claim.pk)
    claim_update_status(claim=claim, changed_by=coordinator, status="rejected")
    with pytest.raises(Conflict):
        claim_update_status(claim=stale, changed_by=caseworker, status="documents_requested")
    assert claim.history.count() == 2


def test_claims_needing_action_are_those_due_and_not_paid(
    caseworker: User, coordinator: User, case: Case
) -> None:
    overdue = _file(case, caseworker, next_action_on=TODAY() - dt.timedelta(days=2))
    due_today = _file(case, caseworker, next_action_on=TODAY())
    _file(case, caseworker, next_action_on=TODAY() + dt.timedelta(days=1))  # not yet
    _file(case, caseworker)  # no date
    paid = _file(case, caseworker, next_action_on=TODAY())
    Claim.objects.filter(pk=paid.pk).update(status="paid", amount_awarded=1)
    others = _file(make_case(caseworker=coordinator), coordinator, next_action_on=TODAY())
    assert list(claims_needing_action(caseworker)) == [overdue, due_today]
    assert others in claims_needing_action(coordinator, mine_only=False)
    assert others not in claims_needing_action(caseworker, mine_only=False)


def test_the_next_action_is_set_and_cleared(caseworker: User, case: Case) -> None:
    claim = _file(case, caseworker)
    claim_set_next_action(
        claim=claim, changed_by=caseworker, next_action_on=TODAY(), next_action="Call the DC office"
    )
    assert (claim.next_action_on, claim.next_action) == (TODAY(), "Call the DC office")
    claim_set_next_action(claim=claim, changed_by=caseworker, next_action_on=None)
    assert claim.next_action_on is None


def test_a_document_is_kept_as_evidence_of_the_incident_and_downloaded_through_the_claim(
    caseworker: User, case: Case
) -> None:
    incident = make_incident(case.organisation, caseworker)
    claim = _file(case, caseworker, incident=incident)
    evidence = claim_attach_document(
        claim=claim,
        uploaded_by=caseworker,
        file=SimpleUploadedFile("fir-copy.pdf", PDF),
        description="FIR copy",
    )
    assert (evidence.incident, evidence.kind) == (incident, "document")
    assert list(claim.documents.all()) == [evidence]
    download = claim_open_document(claim=claim, evidence=evidence, user=caseworker)
    assert download.file.read() == PDF
    download.file.close()
    assert list(
        CustodyEntry.objects.filter(evidence=evidence)
        .values_list("action", flat=True)
        .order_by("id")
    ) == ["uploaded", "downloaded"]


def test_a_document_needs_the_claims_incident(caseworker: User, case: Case) -> None:
    claim = _file(case, caseworker)
    with pytest.raises(Invalid) as refused:
        claim_attach_document(
            claim=claim, uploaded_by=caseworker, file=SimpleUploadedFile("a.pdf", PDF)
        )
    assert "file" in refused.value.fields


def test_a_file_not_of_the_claim_is_not_served_through_it(caseworker: User, case: Case) -> None:
    incident = make_incident(case.organisation, caseworker)
    first = _file(case, caseworker, incident=incident)
    second = _file(case, caseworker, incident=incident)
    evidence = claim_attach_document(
        claim=first, uploaded_by=caseworker, file=SimpleUploadedFile("a.pdf", PDF)
    )
    with pytest.raises(NotVisible):
        claim_open_document(claim=second, evidence=evidence, user=caseworker)


def test_an_incident_of_another_organisation_is_refused(
    caseworker: User, case: Case, outsider: User
) -> None:
    foreign = make_incident(outsider.organisation, outsider)
    with pytest.raises(Invalid) as refused:
        _file(case, caseworker, incident=foreign)
    assert "incident" in refused.value.fields


def test_next_actions_and_notes_are_not_stored_in_plaintext(caseworker: User, case: Case) -> None:
    claim = _file(case, caseworker, next_action="Call Rashid Khan on 0300-1234567")
    claim_update_status(
        claim=claim,
        changed_by=caseworker,
        status="documents_requested",
        note="Rashid Khan brings CNIC 42101-1234567-1",
    )
    action = str(raw_row(Claim, claim.pk)["next_action"])
    change = claim.history.get(to_status="documents_requested")
    note = str(raw_row(ClaimStatusChange, change.pk)["note"])
    assert "Rashid" not in action and "0300" not in action
    assert "Rashid" not in note and "42101" not in note
    claim.refresh_from_db()
    assert claim.next_action == "Call Rashid Khan on 0300-1234567"
    last = claim.history.last()
    assert last is not None and last.note == "Rashid Khan brings CNIC 42101-1234567-1"
