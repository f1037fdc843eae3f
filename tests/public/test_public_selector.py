"""The one public selector: verified, publishable incidents only, whitelisted fields only, and
positions never finer than each incident's location precision allows."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from django.http import Http404

from madad.accounts.models import Organisation, User
from madad.accounts.roles import Role
from madad.public.selectors import PublicFilters, PublicIncident, public_incidents
from tests.factories import UserFactory
from tests.incidents.factories import Gazetteer
from tests.public.factories import incident

pytestmark = pytest.mark.django_db

PUBLIC_FIELDS = {
    "id",
    "start_date",
    "start_precision",
    "end_date",
    "end_precision",
    "place",
    "district",
    "town",
    "public_level",
    "types",
    "acts",
    "victims",
    "source_kinds",
    "public_summary",
    "verified_on",
}


def test_only_verified_incidents_are_public(documenter: User, places: Gazetteer) -> None:
    shown = incident(documenter, places.orchard)
    for status in ("reported", "under_review", "disputed", "rejected"):
        incident(documenter, places.orchard, status=status)
    assert [i.id for i in public_incidents().page(1).object_list] == [shown.id]
    assert public_incidents().count() == 1


def test_a_confidential_incident_is_never_public_even_when_verified(
    documenter: User, places: Gazetteer
) -> None:
    secret = incident(documenter, places.orchard, confidentiality="confidential")
    incident(documenter, places.orchard, confidentiality="restricted")
    assert public_incidents().count() == 1
    with pytest.raises(Http404):
        public_incidents().get(secret.pk)


def test_a_partner_organisations_incident_is_not_public(places: Gazetteer) -> None:
    partner = UserFactory.create(
        role=Role.DOCUMENTER,
        organisation=Organisation.objects.create(
            name="Legal aid", kind=Organisation.Kind.LEGAL_AID
        ),
    )
    incident(partner, places.orchard)
    assert public_incidents().count() == 0


def test_a_public_incident_carries_only_whitelisted_fields(
    documenter: User, places: Gazetteer
) -> None:
    made = incident(
        documenter,
        places.orchard,
        title="TITLE-NOT-PUBLIC",
        victims=[("killed", {}), ("injured", {"sex": "female"})],
        sources=("witness", "police_fir", "witness"),
    )
    shown = public_incidents().get(made.pk)
    assert {f.name for f in dataclasses.fields(PublicIncident)} == PUBLIC_FIELDS
    assert "TITLE-NOT-PUBLIC" not in repr(shown)
    assert shown.acts == {"killed": 1, "injured": 1}
    assert shown.victims == 2
    assert shown.source_kinds == ["witness", "police_fir"]


@pytest.mark.parametrize(
    ("precision", "shown_at"),
    [
        ("exact", "orchard"),
        ("neighbourhood", "orchard"),
        ("town", "hilltown"),
        ("district", "north"),
        ("unheard-of", "north"),
    ],
)
def test_an_incident_is_placed_no_finer_than_its_precision(
    documenter: User, places: Gazetteer, precision: str, shown_at: str
) -> None:
    made = incident(
        documenter,
        places.orchard,
        location_precision=precision,
        latitude="24.12345",
        longitude="67.54321",
    )
    shown = public_incidents().get(made.pk)
    assert shown.place is not None
    assert shown.place.code == getattr(places, shown_at).code
    assert (shown.place.latitude, shown.place.longitude) != (24.12345, 67.54321)


def test_a_district_filter_does_not_reveal_more_than_the_map(
    documenter: User, places: Gazetteer
) -> None:
    at_town = incident(documenter, places.orchard, location_precision="town")
    incident(documenter, places.orchard, location_precision="district")
    in_town = public_incidents(filters=PublicFilters(town=places.hilltown.code))
    assert [i.id for i in in_town.page(1).object_list] == [at_town.id]
    # nothing is at the neighbourhood level: both were published coarser than it
    assert public_incidents(filters=PublicFilters(place=places.orchard.code)).count() == 0
    assert public_incidents(filters=PublicFilters(district=places.north.code)).count() == 2
    assert public_incidents(filters=PublicFilters(district=places.south.code)).count() == 0


def test_dates_are_shown_only_as_precisely_as_they_are_known(
    documenter: User, places: Gazetteer
) -> None:
    made = incident(
        documenter, places.orchard, start_date=dt.date(2011, 3, 1), start_precision="month"
    )
    shown = public_incidents().get(made.pk)
    assert shown.date_iso == "2011-03"
    assert shown.when == "March 2011"


def test_filters_narrow_by_type_year_and_what_happened(documenter: User, places: Gazetteer) -> None:
    incident(
        documenter,
        places.orchard,
        types=("extortion-demand",),
        victims=[("extorted", {})],
        start_date=dt.date(2010, 1, 5),
    )
    incident(documenter, places.harbour, start_date=dt.date(2012, 1, 5))
    assert public_incidents(filters=PublicFilters(types=("extortion-demand",))).count() == 1
    assert public_incidents(filters=PublicFilters(year=2012)).count() == 1
    assert public_incidents(filters=PublicFilters(act="extorted")).count() == 1
    assert public_incidents(filters=PublicFilters(district="no-such-place")).count() == 0


def test_every_public_incident_is_read_in_chunks_for_open_data(
    documenter: User, places: Gazetteer
) -> None:
    made = [incident(documenter, places.orchard) for _ in range(5)]
    assert [i.id for i in public_incidents().iter_rows(chunk=2)] == [m.id for m in made]
