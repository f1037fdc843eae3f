"""/api/v1/testimonies, asked by the owner, colleagues with other roles and outsiders."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from madad.accounts.models import Organisation, User
from madad.accounts.roles import Role
from madad.core.models import AuditEvent
from madad.incidents.models import Incident
from madad.people.models import Person
from madad.testimonies import models
from madad.testimonies.models import ConsentRecord
from madad.testimonies.services import consent_covers, consent_give
from tests.api.helpers import assert_error_shape
from tests.evidence.factories import make_person, make_testimony
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/testimonies"
Bearer = Callable[[User], dict[str, str]]
TRANSCRIPT = "Two men on a motorbike fired at the shop."


@pytest.fixture
def person(relief_org: Organisation) -> Person:
    return make_person(organisation=relief_org)


@pytest.fixture
def testimony(person: Person, documenter: User, incident: Incident) -> models.Testimony:
    return make_testimony(person=person, user=documenter, incident=incident, transcript=TRANSCRIPT)


@pytest.fixture
def rights_org() -> Organisation:
    return OrganisationFactory.create(
        name="Rights Watch (test)", kind=Organisation.Kind.HUMAN_RIGHTS
    )


def _covers(client: Client, headers: dict[str, str], **query: int | str) -> Any:
    """Asks whether consent covers sharing: GET consent/covers?person=...&purpose=..."""
    return client.get(f"{URL}/consent/covers", query, headers=headers)


def _user(
    make_user: Callable[..., User],
    who: str,
    other_relief_org: Organisation,
    partner_org: Organisation,
) -> User:
    if who == "outsider":
        return make_user(Role.DOCUMENTER, other_relief_org)
    if who == "partner_user":
        return make_user(Role.PARTNER, partner_org)
    return make_user(who)


def test_the_owner_records_a_testimony(
    client: Client, bearer: Bearer, documenter: User, person: Person, incident: Incident
) -> None:
    response = client.post(
        URL,
        {
            "person": person.pk,
            "incident": incident.pk,
            "date": "2012-05-10",
            "language": "sd",
            "transcript": TRANSCRIPT,
        },
        content_type="application/json",
        headers=bearer(documenter),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["person"] == person.pk and body["incident"] == incident.pk
    assert body["transcript"] == TRANSCRIPT and body["attachments"] == []
    assert models.Testimony.objects.get().language == "sd"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"language": "latin"}, "language"),
        ({"date": "2999-01-01"}, "date"),
        ({"transcript": ""}, "transcript"),
        ({"person": 2**70}, "person"),
        ({"incident": 999999}, "incident"),
    ],
)
def test_bad_testimony_input_is_a_422_by_field(
    client: Client,
    bearer: Bearer,
    documenter: User,
    person: Person,
    change: dict[str, Any],
    field: str,
) -> None:
    payload = {
        "person": person.pk,
        "date": "2012-05-10",
        "language": "ur",
        "transcript": TRANSCRIPT,
    }
    payload.update(change)
    response = client.post(
        URL, payload, content_type="application/json", headers=bearer(documenter)
    )
    error = assert_error_shape(response, 422, "invalid")
    assert field in error["fields"], error
    assert not models.Testimony.objects.exists()


def test_a_verifier_cannot_record_a_testimony(
    client: Client, bearer: Bearer, make_user: Callable[..., User], person: Person
) -> None:
    response = client.post(
        URL,
        {"person": person.pk, "date": "2012-05-10", "language": "ur", "transcript": TRANSCRIPT},
        content_type="application/json",
        headers=bearer(make_user(Role.VERIFIER)),
    )
    assert_error_shape(response, 403, "forbidden")


def test_listing_shows_no_transcript_and_reading_one_is_audited(
    client: Client, bearer: Bearer, make_user: Callable[..., User], testimony: models.Testimony
) -> None:
    caseworker = make_user(Role.CASEWORKER)
    headers = bearer(caseworker)
    listed = client.get(URL, {"person": testimony.person_id}, headers=headers).json()
    assert listed["count"] == 1 and "transcript" not in listed["items"][0]
    assert not AuditEvent.objects.filter(action="testimony.transcript.viewed").exists()
    body = client.get(f"{URL}/{testimony.pk}", headers=headers).json()
    assert body["transcript"] == TRANSCRIPT
    event = AuditEvent.objects.get(action="testimony.transcript.viewed")
    assert event.actor_id == caseworker.pk


@pytest.mark.parametrize("who", [Role.FINANCE, "outsider", "partner_user"])
def test_others_find_no_testimony(
    client: Client,
    bearer: Bearer,
    make_user: Callable[..., User],
    other_relief_org: Organisation,
    partner_org: Organisation,
    testimony: models.Testimony,
    who: str,
) -> None:
    headers = bearer(_user(make_user, who, other_relief_org, partner_org))
    assert client.get(URL, headers=headers).json()["count"] == 0
    assert_error_shape(client.get(f"{URL}/{testimony.pk}", headers=headers), 404, "not_found")
    assert not AuditEvent.objects.filter(action="testimony.transcript.viewed").exists()


def test_consent_is_given_and_withdrawn_through_the_api(
    client: Client,
    bearer: Bearer,
    make_user: Callable[..., User],
    person: Person,
    rights_org: Organisation,
) -> None:
    headers = bearer(make_user(Role.CASEWORKER))
    given = client.post(
        f"{URL}/consent",
        {
            "person": person.pk,
            "purpose": "human_rights_sharing",
            "decision": "given",
            "recipient": rights_org.pk,
            "date": "2013-01-10",
        },
        content_type="application/json",
        headers=headers,
    )
    assert given.status_code == 201, given.content
    assert given.json()["recipient"] == rights_org.pk
    covers = _covers(
        client, headers, person=person.pk, purpose="human_rights_sharing", recipient=rights_org.pk
    ).json()
    assert covers == {"covered": True}
    withdrawn = client.post(
        f"{URL}/consent",
        {
            "person": person.pk,
            "purpose": "human_rights_sharing",
            "decision": "withdrawn",
            "recipient": rights_org.pk,
            "date": "2013-02-10",
        },
        content_type="application/json",
        headers=headers,
    )
    assert withdrawn.status_code == 201
    assert not consent_covers(person=person, purpose="human_rights_sharing", recipient=rights_org)
    history = client.get(f"{URL}/consent", {"person": person.pk}, headers=headers).json()
    assert [item["decision"] for item in history["items"]] == ["withdrawn", "given"]


def test_consent_for_a_testimony_through_the_api(
    client: Client, bearer: Bearer, documenter: User, testimony: models.Testimony
) -> None:
    response = client.post(
        f"{URL}/consent",
        {
            "testimony": testimony.pk,
            "purpose": "delegation_viewing",
            "decision": "given",
            "date": "2013-01-10",
        },
        content_type="application/json",
        headers=bearer(documenter),
    )
    assert response.status_code == 201
    assert ConsentRecord.objects.get().testimony == testimony


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"purpose": "human_rights_sharing", "decision": "given"}, "recipient"),
        ({"purpose": "referral", "decision": "given"}, "recipient"),
        ({"purpose": "case_management", "decision": "withdrawn"}, "purpose"),
        ({"purpose": "referral", "decision": "maybe"}, "decision"),
        ({"purpose": "fundraising", "decision": "given"}, "purpose"),
    ],
)
def test_bad_consent_input_is_a_422_by_field(
    client: Client,
    bearer: Bearer,
    documenter: User,
    person: Person,
    payload: dict[str, Any],
    field: str,
) -> None:
    response = client.post(
        f"{URL}/consent",
        {"person": person.pk, "date": "2013-01-10", **payload},
        content_type="application/json",
        headers=bearer(documenter),
    )
    error = assert_error_shape(response, 422, "invalid")
    assert field in error["fields"], error
    assert not ConsentRecord.objects.exists()


def test_a_recipient_that_is_no_human_rights_organisation_is_refused(
    client: Client, bearer: Bearer, documenter: User, person: Person, partner_org: Organisation
) -> None:
    response = client.post(
        f"{URL}/consent",
        {
            "person": person.pk,
            "purpose": "human_rights_sharing",
            "decision": "given",
            "recipient": partner_org.pk,
            "date": "2013-01-10",
        },
        content_type="application/json",
        headers=bearer(documenter),
    )
    error = assert_error_shape(response, 422, "invalid")
    assert "recipient" in error["fields"]


def test_consent_to_referral_names_its_partner_through_the_api(
    client: Client,
    bearer: Bearer,
    documenter: User,
    person: Person,
    partner_org: Organisation,
    rights_org: Organisation,
) -> None:
    headers = bearer(documenter)
    given = client.post(
        f"{URL}/consent",
        {
            "person": person.pk,
            "purpose": "referral",
            "decision": "given",
            "recipient": partner_org.pk,
            "date": "2013-01-10",
        },
        content_type="application/json",
        headers=headers,
    )
    assert given.status_code == 201, given.content
    assert given.json()["recipient"] == partner_org.pk
    for org, covered in ((partner_org, True), (rights_org, False)):
        assert _covers(
            client, headers, person=person.pk, purpose="referral", recipient=org.pk
        ).json() == {"covered": covered}
    assert _covers(client, headers, person=person.pk, purpose="referral").json() == {
        "covered": False
    }


def test_a_relief_organisation_is_no_recipient_of_consent_to_referral(
    client: Client,
    bearer: Bearer,
    documenter: User,
    person: Person,
    other_relief_org: Organisation,
) -> None:
    response = client.post(
        f"{URL}/consent",
        {
            "person": person.pk,
            "purpose": "referral",
            "decision": "given",
            "recipient": other_relief_org.pk,
            "date": "2013-01-10",
        },
        content_type="application/json",
        headers=bearer(documenter),
    )
    error = assert_error_shape(response, 422, "invalid")
    assert error["fields"] == {"recipient": ["Choose one of the partner organisations."]}
    assert not ConsentRecord.objects.exists()


def test_naming_neither_a_person_nor_a_testimony_is_a_422(
    client: Client, bearer: Bearer, documenter: User
) -> None:
    response = client.post(
        f"{URL}/consent",
        {"purpose": "referral", "decision": "given", "date": "2013-01-10"},
        content_type="application/json",
        headers=bearer(documenter),
    )
    assert_error_shape(response, 422, "invalid")


def test_a_verifier_reads_consent_but_cannot_record_it(
    client: Client,
    bearer: Bearer,
    make_user: Callable[..., User],
    documenter: User,
    person: Person,
) -> None:
    consent_give(
        person=person, purpose="case_management", date=dt.date(2013, 1, 1), recorded_by=documenter
    )
    headers = bearer(make_user(Role.VERIFIER))
    assert client.get(f"{URL}/consent", {"person": person.pk}, headers=headers).json()["count"] == 1
    response = client.post(
        f"{URL}/consent",
        {
            "person": person.pk,
            "purpose": "case_management",
            "decision": "withdrawn",
            "date": "2013-02-01",
        },
        content_type="application/json",
        headers=headers,
    )
    assert_error_shape(response, 403, "forbidden")


@pytest.mark.parametrize("who", ["outsider", "partner_user"])
def test_outsiders_find_no_consent(
    client: Client,
    bearer: Bearer,
    make_user: Callable[..., User],
    other_relief_org: Organisation,
    partner_org: Organisation,
    person: Person,
    who: str,
) -> None:
    headers = bearer(_user(make_user, who, other_relief_org, partner_org))
    assert_error_shape(
        client.get(f"{URL}/consent", {"person": person.pk}, headers=headers), 404, "not_found"
    )
    assert_error_shape(
        _covers(client, headers, person=person.pk, purpose="referral"),
        404,
        "not_found",
    )
    response = client.post(
        f"{URL}/consent",
        {"person": person.pk, "purpose": "referral", "decision": "given", "date": "2013-01-10"},
        content_type="application/json",
        headers=headers,
    )
    assert_error_shape(response, 404, "not_found")
    assert not ConsentRecord.objects.exists()


def test_numbers_too_large_for_the_database_are_a_404_or_a_422(
    client: Client, bearer: Bearer, documenter: User
) -> None:
    headers = bearer(documenter)
    huge = 10**30
    assert_error_shape(client.get(f"{URL}/{huge}", headers=headers), 404, "not_found")
    assert_error_shape(
        client.get(f"{URL}/consent", {"person": huge}, headers=headers), 422, "invalid"
    )
