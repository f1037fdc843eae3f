"""Public incidents for tests, written straight to the tables (as the demo does): the public
site only reads, so how an incident came to be verified does not matter here."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from django.utils import timezone

from madad.accounts.models import User
from madad.incidents.models import Act, Incident, IncidentType, Involvement, Source
from madad.people.models import Person
from madad.places.models import Place

_serial = itertools.count(1)


def person(user: User, *, sex: str = "male", age: int | None = 30, **extra: Any) -> Person:
    n = next(_serial)
    data: dict[str, Any] = {
        "given_name": f"Given{n}",
        "family_name": f"Family{n}",
        "sex": sex,
        "age": age,
    }
    data.update(extra)
    return Person.objects.create(organisation=user.organisation, **data)


def incident(
    user: User,
    place: Place,
    *,
    status: str = "verified",
    start_date: dt.date = dt.date(2012, 5, 6),
    start_precision: str = "day",
    location_precision: str = "neighbourhood",
    types: tuple[str, ...] = ("targeted-killing",),
    victims: list[tuple[str, dict[str, Any]]] | None = None,
    sources: tuple[str, ...] = ("witness",),
    title: str = "Shopkeeper shot",
    public_summary: str = "A shopkeeper was shot.",
    confidentiality: str = "internal",
    **extra: Any,
) -> Incident:
    """An incident with its types, one act per (act type, person fields) in `victims`
    (default: one man killed) and graded sources of the given kinds."""
    made = Incident.objects.create(
        organisation=user.organisation,
        title=title,
        start_date=start_date,
        start_precision=start_precision,
        place=place,
        location_precision=location_precision,
        public_summary=public_summary,
        status=status,
        confidentiality=confidentiality,
        created_by=user,
        updated_by=user,
        verified_at=timezone.now() if status == "verified" else None,
        **extra,
    )
    made.types.set([incident_type(code) for code in types])
    for act_type, fields in victims if victims is not None else [("killed", {})]:
        Act.objects.create(incident=made, victim=person(user, **fields), act_type=act_type)
    for kind in sources:
        Source.objects.create(incident=made, kind=kind, reliability="B", credibility=2)
    return made


def incident_type(code: str) -> IncidentType:
    """The type, seeded by a data migration; made again if a live-server test's flush took it."""
    found, _created = IncidentType.objects.get_or_create(
        code=code, defaults={"name": code.replace("-", " ").capitalize(), "name_ur": ""}
    )
    return found


def karachi() -> None:
    """The shipped gazetteer, loaded again if a live-server test's flush took it."""
    from madad.places.gazetteer import KARACHI, read_file, write_gazetteer

    if not Place.objects.filter(code="khi").exists():
        rows, _errors = read_file(KARACHI)
        write_gazetteer(Place, rows)


def alleged_perpetrator(made: Incident, described_group: str) -> Involvement:
    act = made.acts.first()
    assert act is not None, "the incident has no act"
    return Involvement.objects.create(
        act=act, described_group=described_group, degree="carried_out"
    )


def place_with_coordinates(parent: Place, name: str, lat: str, lon: str) -> Place:
    return Place.objects.create(
        name=name,
        level=Place.Level.NEIGHBOURHOOD,
        parent=parent,
        latitude=Decimal(lat),
        longitude=Decimal(lon),
        code=f"test.{name.lower().replace(' ', '-')}",
    )
