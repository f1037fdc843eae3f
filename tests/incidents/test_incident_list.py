"""The incident list: filters, search over title and public summary, pagination."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client

from madad.accounts.models import User
from madad.incidents import services
from madad.incidents.models import Incident
from madad.incidents.verification import incident_submit
from tests.incidents.factories import Gazetteer, incident_type, record_incident

pytestmark = pytest.mark.django_db


@pytest.fixture
def three(documenter: User, places: Gazetteer) -> SimpleNamespace:
    """A killing in the north (2009), extortion in the south (2011, under review) and arson in
    the south spanning 2012 into 2013."""
    killing = record_incident(
        by=documenter,
        place=places.orchard,
        title="Driver shot dead",
        start_date=dt.date(2009, 2, 10),
    )
    extortion = record_incident(
        by=documenter,
        place=places.harbour,
        title="Demand for money at a bakery",
        start_date=dt.date(2011, 8, 1),
        types=["extortion-demand"],
        public_summary="A baker was told to pay every month.",
    )
    incident_submit(incident=extortion, submitted_by=documenter)
    arson = record_incident(
        by=documenter,
        place=places.seatown,
        title="Warehouse burnt",
        start_date=dt.date(2012, 12, 30),
        end_date=dt.date(2013, 1, 2),
        types=["arson"],
    )
    return SimpleNamespace(killing=killing, extortion=extortion, arson=arson)


def _titles(client: Client, **params: Any) -> list[str]:
    """The list's titles; a search by words is posted (words stay out of the URL)."""
    if "q" in params:
        response = client.post("/incidents/", params)
    else:
        response = client.get("/incidents/", params)
    assert response.status_code == 200
    return [i.title for i in response.context["page"]]


def test_the_list_shows_the_organisations_incidents_newest_first(
    three: SimpleNamespace, documenter: User, signed_in: Callable[[User], Client]
) -> None:
    assert _titles(signed_in(documenter)) == [
        "Warehouse burnt",
        "Demand for money at a bakery",
        "Driver shot dead",
    ]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "bakery"}, ["Demand for money at a bakery"]),
        ({"q": "every month"}, ["Demand for money at a bakery"]),  # the public summary
        ({"q": "refused a demand"}, []),  # the restricted description is not searched
        ({"date_from": "2011-01-01", "date_to": "2011-12-31"}, ["Demand for money at a bakery"]),
        ({"date_from": "2013-01-01"}, ["Warehouse burnt"]),  # it lasted into 2013
        ({"status": "under_review"}, ["Demand for money at a bakery"]),
    ],
)
def test_filters_and_search(
    three: SimpleNamespace,
    documenter: User,
    signed_in: Callable[[User], Client],
    params: dict[str, str],
    expected: list[str],
) -> None:
    assert _titles(signed_in(documenter), **params) == expected


def test_filtering_by_type_district_and_town(
    three: SimpleNamespace,
    places: Gazetteer,
    documenter: User,
    signed_in: Callable[[User], Client],
) -> None:
    client = signed_in(documenter)
    assert _titles(client, type=incident_type("arson").pk) == ["Warehouse burnt"]
    assert _titles(client, district=places.south.pk) == [
        "Warehouse burnt",
        "Demand for money at a bakery",
    ]
    assert _titles(client, town=places.hilltown.pk) == ["Driver shot dead"]
    assert _titles(client, district=places.south.pk, type=incident_type("extortion-demand").pk) == [
        "Demand for money at a bakery"
    ]


def test_a_reversed_date_range_is_an_error_not_an_empty_list(
    three: SimpleNamespace, documenter: User, signed_in: Callable[[User], Client]
) -> None:
    response = signed_in(documenter).get(
        "/incidents/", {"date_from": "2013-01-01", "date_to": "2010-01-01"}
    )
    assert response.status_code == 422
    assert "The start date is after the end date." in response.content.decode()


def test_htmx_filtering_returns_only_the_rows(
    three: SimpleNamespace, documenter: User, signed_in: Callable[[User], Client]
) -> None:
    response = signed_in(documenter).post(
        "/incidents/", {"q": "warehouse"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert "<html" not in html and "Warehouse burnt" in html and "Driver" not in html


def test_the_list_is_paginated(
    documenter: User, places: Gazetteer, signed_in: Callable[[User], Client]
) -> None:
    for n in range(27):
        services.incident_create(
            organisation=documenter.organisation,
            created_by=documenter,
            title=f"Threat {n}",
            start_date=dt.date(2010, 1, 1),
            place=places.orchard,
            types=[incident_type("threat-or-intimidation")],
        )
    client = signed_in(documenter)
    first = client.get("/incidents/")
    assert len(first.context["page"]) == 25
    assert "Page 1 of 2" in first.content.decode()
    assert len(client.get("/incidents/", {"page": 2}).context["page"]) == 2


def test_a_caseworker_sees_the_list_but_an_outsider_sees_none_of_it(
    three: SimpleNamespace,
    caseworker: User,
    outsider: User,
    client: Client,
    signed_in: Callable[[User], Client],
) -> None:
    assert len(_titles(signed_in(caseworker))) == 3
    client.logout()
    assert _titles(signed_in(outsider)) == []
    assert Incident.objects.count() == 3


def test_search_words_in_a_query_string_are_ignored(
    three: SimpleNamespace, documenter: User, signed_in: Callable[[User], Client]
) -> None:
    """Words that may name people never search from a URL (they would be in access logs)."""
    client = signed_in(documenter)
    assert len(_titles(client, page="1", **{"status": ""})) == 3
    response = client.get("/incidents/", {"q": "warehouse"})
    assert len(response.context["page"]) == 3
    html = client.get("/incidents/").content.decode()
    assert 'method="post" action="/incidents/"' in html and 'name="q"' in html


def test_a_name_in_a_title_is_found_in_another_spelling(
    documenter: User, places: Gazetteer, signed_in: Callable[[User], Client]
) -> None:
    record_incident(by=documenter, place=places.orchard, title="Muhammad Ali shot at his shop")
    record_incident(by=documenter, place=places.orchard, title="Ali Raza threatened")
    client = signed_in(documenter)
    assert _titles(client, q="mohd ali") == ["Muhammad Ali shot at his shop"]
    assert _titles(client, q="محمد") == ["Muhammad Ali shot at his shop"]
    assert sorted(_titles(client, q="ALI")) == [
        "Ali Raza threatened",
        "Muhammad Ali shot at his shop",
    ]


def test_a_searched_page_is_posted_again_with_its_page(
    documenter: User, places: Gazetteer, signed_in: Callable[[User], Client]
) -> None:
    for n in range(27):
        record_incident(by=documenter, place=places.orchard, title=f"Threat number {n}")
    client = signed_in(documenter)
    first = client.post("/incidents/", {"q": "threat"})
    assert len(first.context["page"]) == 25
    assert 'form="incident-search" name="page" value="2"' in first.content.decode()
    assert len(client.post("/incidents/", {"q": "threat", "page": "2"}).context["page"]) == 2
