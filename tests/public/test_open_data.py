"""Open data at stable addresses: CSV, JSON, GeoJSON (checked with the geojson package, and
the coordinate ranges it skips checked here) and HXL (read and validated with libhxl)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import geojson
import hxl
import pytest
from django.test import Client

from madad.accounts.models import User
from madad.incidents.models import Incident
from madad.public.exports import COLUMNS
from tests.incidents.factories import Gazetteer
from tests.public.factories import incident
from tests.responses import streamed_body

pytestmark = pytest.mark.django_db

HXL_TAGS = [
    "#event+id",
    "#date+occurred",
    "#adm1+name",
    "#adm2+name",
    "#loc+name",
    "#geo+lat",
    "#geo+lon",
    "#event+type",
    "#affected+killed",
    "#affected+injured",
]
SCHEMA = [
    [
        "#valid_tag",
        "#valid_required",
        "#valid_unique",
        "#valid_datatype",
        "#valid_value+min",
        "#valid_value+max",
        "#valid_value+regex",
    ],
    ["#event+id", "true", "true", "number", "1", "", ""],
    ["#date+occurred", "true", "", "", "", "", r"^\d{4}(-\d{2}(-\d{2})?)?$"],
    ["#adm1+name", "true", "", "", "", "", ""],
    ["#loc+name", "true", "", "", "", "", ""],
    ["#geo+lat", "true", "", "number", "-90", "90", ""],
    ["#geo+lon", "true", "", "number", "-180", "180", ""],
    ["#event+type", "true", "", "", "", "", ""],
    ["#affected+killed", "true", "", "number", "0", "", ""],
    ["#affected+injured", "true", "", "number", "0", "", ""],
]


@pytest.fixture
def published(documenter: User, places: Gazetteer) -> list[Incident]:
    return [
        incident(
            documenter,
            places.orchard,
            victims=[("killed", {}), ("injured", {})],
            public_summary='Two men were shot, one died; a comma, and "quotes".',
        ),
        incident(
            documenter,
            places.harbour,
            location_precision="district",
            types=("arson", "property-seizure"),
            victims=[("displaced", {})],
            start_date=dt.date(2009, 1, 1),
            start_precision="year",
        ),
        incident(documenter, places.orchard, status="reported", public_summary="NOT PUBLIC"),
    ]


def _get(client: Client, name: str) -> str:
    response = client.get(f"/public/data/{name}")
    assert response.status_code == 200
    return streamed_body(response).decode("utf-8")


def test_the_csv_has_one_row_per_public_incident_with_the_documented_columns(
    client: Client, published: list[Incident]
) -> None:
    rows = list(csv.DictReader(io.StringIO(_get(client, "incidents.csv"))))
    assert [int(r["id"]) for r in rows] == [published[0].pk, published[1].pk]
    assert list(rows[0]) == [c.name for c in COLUMNS]
    assert rows[0]["killed"] == "1" and rows[0]["injured"] == "1" and rows[0]["victims"] == "2"
    assert rows[0]["summary"] == 'Two men were shot, one died; a comma, and "quotes".'
    assert rows[1]["date"] == "2009" and rows[1]["place_level"] == "district"
    assert rows[1]["town"] == ""
    assert "NOT PUBLIC" not in _get(client, "incidents.csv")


def test_the_hxl_file_is_valid_hxl_with_the_expected_hashtags(
    client: Client, published: list[Incident], tmp_path: Path
) -> None:
    path = tmp_path / "incidents.hxl.csv"
    path.write_text(_get(client, "incidents.hxl.csv"), encoding="utf-8")
    data = hxl.data(str(path), hxl.InputOptions(allow_local=True))
    tags = data.display_tags
    assert all(tag in tags for tag in HXL_TAGS), tags
    rows = list(data)
    assert len(rows) == 2
    assert rows[0].get("#event+id") == str(published[0].pk)
    assert rows[0].get("#affected+killed") == "1"
    schema_path = tmp_path / "schema.csv"
    with schema_path.open("w", newline="") as f:
        csv.writer(f).writerows(SCHEMA)
    problems: list[Any] = []
    schema = hxl.schema(
        hxl.data(str(schema_path), hxl.InputOptions(allow_local=True)), callback=problems.append
    )
    assert schema.validate(hxl.data(str(path), hxl.InputOptions(allow_local=True))), [
        str(p) for p in problems
    ]


def test_the_hxl_schema_check_would_catch_a_latitude_out_of_range(tmp_path: Path) -> None:
    path, schema_path = tmp_path / "bad.csv", tmp_path / "schema.csv"
    with path.open("w", newline="") as f:
        csv.writer(f).writerows([["id", "lat"], ["#event+id", "#geo+lat"], ["1", "-95"]])
    with schema_path.open("w", newline="") as f:
        csv.writer(f).writerows([SCHEMA[0], SCHEMA[5]])
    schema = hxl.schema(hxl.data(str(schema_path), hxl.InputOptions(allow_local=True)))
    assert not schema.validate(hxl.data(str(path), hxl.InputOptions(allow_local=True)))


def test_the_geojson_is_valid_rfc_7946_with_generalised_positions_in_range(
    client: Client, published: list[Incident], places: Gazetteer
) -> None:
    collection = geojson.loads(_get(client, "incidents.geojson"))
    assert collection.is_valid, collection.errors()
    assert collection["type"] == "FeatureCollection"
    assert len(collection["features"]) == 2
    for feature in collection["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        # the geojson package accepts a latitude of -95: check the ranges here
        assert -90 <= lat <= 90 and -180 <= lon <= 180
    first, second = collection["features"]
    assert first["geometry"]["coordinates"] == [
        float(places.orchard.longitude),
        float(places.orchard.latitude),
    ]
    assert second["properties"]["place_code"] == places.south.code  # published at district
    assert second["geometry"]["coordinates"] == [
        float(places.south.longitude),
        float(places.south.latitude),
    ]


def test_the_json_carries_its_licence_and_every_public_incident(
    client: Client, published: list[Incident]
) -> None:
    data = json.loads(_get(client, "incidents.json"))
    assert data["licence"] == "CC-BY-4.0"
    assert [r["id"] for r in data["incidents"]] == [published[0].pk, published[1].pk]
    assert data["incidents"][1]["types"] == "Arson; Property seizure"


def test_open_data_files_are_the_same_for_every_visitor_and_anyone_may_fetch_them(
    client: Client, published: list[Incident]
) -> None:
    response = client.get("/public/data/incidents.geojson")
    assert response["Content-Type"] == "application/geo+json"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert client.get("/public/data/incidents.xlsx").status_code == 404


def test_the_data_dictionary_describes_every_column_and_the_licence(
    client: Client, published: list[Incident]
) -> None:
    page = client.get("/public/data/").content.decode()
    for column in COLUMNS:
        assert f"<code>{column.name}</code>" in page and f"<code>{column.hxl}</code>" in page
    assert "CC BY 4.0" in page
    assert "https://creativecommons.org/licenses/by/4.0/" in page


@pytest.mark.parametrize(
    "summary",
    ['=HYPERLINK("http://example.org","x")', "+1+2", "-1+2", "@SUM(A1)", "\tx", "\rx"],
)
def test_a_public_summary_typed_as_a_formula_is_written_as_text_in_csv_and_hxl_but_not_json(
    client: Client, documenter: User, places: Gazetteer, tmp_path: Path, summary: str
) -> None:
    formula = incident(documenter, places.orchard, public_summary=summary)
    csv_rows = list(csv.DictReader(io.StringIO(_get(client, "incidents.csv"), newline="")))
    assert [r["summary"] for r in csv_rows] == [f"'{summary}"]
    assert csv_rows[0]["id"] == str(formula.pk) and csv_rows[0]["killed"] == "1"
    hxl_text = _get(client, "incidents.hxl.csv")
    hxl_rows = list(csv.reader(io.StringIO(hxl_text, newline="")))
    assert all(tag in hxl_rows[1] for tag in HXL_TAGS), hxl_rows[1]
    assert hxl_rows[2][[c.name for c in COLUMNS].index("summary")] == f"'{summary}"
    path = tmp_path / "incidents.hxl.csv"
    path.write_text(hxl_text, encoding="utf-8")
    data = hxl.data(str(path), hxl.InputOptions(allow_local=True))
    (read,) = [row.get("#description+summary") for row in data]
    # libhxl reads with universal newlines: a carriage return comes back as a line feed
    assert read == f"'{summary}".replace("\r", "\n")
    as_json = json.loads(_get(client, "incidents.json"))
    assert [r["summary"] for r in as_json["incidents"]] == [summary]
