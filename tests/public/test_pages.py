"""The public pages: anyone may open them, bad links never fail, anonymous pages may be kept
by caches and signed-in ones never, and a flood from one address is stopped."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from collections.abc import Callable
from types import SimpleNamespace

import pytest
from django.test import Client
from pytest_django import Settings

from madad.accounts.models import User
from madad.incidents.models import Incident
from tests.incidents.factories import Gazetteer
from tests.public.factories import incident

pytestmark = pytest.mark.django_db

PAGES = [
    "/public/",
    "/public/map/",
    "/public/map/points.json",
    "/public/incidents/",
    "/public/factsheets/",
    "/public/claims/",
    "/public/data/",
    "/public/fund/",
]


@pytest.fixture
def some_incidents(documenter: User, places: Gazetteer) -> list[Incident]:
    return [
        incident(documenter, places.orchard, public_summary="A tailor was shot at his shop."),
        incident(
            documenter,
            places.harbour,
            types=("extortion-demand",),
            victims=[("extorted", {}), ("threatened", {})],
            start_date=dt.date(2010, 7, 1),
            start_precision="month",
        ),
        incident(
            documenter, places.harbour, status="under_review", public_summary="UNVERIFIED-SUMMARY"
        ),
    ]


@pytest.mark.parametrize("url", PAGES)
def test_anyone_may_open_the_public_pages(
    client: Client, some_incidents: list[Incident], url: str
) -> None:
    response = client.get(url)
    assert response.status_code == 200
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    assert "Cookie" in response["Vary"]
    assert "csrftoken" not in response.cookies


def test_the_dashboard_counts_verified_incidents_and_their_victims(
    client: Client, some_incidents: list[Incident]
) -> None:
    page = client.get("/public/").content.decode()
    assert '<span class="figure-number" data-figure="incidents">2</span>' in page
    assert '<span class="figure-number" data-figure="victims">3</span>' in page


def test_the_dashboard_filters_by_type_district_and_dates(
    client: Client, some_incidents: list[Incident], places: Gazetteer
) -> None:
    def count(query: str) -> str:
        page = client.get(f"/public/?{query}").content.decode()
        return page.split('data-figure="incidents">')[1].split("<")[0]

    assert count("type=extortion-demand") == "1"
    assert count(f"district={places.north.code}") == "1"
    assert count("date_from=2011-01-01&date_to=2013-12-31") == "1"


@pytest.mark.parametrize(
    "query",
    [
        "date_from=yesterday",
        "district=%00",
        "type=nope&type=",
        "date_from=2014-01-01&date_to=2010-01-01",
        "page=-4",
        "year=99999",
        "place=nowhere",
    ],
)
def test_a_hand_edited_link_is_answered_never_with_an_error(
    client: Client, some_incidents: list[Incident], query: str
) -> None:
    for url in ("/public/", "/public/incidents/", "/public/map/points.json"):
        assert client.get(f"{url}?{query}").status_code == 200


def test_the_incident_list_shows_what_the_public_may_know(
    client: Client, some_incidents: list[Incident]
) -> None:
    page = client.get("/public/incidents/").content.decode()
    assert "A tailor was shot at his shop." in page
    assert "July 2010" in page  # the month alone: that is all that is known
    assert "Extorted: 1" in page and "Threatened: 1" in page
    assert "Witness" in page
    assert "UNVERIFIED-SUMMARY" not in page


def test_the_incident_list_pages_through_many_incidents(
    client: Client, documenter: User, places: Gazetteer
) -> None:
    for day in range(1, 28):
        incident(documenter, places.orchard, start_date=dt.date(2013, 2, day))
    first = client.get("/public/incidents/").content.decode()
    assert "Page 1 of 2" in first
    second = client.get("/public/incidents/?page=2").content.decode()
    assert second.count('class="public-incident"') == 2


def test_an_unverified_incident_has_no_public_page(
    client: Client, some_incidents: list[Incident]
) -> None:
    assert client.get(f"/public/incidents/{some_incidents[0].pk}/").status_code == 200
    assert client.get(f"/public/incidents/{some_incidents[2].pk}/").status_code == 404
    assert client.get("/public/incidents/999999/").status_code == 404


def test_the_map_gets_counts_per_area_never_single_incidents(
    client: Client, some_incidents: list[Incident], places: Gazetteer
) -> None:
    data = client.get("/public/map/points.json").json()
    assert data["total"] == 2
    assert {p["code"]: p["n"] for p in data["levels"]["district"]} == {
        places.north.code: 1,
        places.south.code: 1,
    }
    assert {p["code"] for p in data["levels"]["place"]} == {
        places.orchard.code,
        places.harbour.code,
    }
    # every district is drawn (with no tiles, they are the map's landmarks), counted or not
    assert {places.north.code, places.south.code} <= {d["code"] for d in data["districts"]}


def test_the_map_payload_does_not_grow_with_the_number_of_incidents(
    client: Client, documenter: User, places: Gazetteer
) -> None:
    incident(documenter, places.orchard)
    small = len(client.get("/public/map/points.json").content)
    for _ in range(30):
        incident(documenter, places.orchard)
    client.get("/public/map/points.json")  # cached: the figures may lag a few minutes
    from django.core.cache import cache

    cache.clear()
    assert len(client.get("/public/map/points.json").content) <= small + 4


def test_signed_in_staff_get_pages_that_no_cache_keeps(
    signed_in: Callable[[User], Client], documenter: User, some_incidents: list[Incident]
) -> None:
    response = signed_in(documenter).get("/public/")
    assert "no-store" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


def test_pages_are_compressed_for_slow_connections(
    client: Client, some_incidents: list[Incident]
) -> None:
    response = client.get("/public/", headers={"accept-encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"
    assert b"Verified incidents in figures" in gzip.decompress(response.content)


def test_an_address_asking_too_often_is_told_to_wait(
    client: Client,
    settings: Settings,
    some_incidents: list[Incident],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings.MADAD_PUBLIC_RATE_LIMIT = 12
    # one minute's budget: the test must not straddle two windows (it did on a loaded machine)
    monkeypatch.setattr("madad.public.http.time", SimpleNamespace(time=lambda: 6_000_030.0))
    assert client.get("/public/data/incidents.csv").status_code == 200  # costs ten
    assert client.get("/public/").status_code == 200
    assert client.get("/public/").status_code == 200
    response = client.get("/public/")
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert "no-store" in response["Cache-Control"]
    # another address is not affected
    assert client.get("/public/", REMOTE_ADDR="203.0.113.9").status_code == 200


def test_visitors_who_are_not_signed_in_land_on_the_public_site(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/public/"


def test_signed_in_staff_still_start_at_their_home_page(
    signed_in: Callable[[User], Client], documenter: User
) -> None:
    assert signed_in(documenter).get("/").status_code == 200


def test_the_language_switch_is_a_plain_link_that_stays_on_the_site(
    client: Client, some_incidents: list[Incident]
) -> None:
    response = client.get("/public/language/?language=ur&next=/public/incidents/")
    assert response["Location"] == "/public/incidents/"
    assert response.cookies["django_language"].value == "ur"
    page = client.get("/public/").content.decode()
    assert 'dir="rtl"' in page and 'lang="ur"' in page
    away = client.get("/public/language/?language=en&next=https://evil.example/")
    assert away["Location"] == "/public/"


def test_map_points_are_plain_json_with_names_in_the_visitors_language(
    client: Client, some_incidents: list[Incident]
) -> None:
    client.get("/public/language/?language=ur")
    data = json.loads(client.get("/public/map/points.json").content)
    assert {"شمالی ضلع", "جنوبی ضلع"} <= {d["name"] for d in data["districts"]}


def test_the_fund_page_says_when_nothing_is_published_yet(client: Client) -> None:
    page = client.get("/public/fund/").content.decode()
    assert "The relief fund" in page


def test_the_map_uses_the_configured_tile_server_and_none_by_default(
    client: Client, settings: Settings
) -> None:
    assert 'data-tiles=""' in client.get("/public/map/").content.decode()
    settings.MADAD_MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    from django.core.cache import cache

    cache.clear()
    page = client.get("/public/map/").content.decode()
    assert 'data-tiles="https://tiles.example.org/{z}/{x}/{y}.png"' in page
    assert "/static/leaflet/leaflet.js" in page  # served by Madad, never a CDN
