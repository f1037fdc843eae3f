"""Verification by a second person: submit, verify, dispute, reject; the history is kept."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from madad.accounts.models import User
from madad.accounts.roles import Role
from madad.core.models import AuditEvent
from madad.core.refusals import Invalid, Refused, Stale
from madad.incidents import services
from madad.incidents.models import Incident, VerificationStep
from madad.incidents.verification import (
    incident_dispute,
    incident_reject,
    incident_submit,
    incident_verify,
)
from tests.incidents.factories import Gazetteer, record_incident

pytestmark = pytest.mark.django_db


def _submitted(incident: Incident, by: User) -> Incident:
    return incident_submit(incident=incident, submitted_by=by)


def test_submitting_puts_a_reported_incident_under_review(
    incident: Incident, documenter: User
) -> None:
    _submitted(incident, documenter)
    assert incident.status == Incident.Status.UNDER_REVIEW
    step = incident.verification_steps.get()
    assert (step.action, step.from_status, step.to_status, step.by) == (
        "submitted",
        "reported",
        "under_review",
        documenter,
    )


def test_a_second_person_verifies_an_incident_with_a_graded_source(
    incident: Incident, documenter: User, verifier: User
) -> None:
    _submitted(incident, documenter)
    incident_verify(incident=incident, verifier=verifier)
    assert incident.status == Incident.Status.VERIFIED
    assert incident.verified_at is not None
    assert list(incident.verification_steps.values_list("action", "by")) == [
        ("submitted", documenter.pk),
        ("verified", verifier.pk),
    ]
    assert AuditEvent.objects.filter(
        action="incident.verified", actor=verifier, object_id=str(incident.pk)
    ).exists()


def test_it_refuses_the_author_as_verifier(
    make_user: Callable[..., User], places: Gazetteer
) -> None:
    # a verifier who recorded the incident themselves (a role may be changed later)
    author = make_user(Role.DOCUMENTER)
    incident = record_incident(by=author, place=places.orchard)
    _submitted(incident, author)
    author.role = Role.VERIFIER
    author.save(update_fields=["role"])
    with pytest.raises(Refused) as refused:
        incident_verify(incident=incident, verifier=author)
    assert refused.value.code == "own_work"
    incident.refresh_from_db()
    assert incident.status == Incident.Status.UNDER_REVIEW
    assert not incident.verification_steps.filter(action="verified").exists()


def test_it_refuses_the_last_editor_as_verifier(
    incident: Incident, documenter: User, verifier: User
) -> None:
    services.incident_update(
        incident=incident,
        updated_by=verifier,
        expected_version=incident.version,
        title="Corrected title",
    )
    _submitted(incident, documenter)
    with pytest.raises(Refused, match="second person"):
        incident_verify(incident=incident, verifier=verifier)
    with pytest.raises(Refused):
        incident_dispute(incident=incident, verifier=verifier, reason="Dates disagree")
    incident.refresh_from_db()
    assert incident.status == Incident.Status.UNDER_REVIEW


def test_it_refuses_to_verify_without_a_graded_source(
    documenter: User, verifier: User, places: Gazetteer
) -> None:
    incident = record_incident(by=documenter, place=places.orchard, graded=False)
    _submitted(incident, documenter)
    with pytest.raises(Refused) as refused:
        incident_verify(incident=incident, verifier=verifier)
    assert refused.value.code == "no_graded_source"
    services.source_grade(
        source=incident.sources.get(), graded_by=documenter, reliability="C", credibility=3
    )
    incident_verify(incident=incident, verifier=verifier)
    assert incident.status == Incident.Status.VERIFIED


def test_disputing_and_rejecting_need_a_reason(
    incident: Incident, documenter: User, verifier: User
) -> None:
    _submitted(incident, documenter)
    for step in (incident_dispute, incident_reject):
        with pytest.raises(Invalid) as invalid:
            step(incident=incident, verifier=verifier, reason="   ")
        assert "reason" in invalid.value.fields
    incident_dispute(incident=incident, verifier=verifier, reason="The two sources disagree.")
    assert incident.status == Incident.Status.DISPUTED
    last_step = incident.verification_steps.last()
    assert last_step is not None and last_step.note == "The two sources disagree."


def test_a_disputed_incident_can_be_submitted_again_and_rejected(
    incident: Incident, documenter: User, verifier: User
) -> None:
    _submitted(incident, documenter)
    incident_dispute(incident=incident, verifier=verifier, reason="Check the date.")
    _submitted(incident, documenter)
    incident_reject(incident=incident, verifier=verifier, reason="A duplicate of #1.")
    assert list(incident.verification_steps.values_list("to_status", flat=True)) == [
        "under_review",
        "disputed",
        "under_review",
        "rejected",
    ]


def test_only_an_incident_under_review_can_be_verified(incident: Incident, verifier: User) -> None:
    with pytest.raises(Refused) as refused:
        incident_verify(incident=incident, verifier=verifier)
    assert refused.value.code == "wrong_status"
    assert incident.status == Incident.Status.REPORTED


def test_editing_a_verified_incident_sends_it_back_for_review(
    incident: Incident, documenter: User, verifier: User
) -> None:
    _submitted(incident, documenter)
    incident_verify(incident=incident, verifier=verifier)
    services.incident_update(
        incident=incident,
        updated_by=documenter,
        expected_version=incident.version,
        public_summary="Corrected.",
    )
    incident.refresh_from_db()
    assert incident.status == Incident.Status.UNDER_REVIEW
    assert incident.verified_at is None
    reopened = incident.verification_steps.last()
    assert reopened is not None
    assert (reopened.action, reopened.from_status, reopened.by) == (
        VerificationStep.Action.REOPENED,
        "verified",
        documenter,
    )


def test_adding_a_source_to_a_verified_incident_also_sends_it_back(
    incident: Incident, documenter: User, verifier: User
) -> None:
    _submitted(incident, documenter)
    incident_verify(incident=incident, verifier=verifier)
    services.source_add(
        incident=incident,
        added_by=documenter,
        kind="news",
        outlet="Daily Example",
        url="https://news.example.org/1",
    )
    incident.refresh_from_db()
    assert incident.status == Incident.Status.UNDER_REVIEW


def test_a_verification_of_a_version_since_changed_is_refused(
    incident: Incident, documenter: User, verifier: User
) -> None:
    _submitted(incident, documenter)
    reviewed = incident.version
    services.incident_update(
        incident=incident,
        updated_by=documenter,
        expected_version=reviewed,
        title="Changed while being reviewed",
    )
    with pytest.raises(Stale):
        incident_verify(incident=incident, verifier=verifier, expected_version=reviewed)
    incident.refresh_from_db()
    assert incident.status == Incident.Status.UNDER_REVIEW
