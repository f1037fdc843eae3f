"""Every write to incidents and their parts. One function per use case, each atomic: on bad
input it raises Invalid (messages by field name) and writes nothing.

Any change to an incident or one of its parts makes a new version of it: the version number
goes up, the editor becomes its last editor (who may then not verify it), and a verified
incident goes back to review, because what was verified is no longer what is recorded.
An edit based on an older version than the stored one is refused (Stale): never a silent
overwrite. Verification lives in `madad.incidents.verification`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from madad.accounts.models import Organisation, User
from madad.core.audit import audit_record
from madad.core.refusals import Errors, Invalid, Refused, Stale
from madad.core.versioned import update_versioned
from madad.incidents import validation as check
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
from madad.people.models import Person
from madad.people.services import person_create
from madad.places.models import Place

_M2M = ("types",)


_FIELDS = frozenset(
    {
        "title",
        "start_date",
        "start_precision",
        "end_date",
        "end_precision",
        "place",
        "latitude",
        "longitude",
        "location_precision",
        "types",
        "description",
        "public_summary",
        "confidentiality",
    }
)


def new_version(
    *,
    incident: Incident,
    by: User,
    expected_version: int | None = None,
    values: dict[str, Any] | None = None,
    edit: bool = True,
) -> bool:
    """Writes `values` and the next version number with one conditional UPDATE, which matches
    only if the stored version is still `expected_version` (default: the stored one now), Stale
    otherwise. Must run inside a transaction. An edit (`edit=True`) makes `by` the last editor
    and sends a verified incident back to review; returns whether it did."""
    current = Incident.objects.filter(pk=incident.pk).values("version", "status").first()
    if current is None:
        raise Stale()
    values = dict(values or {})
    reopened = edit and current["status"] == Incident.Status.VERIFIED
    if edit:
        values["updated_by"] = by
    else:  # a verification step is not an edit of what was recorded
        values["updated_at"] = F("updated_at")
    if reopened:
        values.update(status=Incident.Status.UNDER_REVIEW, verified_at=None)
    version = current["version"] if expected_version is None else expected_version
    update_versioned(incident, expected_version=version, **values)
    if reopened:
        VerificationStep.objects.create(
            incident=incident,
            action=VerificationStep.Action.REOPENED,
            from_status=Incident.Status.VERIFIED,
            to_status=Incident.Status.UNDER_REVIEW,
            by=by,
        )
        audit_record(action="incident.reopened", actor=by, obj=incident)
    return reopened


def _index_title(incident: Incident, title: str) -> None:
    """The title's search keys, replacing those of its previous wording."""
    IncidentTitleKey.objects.filter(incident=incident).delete()
    IncidentTitleKey.objects.bulk_create(
        IncidentTitleKey(incident=incident, key=key) for key in sorted(title_keys(title))
    )


def incident_create(
    *,
    organisation: Organisation,
    created_by: User,
    title: str,
    start_date: dt.date | str | None,
    place: Place | None,
    types: Iterable[IncidentType],
    start_precision: str = "day",
    end_date: dt.date | str | None = None,
    end_precision: str = "day",
    latitude: Decimal | float | str | None = None,
    longitude: Decimal | float | str | None = None,
    location_precision: str = "neighbourhood",
    description: str = "",
    public_summary: str = "",
    confidentiality: str = "internal",
    acts: Sequence[dict[str, Any]] = (),
    sources: Sequence[dict[str, Any]] = (),
) -> Incident:
    """Records an incident as reported, with its acts (victims given as existing persons or as
    new person data) and sources. Errors of the acts and sources are keyed "acts.0.act_type",
    "sources.1.url" and so on. All or nothing."""
    data = {
        "title": title,
        "start_date": start_date,
        "start_precision": start_precision,
        "end_date": end_date,
        "end_precision": end_precision,
        "place": place,
        "latitude": latitude,
        "longitude": longitude,
        "location_precision": location_precision,
        "types": list(types),
        "description": description,
        "public_summary": public_summary,
        "confidentiality": confidentiality,
    }
    cleaned, errors = check.incident_fields(data)
    planned_acts = [_plan_act(organisation, i, act, errors) for i, act in enumerate(acts)]
    _refuse_repeated_acts(planned_acts, errors)
    planned_sources = [_plan_source(organisation, i, src, errors) for i, src in enumerate(sources)]
    errors.raise_if()
    types_ = cleaned.pop("types")
    with transaction.atomic():
        incident = Incident.objects.create(
            organisation=organisation, created_by=created_by, updated_by=created_by, **cleaned
        )
        incident.types.set(types_)
        _index_title(incident, cleaned["title"])
        audit_record(
            action="incident.created",
            actor=created_by,
            organisation=organisation,
            obj=incident,
            fields=[*cleaned, "types"],
        )
        for i, (victim, new_victim, act_values) in enumerate(planned_acts):
            if victim is None:
                victim = _create_victim(organisation, created_by, new_victim, f"acts.{i}")
            _insert_act(incident, victim, act_values, created_by)
        for person, source_values in planned_sources:
            _insert_source(incident, person, source_values, created_by)
    return incident


def incident_update(
    *,
    incident: Incident,
    updated_by: User,
    expected_version: int,
    acts: Sequence[dict[str, Any]] = (),
    sources: Sequence[dict[str, Any]] = (),
    **changes: Any,
) -> Incident:
    """Changes the given fields, and adds the given acts and sources (as incident_create
    takes them), if nobody saved the incident since `expected_version`. All or nothing."""
    unknown = set(changes) - _FIELDS
    if unknown:
        raise Invalid(
            fields={name: [_("This field cannot be changed here.")] for name in sorted(unknown)}
        )
    current = {
        "title": incident.title,
        "start_date": incident.start_date,
        "start_precision": incident.start_precision,
        "end_date": incident.end_date,
        "end_precision": incident.end_precision,
        "place": incident.place,
        "latitude": incident.latitude,
        "longitude": incident.longitude,
        "location_precision": incident.location_precision,
        "confidentiality": incident.confidentiality,
    }
    # Checked with the stored values, so that a new end date is compared with the stored
    # start date; the types only when they change (a type retired since stays valid).
    cleaned, errors = check.incident_fields({**current, **changes}, partial=True)
    organisation = incident.organisation
    planned_acts = [_plan_act(organisation, i, act, errors) for i, act in enumerate(acts)]
    _refuse_repeated_acts(planned_acts, errors, incident=incident)
    planned_sources = [_plan_source(organisation, i, src, errors) for i, src in enumerate(sources)]
    errors.raise_if()
    if not changes and not planned_acts and not planned_sources:
        return incident  # nothing to save, so nothing to overwrite
    values = {k: v for k, v in cleaned.items() if k in changes and k not in _M2M}
    if {"latitude", "longitude"} & set(changes):
        values.update(latitude=cleaned["latitude"], longitude=cleaned["longitude"])
    for prefix in ("start", "end"):  # a new precision re-rounds the stored date
        if f"{prefix}_precision" in changes:
            values[f"{prefix}_date"] = cleaned[f"{prefix}_date"]
    with transaction.atomic():
        new_version(
            incident=incident, by=updated_by, expected_version=expected_version, values=values
        )
        if "types" in changes:
            incident.types.set(cleaned["types"])
        if "title" in values:
            _index_title(incident, values["title"])
        if changes:
            audit_record(
                action="incident.updated",
                actor=updated_by,
                obj=incident,
                fields=sorted({*values, *(k for k in _M2M if k in changes)}),
            )
        for i, (victim, new_victim, act_values) in enumerate(planned_acts):
            if victim is None:
                victim = _create_victim(organisation, updated_by, new_victim, f"acts.{i}")
            _insert_act(incident, victim, act_values, updated_by)
        for person, source_values in planned_sources:
            _insert_source(incident, person, source_values, updated_by)
    incident.refresh_from_db()
    return incident


def act_add(
    *,
    incident: Incident,
    added_by: User,
    act_type: str,
    victim: Person | None = None,
    new_victim: dict[str, Any] | None = None,
    date: dt.date | str | None = None,
    method: str = "",
    consequences: str = "",
    expected_version: int | None = None,
) -> Act:
    """Records what happened to one victim: an existing person of the organisation, or a new
    person made from `new_victim` in the same transaction."""
    errors = Errors()
    victim, new_victim, values = _plan_act(
        incident.organisation,
        None,
        {
            "victim": victim,
            "new_victim": new_victim,
            "act_type": act_type,
            "date": date,
            "method": method,
            "consequences": consequences,
        },
        errors,
    )
    if (
        victim is not None
        and Act.objects.filter(
            incident=incident, victim=victim, act_type=values["act_type"]
        ).exists()
    ):
        errors.add("act_type", _("This act is already recorded for this victim."))
    errors.raise_if()
    with transaction.atomic():
        new_version(incident=incident, by=added_by, expected_version=expected_version)
        if victim is None:
            victim = _create_victim(incident.organisation, added_by, new_victim, "new_victim")
        return _insert_act(incident, victim, values, added_by)


def involvement_add(
    *,
    act: Act,
    added_by: User,
    degree: str,
    person: Person | None = None,
    described_group: str = "",
    allegation_status: str = "alleged",
    expected_version: int | None = None,
) -> Involvement:
    """Records an *alleged* perpetrator of an act: a person of the organisation's records, or a
    description of a group ("two unidentified men on a motorcycle")."""
    cleaned, errors = check.involvement_fields(
        {
            "described_group": described_group,
            "degree": degree,
            "allegation_status": allegation_status,
        }
    )
    if person is None and not cleaned["described_group"]:
        errors.add(
            "described_group", _("Name a person or describe the group alleged to be involved.")
        )
    if person is not None and person.organisation_id != act.incident.organisation_id:
        errors.add("person", _("Choose a person from your organisation's records."))
    errors.raise_if()
    with transaction.atomic():
        new_version(incident=act.incident, by=added_by, expected_version=expected_version)
        involvement = Involvement.objects.create(act=act, person=person, **cleaned)
        audit_record(
            action="incident.involvement.added",
            actor=added_by,
            obj=involvement,
            fields=[*cleaned, *(["person"] if person else [])],
        )
    return involvement


def source_add(
    *,
    incident: Incident,
    added_by: User,
    kind: str,
    person: Person | None = None,
    expected_version: int | None = None,
    **details: Any,
) -> Source:
    """Records where information came from; grading (reliability A-F with credibility 1-6) may
    be given now or later with source_grade."""
    errors = Errors()
    person, values = _plan_source(
        incident.organisation, None, {"kind": kind, "person": person, **details}, errors
    )
    errors.raise_if()
    with transaction.atomic():
        new_version(incident=incident, by=added_by, expected_version=expected_version)
        return _insert_source(incident, person, values, added_by)


def source_grade(
    *,
    source: Source,
    graded_by: User,
    reliability: str,
    credibility: int | None,
    expected_version: int | None = None,
) -> Source:
    """Grades (or re-grades) a source on the Admiralty code; both scales are needed."""
    errors = Errors()
    values = check.grading_fields(
        {"reliability": reliability, "credibility": credibility}, errors, required=True
    )
    errors.raise_if()
    with transaction.atomic():
        new_version(incident=source.incident, by=graded_by, expected_version=expected_version)
        Source.objects.filter(pk=source.pk).update(**values)
        audit_record(
            action="incident.source.graded", actor=graded_by, obj=source, fields=list(values)
        )
    source.refresh_from_db()
    return source


def incident_relate(
    *, incident: Incident, other: Incident, kind: str, related_by: User
) -> IncidentRelation:
    """Links two incidents of one organisation (same event, follow-up, related), once."""
    errors = Errors()
    kind = check.choice({"kind": kind}, "kind", errors, IncidentRelation.Kind.values)
    if other.pk == incident.pk:
        errors.add("other", _("An incident cannot be related to itself."))
    elif other.organisation_id != incident.organisation_id:
        errors.add("other", _("No such incident."))
    elif IncidentRelation.objects.filter(
        from_incident__in=[incident, other], to_incident__in=[incident, other]
    ).exists():
        errors.add("other", _("These incidents are already related."))
    errors.raise_if()
    with transaction.atomic():
        relation = IncidentRelation.objects.create(
            from_incident=incident, to_incident=other, kind=kind, created_by=related_by
        )
        audit_record(action="incident.related", actor=related_by, obj=incident, fields=["kind"])
    return relation


# --- helpers ----------------------------------------------------------------------------------


def _plan_act(
    organisation: Organisation, index: int | None, data: dict[str, Any], errors: Errors
) -> tuple[Person | None, dict[str, Any] | None, dict[str, Any]]:
    values, act_errors = check.act_fields(data)
    victim, new_victim = data.get("victim"), data.get("new_victim")
    if victim is None and not new_victim:
        act_errors.add("victim", _("Choose a person or record a new one."))
    elif victim is not None and new_victim:
        act_errors.add("victim", _("Choose a person or record a new one, not both."))
    elif victim is not None and (
        not isinstance(victim, Person) or victim.organisation_id != organisation.pk
    ):
        act_errors.add("victim", _("Choose a person from your organisation's records."))
        victim = None
    _collect(errors, act_errors, "acts", index)
    return victim, new_victim, values


def _collect(errors: Errors, found: Errors, kind: str, index: int | None) -> None:
    if index is None:
        errors.update(found.fields)
    else:
        check.nest(errors, found.fields, f"{kind}.{index}")


def _refuse_repeated_acts(
    planned: list[tuple[Person | None, Any, dict[str, Any]]],
    errors: Errors,
    incident: Incident | None = None,
) -> None:
    seen: set[tuple[int, str]] = set()
    if incident is not None:
        seen.update(Act.objects.filter(incident=incident).values_list("victim_id", "act_type"))
    for i, (victim, _new, values) in enumerate(planned):
        if victim is None:
            continue
        key = (victim.pk, values["act_type"])
        if key in seen:
            errors.add(f"acts.{i}.act_type", _("This act is already recorded for this victim."))
        seen.add(key)


def _plan_source(
    organisation: Organisation, index: int | None, data: dict[str, Any], errors: Errors
) -> tuple[Person | None, dict[str, Any]]:
    values, source_errors = check.source_fields(data)
    person = data.get("person")
    if person is not None and (
        not isinstance(person, Person) or person.organisation_id != organisation.pk
    ):
        source_errors.add("person", _("Choose a person from your organisation's records."))
        person = None
    _collect(errors, source_errors, "sources", index)
    return person, values


def _create_victim(
    organisation: Organisation, by: User, data: dict[str, Any] | None, prefix: str
) -> Person:
    try:
        return person_create(organisation=organisation, created_by=by, **(data or {}))
    except TypeError:  # a field person_create does not know
        raise Invalid(fields={prefix: [_("Unknown person field.")]}) from None
    except (Refused, ValidationError) as exc:
        refusal = Refused.from_validation_error(exc) if isinstance(exc, ValidationError) else exc
        errors = Errors()
        check.nest(errors, refusal.fields or {"__all__": [refusal.message]}, prefix)
        errors.raise_if()
        raise


def _insert_act(incident: Incident, victim: Person, values: dict[str, Any], by: User) -> Act:
    act = Act.objects.create(incident=incident, victim=victim, **values)
    audit_record(
        action="incident.act.added",
        actor=by,
        obj=act,
        fields=["victim", *(k for k, v in values.items() if v not in ("", None))],
    )
    return act


def _insert_source(
    incident: Incident, person: Person | None, values: dict[str, Any], by: User
) -> Source:
    source = Source.objects.create(incident=incident, person=person, **values)
    audit_record(
        action="incident.source.added",
        actor=by,
        obj=source,
        fields=[
            *(["person"] if person else []),
            *(k for k, v in values.items() if v not in ("", None)),
        ],
    )
    return source
