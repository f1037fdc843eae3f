"""Recording and editing an incident on the staff pages, with victims and sources inline."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from madad.accounts.models import User
from madad.core.models import AuditEvent
from madad.incidents.models import Act, Incident, Source
from madad.people.models import Person
from madad.people.services import person_create
from tests.incidents.factories import Gazetteer, incident_type

pytestmark = pytest.mark.django_db

URL = "/incidents/new/"


def _data(places: Gazetteer, **changes: Any) -> dict[str, Any]:
    data = {
        "title": "Tailor shot at his shop",
        "start_date": "2012-05-06",
        "start_precision": "day",
        "end_date": "",
        "end_precision": "day",
        "place": places.orchard.pk,
        "location_precision": "neighbourhood",
        "latitude": "24.91234",
        "longitude": "67.03456",
        "types": [incident_type("targeted-killing").pk],
        "public_summary": "A tailor was shot.",
        "description": "He had refused to pay.",
        "confidentiality": "internal",
        "version": "",
        "acts-TOTAL_FORMS": "1",
        "acts-INITIAL_FORMS": "0",
        "acts-0-victim_id": "",
        "acts-0-given_name": "Imran",
        "acts-0-family_name": "Aslam",
        "acts-0-full_name_ur": "عمران اسلم",
        "acts-0-sex": "male",
        "acts-0-age": "37",
        "acts-0-act_type": "injured",
        "acts-0-date": "",
        "acts-0-method": "shot",
        "acts-0-consequences": "Cannot work for months.",
        "sources-TOTAL_FORMS": "1",
        "sources-INITIAL_FORMS": "0",
        "sources-0-kind": "police_fir",
        "sources-0-name": "",
        "sources-0-reliability": "B",
        "sources-0-credibility": "2",
        "sources-0-fir_number": "112/2012",
        "sources-0-police_station": "Orchard police station",
        "sources-0-outlet": "",
        "sources-0-url": "",
        "sources-0-received_on": "",
        "sources-0-notes": "",
    }
    data.update(changes)
    return data


def _counts() -> tuple[int, int, int, int, int]:
    return (
        Incident.objects.count(),
        Person.objects.count(),
        Act.objects.count(),
        Source.objects.count(),
        AuditEvent.objects.count(),
    )


def test_a_documenter_records_an_incident_with_a_new_victim_and_a_source(
    documenter: User, places: Gazetteer, signed_in: Callable[[User], Client]
) -> None:
    response = signed_in(documenter).post(URL, _data(places))
    incident = Incident.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/incidents/{incident.pk}/"
    assert incident.status == Incident.Status.REPORTED
    assert incident.created_by == documenter
    assert incident.description == "He had refused to pay."
    act = incident.acts.get()
    assert (act.act_type, act.victim.given_name, act.victim.full_name_ur) == (
        "injured",
        "Imran",
        "عمران اسلم",
    )
    assert act.victim.organisation == documenter.organisation
    source = incident.sources.get()
    assert (source.kind, source.grading, source.fir_number) == ("police_fir", "B2", "112/2012")
    # the restricted text is stored encrypted, not as typed
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT description FROM incidents_incident WHERE id = %s", [incident.pk])
        assert "refused" not in cursor.fetchone()[0]


def test_an_existing_person_can_be_the_victim(
    documenter: User, places: Gazetteer, signed_in: Callable[[User], Client]
) -> None:
    person = person_create(
        organisation=documenter.organisation,
        created_by=documenter,
        given_name="Sana",
        family_name="Iqbal",
    )
    response = signed_in(documenter).post(
        URL,
        _data(
            places,
            **{
                "acts-0-victim_id": str(person.pk),
                "acts-0-given_name": "",
                "acts-0-family_name": "",
                "acts-0-full_name_ur": "",
            },
        ),
    )
    assert response.status_code == 302
    assert Incident.objects.get().acts.get().victim == person
    assert Person.objects.count() == 1


def test_bad_input_gives_field_errors_and_writes_nothing(
    documenter: User, places: Gazetteer, signed_in: Callable[[User], Client]
) -> None:
    before = _counts()
    response = signed_in(documenter).post(
        URL,
        _data(
            places,
            title="",
            start_date="2099-01-01",
            types=[],
            latitude="91",
            **{"acts-0-act_type": "", "sources-0-credibility": ""},
        ),
    )
    assert response.status_code == 422
    form, acts, sources = (response.context[k] for k in ("form", "acts", "sources"))
    assert "title" in form.errors and "types" in form.errors and "latitude" in form.errors
    assert "act_type" in acts.forms[0].errors
    assert "credibility" in sources[0].errors or "reliability" in sources[0].errors
    assert _counts() == before


def test_a_future_date_and_a_victim_of_another_organisation_are_refused(
    documenter: User, outsider: User, places: Gazetteer, signed_in: Callable[[User], Client]
) -> None:
    stranger = person_create(
        organisation=outsider.organisation, created_by=outsider, given_name="Nadia"
    )
    before = _counts()
    response = signed_in(documenter).post(
        URL,
        _data(
            places,
            start_date="2099-01-01",
            **{
                "acts-0-victim_id": str(stranger.pk),
                "acts-0-given_name": "",
                "acts-0-family_name": "",
                "acts-0-full_name_ur": "",
            },
        ),
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "The date cannot be in the future." in html
    assert "No person with this record number." in html
    assert _counts() == before


def test_an_empty_extra_row_is_ignored(
    documenter: User, places: Gazetteer, signed_in: Callable[[User], Client]
) -> None:
    data = _data(
        places,
        **{
            "sources-TOTAL_FORMS": "2",
            "sources-1-kind": "",
            "sources-1-reliability": "",
            "sources-1-credibility": "",
        },
    )
    assert signed_in(documenter).post(URL, data).status_code == 302
    assert Source.objects.count() == 1


def test_adding_a_row_without_script_keeps_what_was_typed(
    documenter: User, places: Gazetteer, signed_in: Callable[[User], Client]
) -> None:
    response = signed_in(documenter).post(URL, _data(places, title="", add_row="acts"))
    assert response.status_code == 200
    assert response.context["acts"].total_form_count() == 2
    html = response.content.decode()
    assert 'value="Imran"' in html
    assert "This field is required." not in html  # no errors while only adding a row
    assert Incident.objects.count() == 0


def test_the_row_endpoint_returns_the_next_row_and_its_count(
    documenter: User, signed_in: Callable[[User], Client]
) -> None:
    response = signed_in(documenter).get("/incidents/rows/sources/", {"sources-TOTAL_FORMS": "3"})
    html = response.content.decode()
    assert 'name="sources-3-kind"' in html
    assert 'id="id_sources-TOTAL_FORMS"' in html and 'value="4"' in html
    assert 'hx-swap-oob="true"' in html


def test_editing_adds_a_victim_and_changes_the_title(
    incident: Incident,
    documenter: User,
    places: Gazetteer,
    signed_in: Callable[[User], Client],
) -> None:
    client = signed_in(documenter)
    url = f"/incidents/{incident.pk}/edit/"
    page = client.get(url)
    assert page.status_code == 200
    assert "RESTRICTED-NARRATIVE" in page.content.decode()  # the description, to edit
    form = page.context["form"]
    data = {name: form.initial.get(name, "") for name in form.fields}
    data.update(
        {
            "title": "New title",
            "place": incident.place_id,
            "types": [t.pk for t in incident.types.all()],
            "start_date": incident.start_date.isoformat(),
            "latitude": "",
            "longitude": "",
            "end_date": "",
            "acts-TOTAL_FORMS": "1",
            "acts-INITIAL_FORMS": "0",
            "acts-0-given_name": "Farah",
            "acts-0-sex": "female",
            "acts-0-act_type": "threatened",
            "sources-TOTAL_FORMS": "0",
            "sources-INITIAL_FORMS": "0",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    incident.refresh_from_db()
    assert incident.title == "New title"
    assert incident.acts.count() == 2
    assert incident.description.startswith("RESTRICTED-NARRATIVE")  # untouched
    assert AuditEvent.objects.filter(action="incident.updated").get().fields == ["title"]


def test_a_date_in_year_one_is_refused(
    documenter: User, places: Gazetteer, signed_in: Callable[[User], Client]
) -> None:
    """Year 1 was accepted and made the public dashboard loop over 24,000 months."""
    before = _counts()
    response = signed_in(documenter).post(URL, _data(places, start_date="0001-01-01"))
    assert response.status_code == 422
    assert "Enter a date between 1900-01-01" in response.content.decode()
    assert _counts() == before
