"""Synthetic demo incidents, 2008 to 2014, spread over the gazetteer's neighbourhoods.

Fictitious by construction: victims are demo persons (CNICs starting 99999), sources are
generic, and alleged perpetrators are only ever neutral descriptions ("two unidentified men on
a motorcycle"): no party, ethnic or sectarian group, no named person.

Fast enough for `make run`: victims go through person_create (each audited, as any person),
everything else is bulk-inserted in one transaction (encrypted fields are still encrypted:
bulk_create calls get_prep_value) and audited once per batch.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from madad.accounts.models import User
from madad.accounts.roles import Role
from madad.core.audit import audit_record
from madad.core.demo import DemoContext, scaled
from madad.incidents.models import (
    Act,
    Incident,
    IncidentRelation,
    IncidentTitleKey,
    IncidentType,
    Involvement,
    Source,
    VerificationStep,
)
from madad.incidents.title_index import title_keys
from madad.people.demo import demo_person_data
from madad.people.services import person_create
from madad.places.models import Place

DEMO_INCIDENTS = 1000
FIRST, LAST = dt.date(2008, 1, 1), dt.date(2014, 12, 31)

# type code: (weight, act types, method, summary of what happened)
TYPES: dict[str, tuple[int, list[str], str, str]] = {
    "targeted-killing": (
        34,
        ["killed", "killed", "injured"],
        "shot",
        "A {occupation} was shot near {place}.",
    ),
    "extortion-demand": (
        20,
        ["extorted", "threatened"],
        "demand by phone and in person",
        "A {occupation} in {place} received repeated demands for money.",
    ),
    "kidnapping-for-ransom": (
        9,
        ["abducted"],
        "taken from a vehicle",
        "A {occupation} was abducted in {place} and a ransom demanded.",
    ),
    "indiscriminate-firing": (
        10,
        ["injured", "injured", "killed"],
        "gunfire in a street",
        "Shots were fired in a street in {place}; passers-by were hit.",
    ),
    "threat-or-intimidation": (
        8,
        ["threatened"],
        "threatening letter",
        "A family in {place} was threatened and told to leave.",
    ),
    "arson": (
        5,
        ["property_destroyed", "displaced"],
        "fire set at night",
        "A shop in {place} was set on fire at night.",
    ),
    "bomb-or-grenade-attack": (
        4,
        ["injured", "killed", "property_destroyed"],
        "hand grenade",
        "A grenade was thrown at a shop front in {place}.",
    ),
    "enforced-disappearance": (
        3,
        ["abducted"],
        "taken away by unidentified men",
        "A {occupation} from {place} has not been seen since he was taken away.",
    ),
    "property-seizure": (
        5,
        ["displaced", "property_destroyed"],
        "house occupied",
        "A family's house in {place} was occupied and they were forced out.",
    ),
    "other": (2, ["threatened"], "", "An incident affecting a {occupation} in {place}."),
}
PERPETRATORS = [
    "two unidentified men on a motorcycle",
    "an armed group (unnamed)",
    "unidentified gunmen in a car",
    "a group of armed men (unnamed)",
    "unknown persons",
    "men demanding money (unidentified)",
]
SOURCE_KINDS = ["witness", "family", "police_fir", "hospital", "news", "partner", "social_media"]
_SOURCE_NAMES = {
    "witness": "(Demo) a neighbour",
    "family": "(Demo) the victim's brother",
    "partner": "(Demo) partner field worker",
    "hospital": "(Demo) medico-legal record",
}
# status: share of incidents (verified by the demo verifier, recorded by the demo documenter)
STATUSES = [
    ("verified", 60),
    ("under_review", 14),
    ("reported", 13),
    ("disputed", 8),
    ("rejected", 5),
]


@dataclass
class _Planned:
    incident: Incident
    type_codes: list[str]
    victims: list[Any] = field(default_factory=list)


def _places() -> list[Place]:
    neighbourhoods = list(Place.objects.filter(level=Place.Level.NEIGHBOURHOOD))
    return neighbourhoods or list(Place.objects.exclude(level=Place.Level.CITY))


def load(context: DemoContext) -> None:
    if Incident.objects.filter(organisation=context.relief).exists():
        return
    places = _places()
    if not places:
        context.report.append("no incidents (the gazetteer has no places yet)")
        return
    count = scaled(context, DEMO_INCIDENTS)
    documenter = context.users[Role.DOCUMENTER]
    verifier = context.users[Role.VERIFIER]
    with transaction.atomic():
        planned = _incidents(context, count, places, documenter)
        _details(context, planned, documenter, verifier)
        audit_record(
            action="demo.incidents.loaded",
            actor=documenter,
            organisation=context.relief,
            object_type="incidents.incident",
            object_id=f"{planned[0].incident.pk}-{planned[-1].incident.pk}",
        )
    verified = sum(1 for p in planned if p.incident.status == Incident.Status.VERIFIED)
    context.report.append(f"{count} incidents ({verified} verified)")


def _incidents(
    context: DemoContext, count: int, places: list[Place], documenter: User
) -> list[_Planned]:
    rng = context.rng
    types = {t.code: t for t in IncidentType.objects.all()}
    codes = [c for c in TYPES if c in types]
    weights = [TYPES[c][0] for c in codes]
    span = (LAST - FIRST).days
    planned: list[_Planned] = []
    for _n in range(count):
        code = rng.choices(codes, weights)[0]
        extra = [rng.choice(codes)] if rng.random() < 0.1 else []
        place = rng.choice(places)
        start = FIRST + dt.timedelta(days=rng.randrange(span + 1))
        precision = rng.choices(["day", "month", "year"], [90, 8, 2])[0]
        if precision == "month":
            start = start.replace(day=1)
        elif precision == "year":
            start = start.replace(month=1, day=1)
        recorded = timezone.make_aware(
            dt.datetime.combine(
                min(start + dt.timedelta(days=rng.randint(0, 40)), LAST), dt.time(10)
            )
        )
        status = rng.choices([s for s, _w in STATUSES], [w for _s, w in STATUSES])[0]
        incident = Incident(
            organisation=context.relief,
            title=f"{types[code].name} in {place.name}",
            start_date=start,
            start_precision=precision,
            place=place,
            location_precision="neighbourhood" if place.level == "neighbourhood" else "town",
            public_summary="",
            description="",
            status=status,
            confidentiality=rng.choices(["internal", "restricted", "confidential"], [80, 15, 5])[0],
            created_by=documenter,
            updated_by=documenter,
            created_at=recorded,
            updated_at=recorded,
            version=1,
            verified_at=recorded + dt.timedelta(days=rng.randint(3, 60))
            if status == "verified"
            else None,
        )
        planned.append(_Planned(incident=incident, type_codes=[code, *extra]))
    for p in planned:
        occupation = rng.choice(["shopkeeper", "driver", "trader", "teacher", "labourer"])
        perpetrator = rng.choice(PERPETRATORS)
        # A public summary never names or describes an alleged perpetrator.
        summary = TYPES[p.type_codes[0]][3].format(
            occupation=occupation, place=p.incident.place.name
        )
        p.incident.public_summary = summary
        p.incident.description = (
            f"(Demo) {summary} According to the family, the victim had received threats in "
            f"the weeks before. Neighbours described {perpetrator}. Recorded from interviews "
            f"and documents; details here are synthetic."
        )
    Incident.objects.bulk_create([p.incident for p in planned], batch_size=500)
    Incident.types.through.objects.bulk_create(
        [
            Incident.types.through(incident_id=p.incident.pk, incidenttype_id=types[code].pk)
            for p in planned
            for code in dict.fromkeys(p.type_codes)
        ],
        batch_size=1000,
    )
    IncidentTitleKey.objects.bulk_create(
        [
            IncidentTitleKey(incident=p.incident, key=key)
            for p in planned
            for key in sorted(title_keys(p.incident.title))
        ],
        batch_size=1000,
    )
    return planned


def _details(
    context: DemoContext, planned: list[_Planned], documenter: User, verifier: User
) -> None:
    rng = context.rng
    acts: list[Act] = []
    perpetrators: list[tuple[Act, str, str]] = []
    sources: list[Source] = []
    steps: list[VerificationStep] = []
    serial = 0
    for p in planned:
        incident = p.incident
        _weight, act_types, method, _summary = TYPES[p.type_codes[0]]
        group = rng.choice(PERPETRATORS)
        for _v in range(rng.choices([1, 2, 3], [78, 17, 5])[0]):
            serial += 1
            data = demo_person_data(rng, serial)
            act_type = rng.choice(act_types)
            data["deceased"] = act_type == "killed"
            victim = person_create(organisation=context.relief, created_by=documenter, **data)
            act = Act(
                incident=incident,
                victim=victim,
                act_type=act_type,
                date=incident.start_date if incident.start_precision == "day" else None,
                method=method,
                consequences="(Demo) The family lost its main income."
                if act_type in ("killed", "abducted")
                else "",
            )
            acts.append(act)
            if rng.random() < 0.7:
                perpetrators.append(
                    (
                        act,
                        group,
                        rng.choices(
                            ["carried_out", "ordered", "assisted", "present"], [80, 8, 7, 5]
                        )[0],
                    )
                )
        sources.extend(_sources(rng, incident))
        steps.extend(_steps(rng, incident, documenter, verifier))
    Act.objects.bulk_create(acts, batch_size=500)
    Involvement.objects.bulk_create(
        [
            Involvement(
                act=act,
                described_group=group,
                degree=degree,
                allegation_status=rng.choices(["alleged", "corroborated"], [85, 15])[0],
            )
            for act, group, degree in perpetrators
        ],
        batch_size=500,
    )
    Source.objects.bulk_create(sources, batch_size=500)
    VerificationStep.objects.bulk_create(steps, batch_size=500)
    _relations(rng, planned, documenter)


def _sources(rng: random.Random, incident: Incident) -> list[Source]:
    verified = incident.status == Incident.Status.VERIFIED
    found = []
    for i in range(rng.choices([1, 2, 3], [45, 40, 15])[0]):
        kind = rng.choice(SOURCE_KINDS)
        # a verifier relies on at least one fairly reliable, credible source
        sound = verified and i == 0
        graded = sound or rng.random() < 0.85
        source = Source(
            incident=incident,
            kind=kind,
            reliability=(
                rng.choice("ABC") if sound else rng.choices("ABCDEF", [5, 35, 35, 12, 5, 8])[0]
            )
            if graded
            else "",
            credibility=(
                rng.choice([1, 2, 3])
                if sound
                else rng.choices([1, 2, 3, 4, 5, 6], [10, 35, 35, 10, 3, 7])[0]
            )
            if graded
            else None,
            received_on=incident.start_date + dt.timedelta(days=rng.randint(0, 20)),
            name=_SOURCE_NAMES.get(kind, ""),
        )
        if kind == "police_fir":
            source.fir_number = f"{rng.randint(1, 450)}/{incident.start_date.year}"
            source.police_station = f"{incident.place.name} police station (demo)"
        elif kind == "news":
            source.outlet = rng.choice(["Daily Demo Times", "Evening Demo Post", "Demo News TV"])
            source.url = (
                f"https://news.example.org/demo/{incident.start_date:%Y/%m}/"
                f"{rng.randint(1000, 9999)}"
            )
        found.append(source)
    return found


def _steps(
    rng: random.Random, incident: Incident, documenter: User, verifier: User
) -> list[VerificationStep]:
    status = incident.status
    if status == Incident.Status.REPORTED:
        return []
    submitted = incident.created_at + dt.timedelta(days=1)
    steps = [
        VerificationStep(
            incident=incident,
            action="submitted",
            from_status="reported",
            to_status="under_review",
            by=documenter,
            at=submitted,
        )
    ]
    reasons = {
        "verified": "",
        "disputed": "(Demo) The two sources disagree on the date; ask the family again.",
        "rejected": "(Demo) The incident is a duplicate of an earlier record.",
    }
    if status in reasons:
        steps.append(
            VerificationStep(
                incident=incident,
                action=status,
                from_status="under_review",
                to_status=status,
                by=verifier,
                note=reasons[status],
                at=incident.verified_at or submitted + dt.timedelta(days=rng.randint(2, 30)),
            )
        )
    return steps


def _relations(rng: random.Random, planned: list[_Planned], documenter: User) -> None:
    by_place: dict[int, list[Incident]] = {}
    for p in planned:
        by_place.setdefault(p.incident.place_id, []).append(p.incident)
    relations = []
    for incidents in by_place.values():
        incidents.sort(key=lambda i: i.start_date)
        for earlier, later in itertools.pairwise(incidents):
            if rng.random() < 0.04 and (later.start_date - earlier.start_date).days < 60:
                relations.append(
                    IncidentRelation(
                        from_incident=later,
                        to_incident=earlier,
                        kind="follow_up",
                        created_by=documenter,
                    )
                )
    IncidentRelation.objects.bulk_create(relations)
