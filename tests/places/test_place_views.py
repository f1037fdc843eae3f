"""The place pages, asked by the owner (place.edit), a colleague with another role, and a
partner organisation's user, who may look places up too."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from madad.accounts.models import User
from madad.core.models import AuditEvent
from madad.places.models import Place

pytestmark = pytest.mark.django_db

SignedIn = Callable[[User], Any]
HTMX = {"HX-Request": "true"}


def _edit(place: Place) -> str:
    return f"/places/{place.pk}/edit/"


@pytest.mark.parametrize("who", ["documenter", "caseworker", "partner"])
def test_every_staff_user_may_search_the_gazetteer(
    signed_in: SignedIn, who: str, request: pytest.FixtureRequest, nazimabad: Place
) -> None:
    response = signed_in(request.getfixturevalue(who)).get("/places/?q=ناظم")
    assert response.status_code == 200
    assert f'href="/places/{nazimabad.pk}/"' in response.content.decode()


def test_the_search_answers_htmx_with_the_rows_only(
    signed_in: SignedIn, caseworker: User, nazimabad: Place
) -> None:
    html = signed_in(caseworker).get("/places/?q=nazim", headers=HTMX).content.decode()
    assert f'href="/places/{nazimabad.pk}/"' in html and "<html" not in html


def test_somebody_signed_out_is_sent_to_sign_in(client: Any) -> None:
    response = client.get("/places/?q=Karachi")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_autocomplete_offers_radio_buttons_named_for_the_field(
    signed_in: SignedIn, partner: User, nazimabad: Place
) -> None:
    html = signed_in(partner).get("/places/autocomplete/?q=nazimabad&field=place").content.decode()
    assert f'name="place" value="{nazimabad.pk}"' in html


def test_autocomplete_reads_the_pickers_own_input(
    signed_in: SignedIn, caseworker: User, nazimabad: Place
) -> None:
    html = (
        signed_in(caseworker)
        .get("/places/autocomplete/?field=town&town_q=Liaquatabad")
        .content.decode()
    )
    assert f'name="town" value="{nazimabad.parent_id}"' in html


def test_autocomplete_refuses_a_field_name_that_could_break_the_page(
    signed_in: SignedIn, caseworker: User
) -> None:
    html = (
        signed_in(caseworker)
        .get('/places/autocomplete/?q=Karachi&field="><script>')
        .content.decode()
    )
    assert 'name="place"' in html and "<script>" not in html


def test_autocomplete_with_nothing_typed_offers_nothing(
    signed_in: SignedIn, caseworker: User
) -> None:
    html = signed_in(caseworker).get("/places/autocomplete/?q=").content.decode()
    assert "radio" not in html


def test_the_detail_page_shows_the_places_above_and_within(
    signed_in: SignedIn, partner: User
) -> None:
    town = Place.objects.get(code="khi.central.liaquatabad")
    html = signed_in(partner).get(f"/places/{town.pk}/").content.decode()
    assert "Karachi Central" in html and "Nazimabad" in html and "ناظم آباد" in html
    assert _edit(town) not in html


def test_an_unknown_place_is_404(signed_in: SignedIn, caseworker: User) -> None:
    assert signed_in(caseworker).get("/places/999999/").status_code == 404


def test_the_owner_renames_a_place_and_it_is_found_by_the_new_name(
    signed_in: SignedIn, documenter: User, nazimabad: Place
) -> None:
    client = signed_in(documenter)
    assert (
        f'name="version" value="{nazimabad.version}"'
        in client.get(_edit(nazimabad)).content.decode()
    )
    response = client.post(
        _edit(nazimabad),
        {
            "name": "Nazimabad Block 2",
            "name_ur": "ناظم آباد بلاک ۲",
            "latitude": "24.9125",
            "longitude": "67.0301",
            "version": "1",
        },
    )
    assert response.status_code == 302
    nazimabad.refresh_from_db()
    assert (nazimabad.name, nazimabad.version) == ("Nazimabad Block 2", 2)
    assert str(nazimabad.latitude) == "24.91250"
    assert AuditEvent.objects.get(action="place.updated").fields == [
        "latitude",
        "longitude",
        "name",
        "name_ur",
    ]
    assert f'href="/places/{nazimabad.pk}/"' in client.get("/places/?q=block").content.decode()


def test_a_stale_edit_is_refused(signed_in: SignedIn, documenter: User, nazimabad: Place) -> None:
    Place.objects.filter(pk=nazimabad.pk).update(version=2)
    response = signed_in(documenter).post(
        _edit(nazimabad),
        {"name": "Renamed", "name_ur": "", "latitude": "24.9", "longitude": "67.0", "version": "1"},
    )
    assert response.status_code == 409
    assert "Somebody else saved this place" in response.content.decode()
    nazimabad.refresh_from_db()
    assert nazimabad.name == "Nazimabad"


def test_a_latitude_out_of_range_is_refused(
    signed_in: SignedIn, documenter: User, nazimabad: Place
) -> None:
    response = signed_in(documenter).post(
        _edit(nazimabad),
        {"name": "Nazimabad", "latitude": "124.9", "longitude": "67.0", "version": "1"},
    )
    assert response.status_code == 422
    nazimabad.refresh_from_db()
    assert nazimabad.version == 1


@pytest.mark.parametrize("who", ["caseworker", "partner"])
def test_a_user_without_place_edit_gets_404(
    signed_in: SignedIn, who: str, request: pytest.FixtureRequest, nazimabad: Place
) -> None:
    client = signed_in(request.getfixturevalue(who))
    assert client.get(_edit(nazimabad)).status_code == 404
    assert (
        client.post(
            _edit(nazimabad), {"name": "X", "latitude": "24", "longitude": "67", "version": "1"}
        ).status_code
        == 404
    )
    nazimabad.refresh_from_db()
    assert nazimabad.name == "Nazimabad"
