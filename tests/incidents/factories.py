"""A small test gazetteer and incidents recorded through the services, as the UI records them.
Independent of the shipped Karachi data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import factory

from madad.accounts.models import User
from madad.incidents import services
from madad.incidents.models import Incident, IncidentType
from madad.places.models import Place


class PlaceFactory(factory.django.DjangoModelFactory[Place]):
    class Meta:
        model = Place

    name = factory.Sequence(lambda n: f"Test place {n}")
    name_ur = ""
    level = Place.Level.NEIGHBOURHOOD
    parent = None
    latitude = Decimal("24.90000")
    longitude = Decimal("67.05000")
    code = factory.Sequence(lambda n: f"test.place-{n}")


@dataclass(frozen=True)
class Gazetteer:
    """The test gazetteer's places: city → two districts → a town each → a neighbourhood each."""

    city: Place
    north: Place
    south: Place
    hilltown: Place
    seatown: Place
    orchard: Place
    harbour: Place


def gazetteer() -> Gazetteer:
    """city → two districts → a town each → a neighbourhood each."""
    city = PlaceFactory.create(name="Test City", level=Place.Level.CITY)
    north = PlaceFactory.create(
        name="North District", name_ur="شمالی ضلع", level=Place.Level.DISTRICT, parent=city
    )
    south = PlaceFactory.create(
        name="South District", name_ur="جنوبی ضلع", level=Place.Level.DISTRICT, parent=city
    )
    hilltown = PlaceFactory.create(
        name="Hill Town", name_ur="پہاڑی ٹاؤن", level=Place.Level.TOWN, parent=north
    )
    seatown = PlaceFactory.create(
        name="Sea Town", name_ur="سمندری ٹاؤن", level=Place.Level.TOWN, parent=south
    )
    orchard = PlaceFactory.create(name="Orchard Colony", name_ur="باغ کالونی", parent=hilltown)
    harbour = PlaceFactory.create(name="Harbour Block", name_ur="بندرگاہ بلاک", parent=seatown)
    return Gazetteer(
        city=city,
        north=north,
        south=south,
        hilltown=hilltown,
        seatown=seatown,
        orchard=orchard,
        harbour=harbour,
    )


def incident_type(code: str = "targeted-killing") -> IncidentType:
    return IncidentType.objects.get(code=code)


def record_incident(
    *,
    by: User,
    place: Place,
    title: str = "Shopkeeper shot outside his shop",
    start_date: dt.date = dt.date(2011, 3, 14),
    types: list[str] | None = None,
    victim_name: str = "Bilal",
    graded: bool = True,
    perpetrator: bool = True,
    **extra: Any,
) -> Incident:
    """An incident with one victim (a new person), one source and, by default, an alleged
    perpetrator described as a group."""
    data: dict[str, Any] = {
        "public_summary": "A shopkeeper was shot dead in the evening.",
        "description": "RESTRICTED-NARRATIVE: the family say he had refused a demand.",
        "acts": [
            {
                "new_victim": {
                    "given_name": victim_name,
                    "family_name": "Ahmed",
                    "sex": "male",
                    "age": 41,
                },
                "act_type": "killed",
                "method": "shot",
                "consequences": "RESTRICTED-CONSEQUENCES: four children lost their father.",
            }
        ],
        "sources": [
            {
                "kind": "witness",
                "name": "SOURCE-NAME Rashid",
                "notes": "SOURCE-NOTES met at the hospital",
                **({"reliability": "B", "credibility": 2} if graded else {}),
            }
        ],
    }
    data.update(extra)
    incident = services.incident_create(
        organisation=by.organisation,
        created_by=by,
        title=title,
        start_date=start_date,
        place=place,
        types=[incident_type(c) for c in (types or ["targeted-killing"])],
        **data,
    )
    if perpetrator:
        services.involvement_add(
            act=incident.acts.get(),
            added_by=by,
            degree="carried_out",
            described_group="PERPETRATOR two unidentified men on a motorcycle",
        )
    incident.refresh_from_db()
    return incident
