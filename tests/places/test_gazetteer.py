"""Karachi ships as data; `madad places load FILE.csv` loads another city, all or nothing."""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from madad.core.models import AuditEvent
from madad.core.refusals import Invalid
from madad.places.gazetteer import KARACHI
from madad.places.models import Place
from madad.places.services import places_load, places_reindex

pytestmark = pytest.mark.django_db

WriteCsv = Callable[..., Path]
LAHORE = (
    "lhr,city,,Lahore,لاہور,31.52037,74.35875\n"
    "lhr.north,district,lhr,Lahore North,لاہور شمالی,31.60000,74.30000\n"
    "lhr.north.ravi,town,lhr.north,Ravi Town,راوی ٹاؤن,31.59000,74.31000\n"
    "lhr.north.ravi.shahdara,neighbourhood,lhr.north.ravi,Shahdara,شاہدرہ,31.62000,74.29000\n"
)


# --- Karachi, shipped by a migration -----------------------------------------------------------
def test_karachi_ships_with_its_seven_districts() -> None:
    karachi = Place.objects.get(code="khi")
    assert karachi.level == Place.Level.CITY and karachi.name_ur == "کراچی"
    districts = set(karachi.children.values_list("name", flat=True))
    assert districts == {
        "Karachi Central",
        "Karachi East",
        "Karachi South",
        "Karachi West",
        "Korangi",
        "Malir",
        "Keamari",
    }


def test_karachi_ships_with_its_eighteen_towns_each_in_a_district() -> None:
    towns = Place.objects.filter(code__startswith="khi.", level=Place.Level.TOWN)
    assert {t.name.removesuffix(" Town") for t in towns} == {
        "Saddar",
        "Lyari",
        "Jamshed",
        "Gulshan-e-Iqbal",
        "Gulberg",
        "Liaquatabad",
        "North Nazimabad",
        "New Karachi",
        "SITE",
        "Baldia",
        "Orangi",
        "Keamari",
        "Bin Qasim",
        "Landhi",
        "Korangi",
        "Shah Faisal",
        "Malir",
        "Gadap",
    }
    assert all(t.parent is not None and t.parent.level == Place.Level.DISTRICT for t in towns)


def test_karachi_ships_with_many_neighbourhoods_each_in_a_town_with_a_centroid() -> None:
    neighbourhoods = Place.objects.filter(code__startswith="khi.", level=Place.Level.NEIGHBOURHOOD)
    assert neighbourhoods.count() >= 60
    for place in Place.objects.filter(code__startswith="khi"):
        assert Decimal("24.7") <= place.latitude <= Decimal("25.2"), place.code
        assert Decimal("66.9") <= place.longitude <= Decimal("67.4"), place.code
        assert place.name_ur and place.search_text, place.code
    assert all(n.parent.level == Place.Level.TOWN for n in neighbourhoods)
    district = Place.objects.get(code="khi.central.liaquatabad.nazimabad").ancestor(
        Place.Level.DISTRICT
    )
    assert district is not None and district.name == "Karachi Central"


def test_loading_the_shipped_file_again_changes_nothing() -> None:
    report = places_load(source=KARACHI)
    assert (report.created, report.updated) == (0, 0) and report.unchanged == 120
    assert not AuditEvent.objects.filter(action="place.gazetteer.loaded").exists()


# --- loading another city ----------------------------------------------------------------------
def test_another_city_is_loaded_parents_first_whatever_the_order(write_csv: WriteCsv) -> None:
    lines = LAHORE.splitlines(keepends=True)
    report = places_load(source=write_csv("".join(reversed(lines))))
    assert (report.created, report.updated, report.unchanged) == (4, 0, 0)
    shahdara = Place.objects.get(code="lhr.north.ravi.shahdara")
    assert [p.code for p in shahdara.ancestors()] == ["lhr.north.ravi", "lhr.north", "lhr"]
    assert shahdara.latitude == Decimal("31.62000")
    assert AuditEvent.objects.filter(action="place.gazetteer.loaded").count() == 1


def test_loading_again_updates_by_code(write_csv: WriteCsv) -> None:
    places_load(source=write_csv(LAHORE))
    renamed = LAHORE.replace("Shahdara,شاہدرہ", "Shahdara Town,شاہدرہ ٹاؤن")
    report = places_load(source=write_csv(renamed))
    assert (report.created, report.updated, report.unchanged) == (0, 1, 3)
    shahdara = Place.objects.get(code="lhr.north.ravi.shahdara")
    assert (shahdara.name, shahdara.version) == ("Shahdara Town", 2)
    assert Place.objects.filter(code__startswith="lhr").count() == 4


def test_a_file_may_add_places_under_ones_already_loaded(write_csv: WriteCsv) -> None:
    places_load(
        source=write_csv(
            "khi.central.liaquatabad.ayesha-manzil,neighbourhood,khi.central.liaquatabad,"
            "Ayesha Manzil,عائشہ منزل,24.92400,67.06300\n"
        )
    )
    assert (
        Place.objects.get(code="khi.central.liaquatabad.ayesha-manzil").parent.code
        == "khi.central.liaquatabad"
    )


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("lhr.x,village,lhr,X,,31,74", "the level 'village' is not one of"),
        ("LHR X,town,lhr.north,X,,31,74", "is not lower-case letters"),
        (",town,lhr.north,X,,31,74", "the code is empty"),
        ("lhr.x,town,lhr.north,,,31,74", "the name is empty"),
        ("lhr.x,town,lhr.north,X,,91,74", "latitude 91 is outside -90 to 90"),
        ("lhr.x,town,lhr.north,X,,31,east", "longitude 'east' is not a number"),
        ("lhr.x,town,lhr.north,X,,NaN,74", "latitude NaN is outside"),
        ("lhr.x,town,lhr.nowhere,X,,31,74", "the parent lhr.nowhere is neither in the file"),
        ("lhr.x,town,lhr,X,,31,74", "the parent of a town must be a district; lhr is a city"),
        ("lhr.x,neighbourhood,,X,,31,74", "a neighbourhood needs a parent_code"),
        ("pesh,city,lhr,Peshawar,,34,71.5", "a city is part of nothing"),
        ("lhr.north,district,lhr,Again,,31,74", "the code lhr.north is already on line 3"),
        (
            "khi.central,town,khi.east,Central,,24.9,67",
            "khi.central is already loaded as a district",
        ),
        ("lhr.x,town,lhr.north,X,,31,74,extra", "more fields than the header"),
    ],
)
def test_a_bad_row_is_named_by_its_line_and_nothing_is_written(
    write_csv: WriteCsv, line: str, reason: str
) -> None:
    with pytest.raises(Invalid) as invalid:
        places_load(source=write_csv(LAHORE + line + "\n"))
    fields = invalid.value.fields
    assert list(fields) == ["line 6"] and reason in fields["line 6"][0], fields
    assert not Place.objects.filter(code__startswith="lhr").exists()


def test_every_bad_row_is_reported_at_once(write_csv: WriteCsv) -> None:
    with pytest.raises(Invalid) as invalid:
        places_load(source=write_csv("a,city,,A,,100,0\nb,town,zz,B,,0,0\nc,city,,C,,0,0\n"))
    assert list(invalid.value.fields) == ["line 2", "line 3"]


def test_a_header_without_the_columns_is_refused(write_csv: WriteCsv) -> None:
    with pytest.raises(Invalid, match="lacks the column"):
        places_load(source=write_csv("lhr,city,Lahore,31,74\n", header="code,level,name,lat,lon\n"))


def test_an_empty_file_is_refused(write_csv: WriteCsv) -> None:
    with pytest.raises(Invalid, match="holds no places"):
        places_load(source=write_csv(""))


def test_a_stream_is_read_like_a_file() -> None:
    stream = io.StringIO(
        "code,level,parent_code,name,name_ur,latitude,longitude\n"
        "isb,city,,Islamabad,اسلام آباد,33.6844,73.0479\n"
    )
    assert places_load(source=stream).created == 1


# --- the command -------------------------------------------------------------------------------
def test_the_command_loads_a_file(write_csv: WriteCsv, capsys: pytest.CaptureFixture[str]) -> None:
    call_command("places", "load", str(write_csv(LAHORE)))
    assert "4 new, 0 updated, 0 unchanged" in capsys.readouterr().out
    assert (
        AuditEvent.objects.get(action="place.gazetteer.loaded").actor_label == "madad places load"
    )


def test_the_command_lists_bad_lines_and_fails(
    write_csv: WriteCsv, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(CommandError, match="2 problem"):
        call_command("places", "load", str(write_csv(LAHORE + "x,city,,X,,99,0\ny,town,,Y,,0,0\n")))
    errors = capsys.readouterr().err
    assert "line 6: latitude 99" in errors and "line 7: a town needs a parent_code" in errors
    assert not Place.objects.filter(code__startswith="lhr").exists()


def test_the_command_names_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="1 problem"):
        call_command("places", "load", str(tmp_path / "nowhere.csv"))


def test_reindex_rebuilds_the_search_text() -> None:
    Place.objects.filter(code="khi").update(search_text="")
    assert places_reindex() == 1
    assert "karachi" in Place.objects.get(code="khi").search_text
