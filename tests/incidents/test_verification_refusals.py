"""The verification form: who may take the step is asked before the form is read, and a form
with errors from a verifier is the incident's page again with 422 (it was a 404, as if the
incident did not exist)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from madad.accounts.models import User
from madad.incidents.models import Incident, VerificationStep
from madad.incidents.verification import incident_submit

pytestmark = pytest.mark.django_db


def _url(incident: Incident) -> str:
    return f"/incidents/{incident.pk}/verification/"


REQUIRED = "This field is required."
TOO_LONG = "Ensure this value has at most 2000 characters (it has 2001)."


@pytest.mark.parametrize(
    ("data", "told"),
    [
        ({}, REQUIRED),
        ({"action": "verify"}, REQUIRED),
        ({"action": "dispute", "version": "1", "reason": "x" * 2001}, TOO_LONG),
    ],
)
def test_a_verifiers_form_with_errors_comes_back_with_them(
    incident: Incident,
    documenter: User,
    verifier: User,
    signed_in: Callable[[User], Any],
    data: dict[str, str],
    told: str,
) -> None:
    incident_submit(incident=incident, submitted_by=documenter)
    steps = VerificationStep.objects.filter(incident=incident).count()
    response = signed_in(verifier).post(_url(incident), data)
    assert response.status_code == 422
    assert told in response.content.decode()
    incident.refresh_from_db()
    assert incident.status == Incident.Status.UNDER_REVIEW
    assert VerificationStep.objects.filter(incident=incident).count() == steps


@pytest.mark.parametrize("data", [{}, {"action": "verify", "version": "x"}])
def test_a_role_that_may_not_verify_is_refused_before_the_form_is_read(
    incident: Incident,
    documenter: User,
    caseworker: User,
    signed_in: Callable[[User], Any],
    data: dict[str, str],
) -> None:
    incident_submit(incident=incident, submitted_by=documenter)
    for user in (documenter, caseworker):
        assert signed_in(user).post(_url(incident), data).status_code == 404
    incident.refresh_from_db()
    assert incident.status == Incident.Status.UNDER_REVIEW


def test_a_writers_submit_with_errors_comes_back_with_them(
    incident: Incident, documenter: User, signed_in: Callable[[User], Any]
) -> None:
    response = signed_in(documenter).post(_url(incident), {"action": "submit"})
    assert response.status_code == 422
    assert REQUIRED in response.content.decode()
    incident.refresh_from_db()
    assert incident.status == Incident.Status.REPORTED
