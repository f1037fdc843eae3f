"""Reads of incidents, always through the access policy: what a user may list, and what of one
incident they may read. Restricted values are read with access.reveal, which audits them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from madad import access
from madad.access.roles import Capability
from madad.core.crypto import blind_index
from madad.incidents.models import (
    Act,
    Confidence,
    Incident,
    IncidentRelation,
    IncidentTitleKey,
    IncidentType,
    Involvement,
    Source,
    VerificationStep,
    overall_confidence,
)
from madad.incidents.title_index import PURPOSE, title_tokens
from madad.people.models import Person
from madad.places.models import Place

_NAME_FIELDS = ("given_name", "family_name", "full_name_ur")
_MAX_TERMS = 8


def within(place: Place, prefix: str = "place") -> Q:
    """Records at `place` or anywhere below it in the gazetteer (up to four levels down)."""
    query = Q(**{prefix: place})
    for depth in range(1, 5):
        query |= Q(**{f"{prefix}{'__parent' * depth}": place})
    return query


def incident_list(*, user: Any, filters: dict[str, Any] | None = None) -> QuerySet[Incident]:
    """Incidents the user may see, newest first, filtered by:
    q (every word in the title or the public summary), date_from, date_to (the incident
    overlaps the range), types (any of), district, town, place (at or below), status."""
    filters = filters or {}
    incidents = access.visible_to(user, Incident)
    for term in (filters.get("q") or "").split()[:_MAX_TERMS]:
        incidents = incidents.filter(_matching(term))
    if filters.get("date_from"):
        start = filters["date_from"]
        incidents = incidents.filter(
            Q(end_date__gte=start) | Q(end_date__isnull=True, start_date__gte=start)
        )
    if filters.get("date_to"):
        incidents = incidents.filter(start_date__lte=filters["date_to"])
    types = filters.get("types") or ([filters["type"]] if filters.get("type") else [])
    if types:
        incidents = incidents.filter(types__in=list(types)).distinct()
    for level in ("district", "town", "place"):
        if filters.get(level):
            incidents = incidents.filter(within(filters[level]))
    if filters.get("status"):
        incidents = incidents.filter(status=filters["status"])
    return (
        incidents.select_related("place", "place__parent")
        .prefetch_related(Prefetch("types", queryset=IncidentType.objects.order_by("position")))
        .order_by("-start_date", "-id")
    )


def _matching(term: str) -> Q:
    """A word of the title (the encrypted title is searched by its blind-indexed tokens, a
    whole word in any spelling the name normalisation folds together) or of the public
    summary (plain text, any part of a word)."""
    match = Q(public_summary__icontains=term)
    tokens = title_tokens(term)
    if tokens:
        in_title = Q()
        for token in tokens:
            keyed = IncidentTitleKey.objects.filter(key=blind_index(token, purpose=PURPOSE))
            in_title &= Q(pk__in=keyed.values("incident_id"))
        match |= in_title
    return match


def person_names(*, user: Any, persons: list[Person]) -> dict[int, dict[str, str]]:
    """The names of the persons the user may read (each read audited), by person id."""
    names: dict[int, dict[str, str]] = {}
    for person in {p.pk: p for p in persons if p is not None}.values():
        shown = access.reveal(user, person, wanted=_NAME_FIELDS)
        names[person.pk] = {
            "latin": f"{shown.get('given_name', '')} {shown.get('family_name', '')}".strip(),
            "urdu": shown.get("full_name_ur", ""),
        }
    return names


@dataclass
class ActView:
    act: Act
    consequences: str | None
    involvements: list[dict[str, Any]] = field(default_factory=list)
    victim_name: dict[str, str] = field(default_factory=dict)


@dataclass
class IncidentView:
    """One incident as this user may read it. Keys absent from the dicts were not allowed."""

    incident: Incident
    fields: dict[str, Any]
    acts: list[ActView]
    sources: list[dict[str, Any]]
    confidence: Confidence
    steps: list[VerificationStep]
    relations: list[dict[str, Any]]
    names: dict[int, dict[str, str]]
    may_see_perpetrators: bool
    may_see_description: bool


def incident_detail(*, user: Any, incident: Incident) -> IncidentView:
    may_see_perpetrators = access.can(user, Capability.PERPETRATOR_VIEW)
    fields = access.reveal(
        user,
        incident,
        wanted=["description"],
        action="incident.description.viewed",
    )
    acts = list(
        access.visible_to(user, Act)
        .filter(incident=incident)
        .select_related("victim")
        .order_by("id")
    )
    involvements = list(
        access.visible_to(user, Involvement)
        .filter(act__incident=incident)
        .select_related("person")
        .order_by("id")
    )
    sources = list(
        access.visible_to(user, Source)
        .filter(incident=incident)
        .select_related("person")
        .order_by("id")
    )
    act_views: list[ActView] = []
    by_act: dict[int, ActView] = {}
    for act in acts:
        shown = access.reveal(
            user,
            act,
            wanted=["consequences"],
            action="incident.act.consequences.viewed",
        )
        by_act[act.pk] = ActView(act=act, consequences=shown.get("consequences"))
        act_views.append(by_act[act.pk])
    for involvement in involvements:
        shown = access.reveal(user, involvement, action="incident.perpetrator.viewed")
        shown["involvement"] = involvement
        by_act[involvement.act_id].involvements.append(shown)
    source_rows = []
    for source in sources:
        shown = access.reveal(user, source, action="incident.source.viewed")
        shown["source"] = source
        source_rows.append(shown)
    people = (
        [a.victim for a in acts]
        + [i.person for i in involvements if i.person]
        + [s["person"] for s in source_rows if s.get("person")]
    )
    visible_people = set(
        access.visible_to(user, Person)
        .filter(pk__in=[p.pk for p in people])
        .values_list("pk", flat=True)
    )
    names = person_names(user=user, persons=[p for p in people if p.pk in visible_people])
    for act_view in act_views:
        act_view.victim_name = names.get(act_view.act.victim_id, {})
        for shown in act_view.involvements:
            shown["person_name"] = names.get(shown["involvement"].person_id or 0, {})
    for shown in source_rows:
        if shown.get("person"):
            shown["person_name"] = names.get(shown["person"].pk, {})
    return IncidentView(
        incident=incident,
        fields=fields,
        acts=act_views,
        sources=source_rows,
        confidence=overall_confidence(sources),
        steps=list(
            access.visible_to(user, VerificationStep).filter(incident=incident).select_related("by")
        ),
        relations=incident_relations(user=user, incident=incident),
        names=names,
        may_see_perpetrators=may_see_perpetrators,
        may_see_description="description" in fields,
    )


def incident_relations(*, user: Any, incident: Incident) -> list[dict[str, Any]]:
    """Both directions, each as the other incident and the kind of link."""
    relations = (
        access.visible_to(user, IncidentRelation)
        .filter(Q(from_incident=incident) | Q(to_incident=incident))
        .select_related("from_incident", "to_incident")
        .order_by("id")
    )
    visible = access.visible_to(user, Incident)
    rows = []
    for relation in relations:
        other = (
            relation.to_incident
            if relation.from_incident_id == incident.pk
            else relation.from_incident
        )
        if visible.filter(pk=other.pk).exists():
            rows.append(
                {
                    "relation": relation,
                    "other": other,
                    "kind": relation.kind,
                    "label": relation.get_kind_display(),
                }
            )
    return rows


def person_incident_roles(*, user: Any, person: Person) -> list[dict[str, Any]]:
    """Every role the person has across the incidents the user may see: victim (with what
    happened), source, and - only for users who may see them - alleged perpetrator."""
    roles: list[dict[str, Any]] = []
    for act in access.visible_to(user, Act).filter(victim=person).select_related("incident"):
        roles.append(
            {"incident": act.incident, "role": "victim", "detail": act.get_act_type_display()}
        )
    if "person" in access.readable_fields(user, Source):
        for source in (
            access.visible_to(user, Source).filter(person=person).select_related("incident")
        ):
            roles.append(
                {"incident": source.incident, "role": "source", "detail": source.get_kind_display()}
            )
    for involvement in (
        access.visible_to(user, Involvement).filter(person=person).select_related("act__incident")
    ):
        roles.append(
            {
                "incident": involvement.act.incident,
                "role": "alleged_perpetrator",
                "detail": involvement.get_degree_display(),
            }
        )
    roles.sort(key=lambda r: (r["incident"].start_date, r["incident"].pk), reverse=True)
    return roles


def filter_choices() -> dict[str, Any]:
    """What the list filters offer: types in use, districts and towns."""
    return {
        "types": IncidentType.objects.filter(active=True).order_by("position"),
        "districts": Place.objects.filter(level=Place.Level.DISTRICT).order_by("name"),
        "towns": Place.objects.filter(level=Place.Level.TOWN).order_by("name"),
    }
