"""What the incident API accepts: typed, bounded input (pydantic), checked again by the
services."""

from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import Field

from madad.incidents.models import (
    Act,
    DatePrecision,
    Incident,
    IncidentRelation,
    Involvement,
    LocationPrecision,
    Source,
)
from madad.people.models import Sex

MAX_LIMIT = 100


class NewVictimIn(Schema):
    given_name: str = Field(default="", max_length=200)
    family_name: str = Field(default="", max_length=200)
    full_name_ur: str = Field(default="", max_length=300)
    father_name: str = Field(default="", max_length=200)
    sex: Sex = Sex.UNKNOWN
    age: int | None = Field(default=None, ge=0, le=130)
    occupation: str = Field(default="", max_length=100)
    deceased: bool = False


class ActIn(Schema):
    victim_id: int | None = Field(default=None, ge=1)
    new_victim: NewVictimIn | None = None
    act_type: Act.Type
    date: dt.date | None = None
    method: str = Field(default="", max_length=200)
    consequences: str = Field(default="", max_length=10_000)


class SourceIn(Schema):
    kind: Source.Kind
    person_id: int | None = Field(default=None, ge=1)
    name: str = Field(default="", max_length=300)
    reliability: Source.Reliability | None = None
    credibility: Source.Credibility | None = None
    fir_number: str = Field(default="", max_length=50)
    police_station: str = Field(default="", max_length=120)
    url: str = Field(default="", max_length=200)
    outlet: str = Field(default="", max_length=120)
    received_on: dt.date | None = None
    notes: str = Field(default="", max_length=10_000)


class IncidentIn(Schema):
    title: str = Field(max_length=200)
    start_date: dt.date
    start_precision: DatePrecision = DatePrecision.DAY
    end_date: dt.date | None = None
    end_precision: DatePrecision = DatePrecision.DAY
    place_id: int = Field(ge=1)
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    location_precision: LocationPrecision = LocationPrecision.NEIGHBOURHOOD
    types: list[str] = Field(min_length=1, max_length=20)
    description: str = Field(default="", max_length=20_000)
    public_summary: str = Field(default="", max_length=2_000)
    confidentiality: Incident.Confidentiality = Incident.Confidentiality.INTERNAL
    acts: list[ActIn] = Field(default_factory=list, max_length=50)
    sources: list[SourceIn] = Field(default_factory=list, max_length=50)


class IncidentPatch(Schema):
    version: int = Field(ge=1, description="The version you read; 409 if it changed since.")
    title: str | None = Field(default=None, max_length=200)
    start_date: dt.date | None = None
    start_precision: DatePrecision | None = None
    end_date: dt.date | None = None
    end_precision: DatePrecision | None = None
    place_id: int | None = Field(default=None, ge=1)
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    location_precision: LocationPrecision | None = None
    types: list[str] | None = Field(default=None, min_length=1, max_length=20)
    description: str | None = Field(default=None, max_length=20_000)
    public_summary: str | None = Field(default=None, max_length=2_000)
    confidentiality: Incident.Confidentiality | None = None


class InvolvementIn(Schema):
    person_id: int | None = Field(default=None, ge=1)
    described_group: str = Field(default="", max_length=500)
    degree: Involvement.Degree
    allegation_status: Involvement.Allegation = Involvement.Allegation.ALLEGED


class GradeIn(Schema):
    reliability: Source.Reliability
    credibility: Source.Credibility
    version: int | None = Field(default=None, ge=1)


class StepIn(Schema):
    reason: str = Field(default="", max_length=2_000)
    version: int | None = Field(
        default=None, ge=1, description="The version you reviewed; 409 if it changed."
    )


class RelationIn(Schema):
    other_id: int = Field(ge=1)
    kind: IncidentRelation.Kind


class IncidentFilters(Schema):
    q: str = Field(default="", max_length=200)
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    type: str = Field(default="", max_length=60)
    district: int | None = Field(default=None, ge=1)
    town: int | None = Field(default=None, ge=1)
    place: int | None = Field(default=None, ge=1)
    status: Incident.Status | None = None
    limit: int = Field(default=25, ge=1, le=MAX_LIMIT)
    offset: int = Field(default=0, ge=0, le=10_000_000)
