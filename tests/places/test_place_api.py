"""/api/v1/places: every staff user's token may look places up by name."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from madad.accounts.models import User
from madad.places.models import Place
from tests.api.helpers import assert_error_shape

pytestmark = pytest.mark.django_db

Bearer = Callable[[User], dict[str, str]]
URL = "/api/v1/places"


def _codes(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["code"] for item in response.json()["items"]]


@pytest.mark.parametrize("who", ["documenter", "caseworker", "partner_user"])
def test_any_staff_user_searches_places_in_urdu(
    client: Client, bearer: Bearer, who: str, request: pytest.FixtureRequest
) -> None:
    response = client.get(f"{URL}?q=لیاقت آباد نمبر", headers=bearer(request.getfixturevalue(who)))
    assert _codes(response) == ["khi.central.liaquatabad.liaquatabad-10"]


def test_a_place_is_described_with_its_centroid(
    client: Client, bearer: Bearer, caseworker: User, nazimabad: Place
) -> None:
    response = client.get(f"{URL}?q=nazimabad&level=neighbourhood", headers=bearer(caseworker))
    assert response.json()["items"][0] == {
        "id": nazimabad.pk,
        "code": "khi.central.liaquatabad.nazimabad",
        "name": "Nazimabad",
        "name_ur": "ناظم آباد",
        "level": "neighbourhood",
        "parent_id": nazimabad.parent_id,
        "latitude": 24.912,
        "longitude": 67.03,
    }


def test_places_within_a_parent_are_listed(
    client: Client, bearer: Bearer, caseworker: User
) -> None:
    karachi = Place.objects.get(code="khi")
    response = client.get(f"{URL}?parent={karachi.pk}&limit=10", headers=bearer(caseworker))
    assert response.json()["count"] == 7


def test_one_place_is_read_by_id(
    client: Client, bearer: Bearer, partner_user: User, nazimabad: Place
) -> None:
    response = client.get(f"{URL}/{nazimabad.pk}", headers=bearer(partner_user))
    assert response.status_code == 200 and response.json()["code"] == nazimabad.code


def test_an_unknown_place_is_404(client: Client, bearer: Bearer, caseworker: User) -> None:
    assert_error_shape(client.get(f"{URL}/999999", headers=bearer(caseworker)), 404, "not_found")


def test_an_unknown_level_is_a_field_error(
    client: Client, bearer: Bearer, caseworker: User
) -> None:
    response = client.get(f"{URL}?level=village", headers=bearer(caseworker))
    assert "level" in assert_error_shape(response, 422, "invalid")["fields"]


def test_without_a_token_the_gazetteer_is_closed(client: Client) -> None:
    assert_error_shape(client.get(f"{URL}?q=Karachi"), 401, "unauthenticated")


def test_a_parent_beyond_64_bits_is_a_field_error(
    client: Client, bearer: Bearer, caseworker: User
) -> None:
    response = client.get(f"{URL}?parent=9223372036854775808", headers=bearer(caseworker))
    assert "parent" in assert_error_shape(response, 422, "invalid")["fields"]
