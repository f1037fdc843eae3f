"""What the incident API accepts: typed, bounded input (pydantic), checked again by the
services."""

from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import Field, StrictInt

from madad.api.types import IsoDate, Number, RecordId
from madad.incidents.models import (
    Act,
    DatePrecision,
    Incident,
    IncidentRelation,
    Involvement,
    LocationPrecision,
    Source,
)
from madad.people.schemas import NewPersonIn

MAX_ID = 2**63 - 1


class IncidentActIn(Schema):
    victim_id: StrictInt | None = Field(default=None, ge=1, le=MAX_ID)
    new_victim: NewPersonIn | None = None
    act_type: Act.Type
    date: IsoDate | None = None
    method: str = Field(default="", max_length=200)
    consequences: str = Field(default="", max_length=10_000)


class IncidentSourceIn(Schema):
    kind: Source.Kind
    person_id: StrictInt | None = Field(default=None, ge=1, le=MAX_ID)
    name: str = Field(default="", max_length=300)
    reliability: Source.Reliability | None = None
    credibility: Source.Credibility | None = None
    fir_number: str = Field(default="", max_length=50)
    police_station: str = Field(default="", max_length=120)
    url: str = Field(default="", max_length=200)
    outlet: str = Field(default="", max_length=120)
    received_on: IsoDate | None = None
    notes: str = Field(default="", max_length=10_000)


class IncidentIn(Schema):
    title: str = Field(max_length=200)
    start_date: IsoDate
    start_precision: DatePrecision = DatePrecision.DAY
    end_date: IsoDate | None = None
    end_precision: DatePrecision = DatePrecision.DAY
    place_id: StrictInt = Field(ge=1, le=MAX_ID)
    latitude: Number | None = Field(default=None, ge=-90, le=90)
    longitude: Number | None = Field(default=None, ge=-180, le=180)
    location_precision: LocationPrecision = LocationPrecision.NEIGHBOURHOOD
    types: list[str] = Field(min_length=1, max_length=20)
    description: str = Field(default="", max_length=20_000)
    public_summary: str = Field(default="", max_length=2_000)
    confidentiality: Incident.Confidentiality = Incident.Confidentiality.INTERNAL
    acts: list[IncidentActIn] = Field(default_factory=list, max_length=50)
    sources: list[IncidentSourceIn] = Field(default_factory=list, max_length=50)


class IncidentPatch(Schema):
    version: StrictInt = Field(
        ge=1, le=MAX_ID, description="The version you read; 409 if it changed since."
    )
    title: str | None = Field(default=None, max_length=200)
    start_date: IsoDate | None = None
    start_precision: DatePrecision | None = None
    end_date: IsoDate | None = None
    end_precision: DatePrecision | None = None
    place_id: StrictInt | None = Field(default=None, ge=1, le=MAX_ID)
    latitude: Number | None = Field(default=None, ge=-90, le=90)
    longitude: Number | None = Field(default=None, ge=-180, le=180)
    location_precision: LocationPrecision | None = None
    types: list[str] | None = Field(default=None, min_length=1, max_length=20)
    description: str | None = Field(default=None, max_length=20_000)
    public_summary: str | None = Field(default=None, max_length=2_000)
    confidentiality: Incident.Confidentiality | None = None


class IncidentInvolvementIn(Schema):
    person_id: StrictInt | None = Field(default=None, ge=1, le=MAX_ID)
    described_group: str = Field(default="", max_length=500)
    degree: Involvement.Degree
    allegation_status: Involvement.Allegation = Involvement.Allegation.ALLEGED


class IncidentSourceGradeIn(Schema):
    reliability: Source.Reliability
    credibility: Source.Credibility
    version: StrictInt | None = Field(default=None, ge=1, le=MAX_ID)


class IncidentStepIn(Schema):
    reason: str = Field(default="", max_length=2_000)
    version: StrictInt | None = Field(
        default=None, ge=1, le=MAX_ID, description="The version you reviewed; 409 if it changed."
    )


class IncidentRelationIn(Schema):
    other_id: StrictInt = Field(ge=1, le=MAX_ID)
    kind: IncidentRelation.Kind


class IncidentFilters(Schema):
    """What the incident list filters on, in the query string: nothing that may name anyone
    (a search of the titles is POST /incidents/search)."""

    date_from: IsoDate | None = None
    date_to: IsoDate | None = None
    type: str = Field(default="", max_length=60)
    district: int | None = Field(default=None, ge=1, le=MAX_ID)
    town: int | None = Field(default=None, ge=1, le=MAX_ID)
    place: int | None = Field(default=None, ge=1, le=MAX_ID)
    status: Incident.Status | None = None


class IncidentSearchIn(IncidentFilters):
    """A search in the request body, so that the words (which may name people) never reach a
    URL or an access log. A body is JSON, so its place ids are JSON integers."""

    q: str = Field(default="", max_length=200, description="Words of the title or summary")
    district: RecordId | None = None
    town: RecordId | None = None
    place: RecordId | None = None


# --- what the API answers -------------------------------------------------------------------
class IncidentPlaceOut(Schema):
    id: int
    code: str
    name: str
    name_ur: str
    level: str


class IncidentSummaryOut(Schema):
    id: int
    title: str
    start_date: IsoDate
    start_precision: DatePrecision
    end_date: IsoDate | None
    end_precision: DatePrecision
    place: IncidentPlaceOut
    types: list[str]
    status: Incident.Status
    confidentiality: Incident.Confidentiality
    public_summary: str
    version: int


class IncidentInvolvementOut(Schema):
    id: int
    act_id: int
    person_id: int | None
    described_group: str
    degree: Involvement.Degree
    allegation_status: Involvement.Allegation


class IncidentActOut(Schema):
    """`consequences` only for roles that read the restricted narrative, `involvements` only
    for those who see alleged perpetrators: absent, not empty, otherwise."""

    id: int
    victim_id: int
    act_type: Act.Type
    date: IsoDate | None
    method: str
    consequences: str | None = None
    involvements: list[IncidentInvolvementOut] | None = None


class IncidentSourceOut(Schema):
    """The identifying details (name, notes, person, FIR number, police station) only for
    roles with source.view: absent otherwise."""

    id: int
    kind: Source.Kind
    reliability: str | None
    credibility: int | None
    grading: str | None
    url: str
    outlet: str
    received_on: IsoDate | None
    name: str | None = None
    notes: str | None = None
    fir_number: str | None = None
    police_station: str | None = None
    person_id: int | None = None


class IncidentStepOut(Schema):
    action: str
    from_status: str
    to_status: str
    by: str
    reason: str
    at: dt.datetime


class IncidentRelatedOut(Schema):
    id: int
    kind: IncidentRelation.Kind


class IncidentOut(IncidentSummaryOut):
    latitude: float | None
    longitude: float | None
    location_precision: LocationPrecision
    created_at: dt.datetime
    updated_at: dt.datetime
    verified_at: dt.datetime | None
    acts: list[IncidentActOut]
    sources: list[IncidentSourceOut]
    confidence: str
    verification: list[IncidentStepOut]
    related: list[IncidentRelatedOut]
    description: str | None = Field(
        default=None, description="Only for roles that read the restricted narrative"
    )


class IncidentTypeOut(Schema):
    code: str
    name: str
    name_ur: str
    active: bool
