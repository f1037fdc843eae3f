"""/api/v1/incidents asked by the owner, colleagues with other roles and outsiders."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from madad.accounts.models import User
from madad.core.models import AuditEvent
from madad.incidents.models import Incident, Involvement
from madad.incidents.verification import incident_submit
from madad.people.models import Person
from tests.api.helpers import assert_error_shape
from tests.incidents.factories import Gazetteer

pytestmark = pytest.mark.django_db

URL = "/api/v1/incidents"
Bearer = Callable[[User], dict[str, str]]


def _post(client: Client, url: str, body: Any, headers: dict[str, str]) -> Any:
    return client.post(url, body, content_type="application/json", headers=headers)


def _body(places: Gazetteer, **changes: Any) -> dict[str, Any]:
    body = {
        "title": "Student abducted on his way home",
        "start_date": "2013-04-02",
        "place_id": places.harbour.pk,
        "types": ["kidnapping-for-ransom"],
        "description": "API-NARRATIVE",
        "public_summary": "A student was abducted.",
        "acts": [
            {
                "new_victim": {
                    "given_name": "Hamza",
                    "family_name": "Karim",
                    "age": 19,
                    "sex": "male",
                },
                "act_type": "abducted",
            }
        ],
        "sources": [
            {
                "kind": "family",
                "name": "API-SOURCE his mother",
                "reliability": "B",
                "credibility": 2,
            }
        ],
    }
    body.update(changes)
    return body


# --- the owner ------------------------------------------------------------------------------
def test_a_documenter_records_an_incident_through_the_api(
    client: Client, documenter: User, places: Gazetteer, bearer: Bearer
) -> None:
    response = _post(client, URL, _body(places), bearer(documenter))
    assert response.status_code == 201, response.content
    body = response.json()
    incident = Incident.objects.get(pk=body["id"])
    assert body["status"] == "reported" and body["version"] == 1
    assert body["description"] == "API-NARRATIVE"
    assert body["acts"][0]["act_type"] == "abducted"
    assert body["acts"][0]["involvements"] == []
    assert body["sources"][0]["grading"] == "B2"
    assert body["sources"][0]["name"] == "API-SOURCE his mother"
    assert body["confidence"] == "high"
    assert incident.acts.get().victim.given_name == "Hamza"


def test_the_list_filters_and_paginates(
    client: Client, incident: Incident, documenter: User, places: Gazetteer, bearer: Bearer
) -> None:
    headers = bearer(documenter)
    _post(client, URL, _body(places), headers)
    everything = client.get(URL, headers=headers).json()
    assert everything["count"] == 2
    assert set(everything["items"][0]) >= {"id", "title", "place", "types", "status", "version"}
    assert "description" not in everything["items"][0]
    page = client.get(URL, {"limit": 1, "offset": 1}, headers=headers).json()
    assert [i["id"] for i in page["items"]] == [incident.pk]  # the older one comes second
    assert client.get(URL, {"district": places.north.pk}, headers=headers).json()["count"] == 1
    assert client.get(URL, {"type": "kidnapping-for-ransom"}, headers=headers).json()["count"] == 1
    searched = _post(client, f"{URL}/search", {"q": "abducted"}, headers)
    assert searched.status_code == 200 and searched.json()["count"] == 1
    # words that may name people stay out of URLs and access logs
    assert (
        "q"
        in assert_error_shape(client.get(URL, {"q": "abducted"}, headers=headers), 422)["fields"]
    )
    assert_error_shape(client.get(URL, {"type": "no-such-type"}, headers=headers), 422)


def test_bad_input_gives_field_errors_and_writes_nothing(
    client: Client, documenter: User, places: Gazetteer, bearer: Bearer
) -> None:
    headers = bearer(documenter)
    before = (Incident.objects.count(), Person.objects.count(), AuditEvent.objects.count())
    bad = [
        (_body(places, title=""), "title"),
        (_body(places, place_id=999999), "place_id"),
        (_body(places, types=["unknown"]), "types"),
        (_body(places, start_date="2999-01-01"), "start_date"),
        (_body(places, end_date="2000-01-01"), "end_date"),
        (_body(places, acts=[{"act_type": "abducted"}]), "acts.0.victim"),
        (_body(places, acts=[{"victim_id": 999999, "act_type": "killed"}]), "acts.0.victim_id"),
        (_body(places, sources=[{"kind": "news", "reliability": "B"}]), "sources.0.credibility"),
        (_body(places, latitude=24.9), "longitude"),
    ]
    for body, field in bad:
        response = _post(client, URL, body, headers)
        error = assert_error_shape(response, 422, "invalid")
        assert field in error["fields"], (field, error)
    after = (Incident.objects.count(), Person.objects.count(), AuditEvent.objects.count())
    assert after == before


def test_acts_sources_and_alleged_perpetrators_are_added(
    client: Client, incident: Incident, documenter: User, bearer: Bearer
) -> None:
    headers = bearer(documenter)
    base = f"{URL}/{incident.pk}"
    act = _post(
        client,
        f"{base}/acts",
        {"new_victim": {"given_name": "Rabia"}, "act_type": "threatened"},
        headers,
    )
    assert act.status_code == 201, act.content
    act_id = act.json()["id"]
    source = _post(
        client,
        f"{base}/sources",
        {"kind": "news", "outlet": "Example Daily", "url": "https://news.example.org/a"},
        headers,
    )
    assert source.status_code == 201 and source.json()["grading"] is None
    graded = _post(
        client,
        f"{base}/sources/{source.json()['id']}/grading",
        {"reliability": "C", "credibility": 3},
        headers,
    )
    assert graded.json()["grading"] == "C3"
    perp = _post(
        client,
        f"{base}/acts/{act_id}/involvements",
        {"described_group": "an armed group (unnamed)", "degree": "present"},
        headers,
    )
    assert perp.status_code == 201, perp.content
    listed = client.get(f"{base}/acts/{act_id}/involvements", headers=headers).json()
    assert [p["described_group"] for p in listed] == ["an armed group (unnamed)"]


def test_verification_through_the_api(
    client: Client, incident: Incident, documenter: User, verifier: User, bearer: Bearer
) -> None:
    base = f"{URL}/{incident.pk}"
    submitted = _post(client, f"{base}/submit", {}, bearer(documenter))
    assert submitted.json()["status"] == "under_review"
    own = _post(client, f"{base}/verify", {}, bearer(documenter))
    assert_error_shape(own, 403)
    headers = bearer(verifier)
    stale = _post(client, f"{base}/verify", {"version": 1}, headers)
    assert_error_shape(stale, 409, "stale")
    verified = _post(client, f"{base}/verify", {"version": submitted.json()["version"]}, headers)
    assert verified.status_code == 200, verified.content
    body = verified.json()
    assert body["status"] == "verified"
    assert [s["action"] for s in body["verification"]] == ["submitted", "verified"]
    again = _post(client, f"{base}/reject", {"reason": "late doubt"}, headers)
    assert_error_shape(again, 409, "wrong_status")


def test_verifying_without_a_graded_source_is_a_conflict(
    client: Client, documenter: User, verifier: User, places: Gazetteer, bearer: Bearer
) -> None:
    created = _post(
        client, URL, _body(places, sources=[{"kind": "witness"}]), bearer(documenter)
    ).json()
    incident_submit(incident=Incident.objects.get(pk=created["id"]), submitted_by=documenter)
    response = _post(client, f"{URL}/{created['id']}/verify", {}, bearer(verifier))
    assert_error_shape(response, 409, "no_graded_source")


# --- colleagues with other roles --------------------------------------------------------------
def test_an_alleged_perpetrator_is_absent_for_a_caseworker(
    client: Client, incident: Incident, caseworker: User, bearer: Bearer
) -> None:
    headers = bearer(caseworker)
    response = client.get(f"{URL}/{incident.pk}", headers=headers)
    assert response.status_code == 200
    body = response.json()
    text = response.content.decode()
    assert "PERPETRATOR" not in text
    assert all("involvements" not in act for act in body["acts"])
    assert "description" not in body and "RESTRICTED" not in text
    assert "name" not in body["sources"][0] and "SOURCE-NAME" not in text
    assert body["sources"][0]["grading"] == "B2"
    act = incident.acts.get()
    assert_error_shape(
        client.get(f"{URL}/{incident.pk}/acts/{act.pk}/involvements", headers=headers), 404
    )
    assert_error_shape(
        _post(
            client,
            f"{URL}/{incident.pk}/acts/{act.pk}/involvements",
            {"described_group": "x", "degree": "present"},
            headers,
        ),
        404,
    )
    assert Involvement.objects.count() == 1


def test_a_caseworker_may_not_record_or_change_incidents(
    client: Client, incident: Incident, caseworker: User, places: Gazetteer, bearer: Bearer
) -> None:
    headers = bearer(caseworker)
    assert_error_shape(_post(client, URL, _body(places), headers), 403)
    patch = client.patch(
        f"{URL}/{incident.pk}",
        {"version": incident.version, "title": "x"},
        content_type="application/json",
        headers=headers,
    )
    assert_error_shape(patch, 403)
    assert_error_shape(_post(client, f"{URL}/{incident.pk}/verify", {}, headers), 403)
    incident.refresh_from_db()
    assert incident.title != "x"


# --- outsiders ------------------------------------------------------------------------------
def test_a_partner_user_gets_404_on_an_incident(
    client: Client, incident: Incident, partner_user: User, bearer: Bearer
) -> None:
    headers = bearer(partner_user)
    assert_error_shape(client.get(f"{URL}/{incident.pk}", headers=headers), 404)
    assert_error_shape(client.get(URL, headers=headers), 404)
    assert_error_shape(_post(client, f"{URL}/{incident.pk}/submit", {}, headers), 404)


def test_another_organisations_documenter_gets_404(
    client: Client, incident: Incident, outsiders_documenter: User, bearer: Bearer
) -> None:
    headers = bearer(outsiders_documenter)
    assert_error_shape(client.get(f"{URL}/{incident.pk}", headers=headers), 404)
    patch = client.patch(
        f"{URL}/{incident.pk}",
        {"version": incident.version, "title": "x"},
        content_type="application/json",
        headers=headers,
    )
    assert_error_shape(patch, 404)
    assert client.get(URL, headers=headers).json()["count"] == 0


def test_a_date_in_year_one_is_refused(
    client: Client, documenter: User, places: Gazetteer, bearer: Bearer
) -> None:
    """Year 1 was accepted and made the public dashboard loop over 24,000 months."""
    response = _post(client, URL, _body(places, start_date="0001-01-01"), bearer(documenter))
    assert "start_date" in assert_error_shape(response, 422, "invalid")["fields"]
    assert not Incident.objects.exists()
