"""No lost edits: of two people editing one incident, the second save is refused."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from madad.accounts.models import User
from madad.accounts.roles import Role
from madad.core.models import AuditEvent
from madad.core.refusals import Stale
from madad.incidents import services
from madad.incidents.models import Incident

pytestmark = pytest.mark.django_db


def test_the_second_of_two_service_edits_from_one_version_is_refused(
    incident: Incident, documenter: User, make_user: Callable[..., User]
) -> None:
    colleague = make_user(Role.DOCUMENTER)
    read = incident.version
    services.incident_update(
        incident=incident,
        updated_by=documenter,
        expected_version=read,
        title="First editor's title",
    )
    stale_copy = Incident.objects.get(pk=incident.pk)
    with pytest.raises(Stale):
        services.incident_update(
            incident=stale_copy,
            updated_by=colleague,
            expected_version=read,
            title="Second editor's title",
        )
    incident.refresh_from_db()
    assert incident.title == "First editor's title"
    assert incident.version == read + 1
    assert incident.updated_by == documenter
    assert AuditEvent.objects.filter(action="incident.updated").count() == 1


def _form_data(incident: Incident, **changes: Any) -> dict[str, Any]:
    data = {
        "title": incident.title,
        "start_date": incident.start_date.isoformat(),
        "start_precision": incident.start_precision,
        "end_date": "",
        "end_precision": "day",
        "place": incident.place_id,
        "location_precision": incident.location_precision,
        "latitude": "",
        "longitude": "",
        "types": [t.pk for t in incident.types.all()],
        "public_summary": incident.public_summary,
        "description": incident.description,
        "confidentiality": incident.confidentiality,
        "version": incident.version,
        "acts-TOTAL_FORMS": "0",
        "acts-INITIAL_FORMS": "0",
        "sources-TOTAL_FORMS": "0",
        "sources-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


def test_the_second_of_two_page_edits_is_refused_with_a_clear_message(
    incident: Incident, documenter: User, make_user: Callable[..., User]
) -> None:
    colleague = make_user(Role.DOCUMENTER)
    first, second = Client(), Client()
    first.force_login(documenter)
    second.force_login(colleague)
    url = f"/incidents/{incident.pk}/edit/"
    assert first.get(url).status_code == 200 and second.get(url).status_code == 200
    opened = _form_data(incident)  # both opened the same version
    saved = first.post(url, {**opened, "title": "Title by the first editor"})
    assert saved.status_code == 302
    refused = second.post(url, {**opened, "title": "Title by the second editor"})
    assert refused.status_code == 409
    assert "Somebody else changed this record after you opened it" in refused.content.decode()
    incident.refresh_from_db()
    assert incident.title == "Title by the first editor"
    assert incident.updated_by == documenter


def test_a_stale_patch_gets_409_and_changes_nothing(
    client: Client,
    incident: Incident,
    documenter: User,
    make_user: Callable[..., User],
    bearer: Callable[[User], dict[str, str]],
) -> None:
    colleague = make_user(Role.DOCUMENTER)
    url = f"/api/v1/incidents/{incident.pk}"
    read = incident.version
    first = client.patch(
        url,
        {"version": read, "title": "Title from the first client"},
        content_type="application/json",
        headers=bearer(documenter),
    )
    assert first.status_code == 200
    assert first.json()["version"] == read + 1
    second = client.patch(
        url,
        {"version": read, "title": "Title from the second client"},
        content_type="application/json",
        headers=bearer(colleague),
    )
    assert second.status_code == 409
    assert second.json()["error"]["code"] == "stale"
    incident.refresh_from_db()
    assert incident.title == "Title from the first client"


def test_a_patch_with_the_current_version_succeeds(
    client: Client, incident: Incident, documenter: User, bearer: Callable[[User], dict[str, str]]
) -> None:
    response = client.patch(
        f"/api/v1/incidents/{incident.pk}",
        {"version": incident.version, "public_summary": "Updated."},
        content_type="application/json",
        headers=bearer(documenter),
    )
    assert response.status_code == 200, response.content
    incident.refresh_from_db()
    assert incident.public_summary == "Updated."
