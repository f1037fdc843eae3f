"""The verification forms on an incident's page, asked by the owner (the documenter who
recorded it), a colleague with another role (a verifier, a caseworker) and an outsider."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from madad.accounts.models import User
from madad.incidents.models import Incident
from madad.incidents.verification import incident_submit

pytestmark = pytest.mark.django_db


def _url(incident: Incident) -> str:
    return f"/incidents/{incident.pk}/verification/"


def test_the_documenter_submits_from_the_page(
    incident: Incident, documenter: User, signed_in: Callable[[User], Client]
) -> None:
    client = signed_in(documenter)
    assert b'value="submit"' in client.get(f"/incidents/{incident.pk}/").content
    response = client.post(
        _url(incident), {"action": "submit", "version": incident.version}, follow=True
    )
    assert "The incident was submitted for review." in response.content.decode()
    incident.refresh_from_db()
    assert incident.status == Incident.Status.UNDER_REVIEW


def test_a_verifier_verifies_from_the_page_and_sees_the_history(
    incident: Incident, documenter: User, verifier: User, signed_in: Callable[[User], Client]
) -> None:
    incident_submit(incident=incident, submitted_by=documenter)
    client = signed_in(verifier)
    page = client.get(f"/incidents/{incident.pk}/").content.decode()
    assert 'value="verify"' in page
    response = client.post(
        _url(incident), {"action": "verify", "version": incident.version}, follow=True
    )
    html = response.content.decode()
    assert "The incident is verified." in html
    assert "Submitted for review" in html and verifier.full_name in html
    incident.refresh_from_db()
    assert incident.status == Incident.Status.VERIFIED


def test_the_page_tells_an_author_verifier_that_someone_else_must_verify(
    incident: Incident, documenter: User, signed_in: Callable[[User], Client]
) -> None:
    incident_submit(incident=incident, submitted_by=documenter)
    documenter.role = "verifier"
    documenter.save(update_fields=["role"])
    client = signed_in(documenter)
    page = client.get(f"/incidents/{incident.pk}/").content.decode()
    assert 'value="verify"' not in page
    assert "another verifier must check it" in page
    response = client.post(_url(incident), {"action": "verify", "version": incident.version})
    assert response.status_code == 403
    assert "A second person must check this incident" in response.content.decode()
    incident.refresh_from_db()
    assert incident.status == Incident.Status.UNDER_REVIEW


def test_a_dispute_without_a_reason_is_refused_with_a_message(
    incident: Incident, documenter: User, verifier: User, signed_in: Callable[[User], Client]
) -> None:
    incident_submit(incident=incident, submitted_by=documenter)
    response = signed_in(verifier).post(
        _url(incident),
        {"action": "dispute", "version": incident.version, "reason": ""},
    )
    assert response.status_code == 422
    assert "This field is required." in response.content.decode()
    incident.refresh_from_db()
    assert incident.status == Incident.Status.UNDER_REVIEW


def test_a_caseworker_can_neither_submit_nor_verify(
    incident: Incident, documenter: User, caseworker: User, signed_in: Callable[[User], Client]
) -> None:
    client = signed_in(caseworker)
    page = client.get(f"/incidents/{incident.pk}/").content.decode()
    assert 'value="submit"' not in page and 'value="verify"' not in page
    assert (
        client.post(_url(incident), {"action": "submit", "version": incident.version}).status_code
        == 404
    )
    incident_submit(incident=incident, submitted_by=documenter)
    assert (
        client.post(_url(incident), {"action": "verify", "version": incident.version}).status_code
        == 404
    )
    incident.refresh_from_db()
    assert incident.status == Incident.Status.UNDER_REVIEW


def test_an_outsider_gets_404(
    incident: Incident, documenter: User, outsider: User, signed_in: Callable[[User], Client]
) -> None:
    incident_submit(incident=incident, submitted_by=documenter)
    outsider.role = "verifier"
    outsider.save(update_fields=["role"])
    response = signed_in(outsider).post(
        _url(incident), {"action": "verify", "version": incident.version}
    )
    assert response.status_code == 404
    incident.refresh_from_db()
    assert incident.status == Incident.Status.UNDER_REVIEW
