"""The duplicate check while a person or an incident is being recorded: "possible duplicate
of ..." before saving.

For a person, candidates come from indexes only (the blind-indexed blocking keys, the CNIC
and phone indexes, the whole-name key of people.PersonNameKey), a bounded number per key, so
that the check costs the same with a thousand persons or a million; only those candidates are
decrypted, in memory, and scored with the organisation's latest trained model.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Q

from madad.core.crypto import blind_index
from madad.core.names import name_keys
from madad.incidents.models import Incident
from madad.linkage import incidents as incident_matching
from madad.linkage import keys
from madad.linkage.evidence import evidence_of
from madad.linkage.matching import score_against
from madad.linkage.matching.features import forget_names
from madad.linkage.matching.model import Parameters, default_parameters
from madad.linkage.models import LinkageRun, PersonMatchKey
from madad.linkage.records import COMPARED, records_of
from madad.people.identity import normalise_cnic, normalise_phone
from madad.people.models import Person, PersonNameKey
from madad.people.name_index import NAME

if TYPE_CHECKING:
    pass

PER_KEY = 50  # candidates read per key: a very common key cannot flood the check
MAX_CANDIDATES = 60
DEFAULT_THRESHOLD = 0.5
NAMES = ("given_name", "family_name", "full_name_ur")


def current_parameters(organisation_id: int) -> tuple[Parameters, float]:
    """The organisation's latest trained model and review threshold."""
    run = (
        LinkageRun.objects.filter(
            organisation_id=organisation_id,
            kind=LinkageRun.Kind.PERSONS,
            status=LinkageRun.Status.DONE,
        )
        .exclude(parameters={})
        .order_by("-finished_at", "-id")
        .first()
    )
    if run is None:
        return default_parameters(), DEFAULT_THRESHOLD
    return Parameters.from_dict(run.parameters), run.threshold


@dataclass(frozen=True)
class PersonCandidate:
    person: Person
    probability: float
    evidence: dict[str, Any]


def _number_index(value: Any, normalise: Any, purpose: str) -> str | None:
    if not value:
        return None
    try:
        return blind_index(normalise(str(value)), purpose=purpose)
    except ValidationError:
        return None


def _candidate_ids(organisation_id: int, record: dict[str, Any], exclude: int | None) -> list[int]:
    found: dict[int, int] = {}

    def count(ids: Any, weight: int = 1) -> None:
        for person_id in ids:
            if person_id != exclude:
                found[person_id] = found.get(person_id, 0) + weight

    for key in sorted(keys.record_match_keys(record)):
        count(
            PersonMatchKey.objects.filter(organisation_id=organisation_id, key=key).values_list(
                "person_id", flat=True
            )[:PER_KEY]
        )
    persons = Person.objects.filter(organisation_id=organisation_id)
    cnic = _number_index(record.get("cnic"), normalise_cnic, "cnic")
    if cnic:
        count(persons.filter(cnic_index=cnic).values_list("id", flat=True)[:PER_KEY], 5)
    phone = _number_index(record.get("phone"), normalise_phone, "phone")
    if phone:
        count(persons.filter(phone_index=phone).values_list("id", flat=True)[:PER_KEY], 3)
    # the whole-name keys people.services keeps current for every person
    whole = set()
    for text in (
        f"{record.get('given_name') or ''} {record.get('family_name') or ''}",
        record.get("full_name_ur") or "",
    ):
        whole |= {blind_index(k, purpose=NAME) for k in name_keys(text) if k.startswith("=")}
    for key in sorted(whole):
        count(
            PersonNameKey.objects.filter(
                person__organisation_id=organisation_id, key=key, purpose=NAME
            ).values_list("person_id", flat=True)[:PER_KEY],
            2,
        )
    ranked = sorted(found, key=lambda pid: (-found[pid], -pid))
    return ranked[:MAX_CANDIDATES]


def match_candidates(
    *,
    organisation_id: int,
    data: dict[str, Any],
    exclude_person_id: int | None = None,
    limit: int = 5,
) -> list[PersonCandidate]:
    """Persons of the organisation who may be the person described by `data` (the fields of
    the person form), most probable first, at or above the review threshold."""
    record = {name: data.get(name) for name in COMPARED}
    if record.get("sex") == "unknown":
        record["sex"] = ""
    born = record.get("date_of_birth")
    if born is not None and not isinstance(born, str):
        record["date_of_birth"] = born.isoformat()
    # the matcher caches the names it reads: in a web process they must not outlive the check
    try:
        ids = _candidate_ids(organisation_id, record, exclude_person_id)
        if not ids:
            return []
        persons = list(Person.objects.filter(pk__in=ids))
        params, threshold = current_parameters(organisation_id)
        probability, levels, weights = score_against(record, records_of(persons), params)
    finally:
        forget_names()
    found = [
        PersonCandidate(person, float(p), evidence_of(lv.tolist(), w.tolist()))
        for person, p, lv, w in zip(persons, probability, levels, weights, strict=True)
        if p >= threshold
    ]
    return sorted(found, key=lambda c: -c.probability)[:limit]


@dataclass(frozen=True)
class IncidentCandidate:
    incident: Incident
    score: float
    evidence: dict[str, Any]


def incident_candidates(
    *,
    organisation_id: int,
    data: dict[str, Any],
    exclude_incident_id: int | None = None,
    limit: int = 5,
) -> list[IncidentCandidate]:
    """Incidents of the organisation that may be the event described by `data` (start_date,
    start_precision, end_date, place, types, victims as person ids), best first."""
    start = data.get("start_date")
    place = data.get("place")
    if start is None or place is None:
        return []
    window = dt.timedelta(days=incident_matching.WINDOW_DAYS)
    # a day-precise report near this date, or a month- or year-precise one that may contain it
    near = Q(start_date__gte=start - window) | Q(
        start_precision__in=["month", "year"], start_date__gte=start - dt.timedelta(days=366)
    )
    nearby = (
        Incident.objects.filter(
            near, organisation_id=organisation_id, start_date__lte=start + window
        )
        .exclude(pk=exclude_incident_id or 0)
        .select_related("place")
        .prefetch_related("types", "acts")
    )
    new = {
        "id": None,
        "start": start,
        "end": data.get("end_date"),
        "precision": data.get("start_precision") or "day",
        "place": place.code,
        "point": (float(place.latitude), float(place.longitude)),
        "types": {t.code for t in data.get("types") or ()},
        "victims": set(data.get("victims") or ()),
    }
    found = []
    candidates = list(nearby[:500])
    for incident, record in zip(
        candidates, incident_matching.incident_records(candidates), strict=True
    ):
        score, evidence = incident_matching.incident_score(new, record)
        if score >= incident_matching.THRESHOLD:
            found.append(IncidentCandidate(incident, score, evidence))
    return sorted(found, key=lambda c: -c.score)[:limit]


def pair_counts(organisation_id: int) -> dict[str, int]:
    from madad.linkage.models import PersonPair

    return dict(
        PersonPair.objects.filter(organisation_id=organisation_id)
        .values_list("status")
        .annotate(n=Count("id"))
    )
