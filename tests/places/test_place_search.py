"""Searching places by name in English or Urdu, whatever the case, diacritics or spelling."""

from __future__ import annotations

import pytest

from madad.accounts.models import User
from madad.places.models import Place
from madad.places.selectors import place_list

pytestmark = pytest.mark.django_db


def _codes(user: User, query: str, level: str = "") -> list[str]:
    return list(place_list(user=user, query=query, level=level).values_list("code", flat=True))


@pytest.mark.parametrize(
    "query",
    [
        "Nazimabad",
        "nazimabad",
        "NAZIMABAD",
        "nazim",
        "ناظم آباد",
        "ناظم",
        "Nāzimābād",
    ],
)
def test_a_place_is_found_in_either_script_and_any_case(caseworker: User, query: str) -> None:
    assert "khi.central.liaquatabad.nazimabad" in _codes(caseworker, query)


def test_arabic_letter_variants_and_diacritics_find_the_urdu_name(caseworker: User) -> None:
    found = _codes(caseworker, "کراچی")
    assert found[0] == "khi" and "khi.central" in found
    assert _codes(caseworker, "كراچي") == found  # Arabic kaf and yeh
    assert _codes(caseworker, "کَراچی") == found  # a zabar


def test_a_spelling_variant_finds_the_place(caseworker: User) -> None:
    assert _codes(caseworker, "Gulistan-e-Johar") == ["khi.east.gulshan.gulistan-e-jauhar"]
    assert "khi.keamari.keamari.kemari" in _codes(caseworker, "Kiamari")


def test_every_word_must_match(caseworker: User) -> None:
    assert _codes(caseworker, "Liaquatabad 10") == ["khi.central.liaquatabad.liaquatabad-10"]
    assert _codes(caseworker, "Nazimabad Clifton") == []


def test_broader_places_come_first(caseworker: User) -> None:
    assert _codes(caseworker, "Korangi") == [
        "khi.korangi",
        "khi.korangi.korangi",
        "khi.korangi.korangi.korangi",
        "khi.korangi.korangi.korangi-crossing",
        "khi.korangi.korangi.industrial-area",
    ]


def test_the_level_narrows_the_search(caseworker: User) -> None:
    assert _codes(caseworker, "Korangi", level=Place.Level.TOWN) == ["khi.korangi.korangi"]


def test_nothing_matches_nonsense(caseworker: User) -> None:
    assert _codes(caseworker, "Zzyzx") == []
    assert _codes(caseworker, "--") == []


def test_somebody_signed_out_finds_nothing(db: None) -> None:
    from django.contrib.auth.models import AnonymousUser

    assert not place_list(user=AnonymousUser(), query="Karachi").exists()
