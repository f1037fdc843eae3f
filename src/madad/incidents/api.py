"""/api/v1/incidents: incidents, their acts, sources, alleged perpetrators and verification.

Fields per role come from the access policy: a key the caller may not read is absent, not
empty. Alleged perpetrators do not exist for a caller without perpetrator.view (404, and no
"involvements" key). Partners get 404 for everything here. A PATCH carries the version the
client read; if the incident changed since, the answer is 409 and nothing is written.
Searching the titles (which may name people) is POST /incidents/search: the words travel in
the body, never in a URL. Refusals propagate to madad.api.errors.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Query, Router, Status

from madad import access
from madad.access.incidents import may_record_incidents, may_see_incidents
from madad.access.roles import Capability
from madad.api.errors import errors
from madad.api.pagination import paginated
from madad.api.records import PathRecords, named
from madad.core.http import AuthedRequest
from madad.core.refusals import NotAllowed, NotVisible, invalid
from madad.incidents import selectors, services, verification
from madad.incidents.models import Act, Incident, IncidentType, Involvement, Source
from madad.incidents.schemas import (
    IncidentActIn,
    IncidentActOut,
    IncidentFilters,
    IncidentIn,
    IncidentInvolvementIn,
    IncidentInvolvementOut,
    IncidentOut,
    IncidentPatch,
    IncidentRelatedOut,
    IncidentRelationIn,
    IncidentSearchIn,
    IncidentSourceGradeIn,
    IncidentSourceIn,
    IncidentSourceOut,
    IncidentStepIn,
    IncidentSummaryOut,
    IncidentTypeOut,
)
from madad.people.models import Person
from madad.places.models import Place

router = Router(tags=["incidents"])


# --- access helpers -------------------------------------------------------------------------
INCIDENTS = PathRecords(
    Incident,
    may_see=may_see_incidents,
    may_not_change=gettext_lazy("Your role cannot change incidents."),
)


def _person(request: AuthedRequest, person_id: int | None, field: str) -> Person | None:
    if person_id is None:
        return None
    return named(request.user, Person, person_id, field, _("No person with this record number."))


def _place(place_id: int, field: str = "place_id") -> Place:
    place = Place.objects.filter(pk=place_id).first()
    if place is None:
        raise invalid(field, _("No place with this number."))
    return place


def _types(codes: list[str]) -> list[IncidentType]:
    found = {t.code: t for t in IncidentType.objects.filter(code__in=codes)}
    if any(c not in found for c in codes):
        raise invalid("types", _("Unknown incident type."))
    return [found[c] for c in dict.fromkeys(codes)]


# --- output ---------------------------------------------------------------------------------
def _place_out(place: Place) -> dict[str, Any]:
    return {
        "id": place.pk,
        "code": place.code,
        "name": place.name,
        "name_ur": place.name_ur,
        "level": place.level,
    }


def incident_summary(incident: Incident) -> dict[str, Any]:
    return {
        "id": incident.pk,
        "title": incident.title,
        "start_date": incident.start_date,
        "start_precision": incident.start_precision,
        "end_date": incident.end_date,
        "end_precision": incident.end_precision,
        "place": _place_out(incident.place),
        "types": [t.code for t in incident.types.all()],
        "status": incident.status,
        "confidentiality": incident.confidentiality,
        "public_summary": incident.public_summary,
        "version": incident.version,
    }


def _act_out(
    act: Act, shown: dict[str, Any], involvements: list[dict[str, Any]] | None
) -> dict[str, Any]:
    out = {
        "id": act.pk,
        "victim_id": act.victim_id,
        "act_type": act.act_type,
        "date": act.date,
        "method": act.method,
    }
    if "consequences" in shown:
        out["consequences"] = shown["consequences"]
    if involvements is not None:
        out["involvements"] = involvements
    return out


def _involvement_out(shown: dict[str, Any]) -> dict[str, Any]:
    involvement: Involvement = shown["involvement"]
    return {
        "id": involvement.pk,
        "act_id": involvement.act_id,
        "person_id": involvement.person_id,
        "described_group": shown["described_group"],
        "degree": involvement.degree,
        "allegation_status": involvement.allegation_status,
    }


def _source_out(shown: dict[str, Any]) -> dict[str, Any]:
    source: Source = shown["source"]
    out: dict[str, Any] = {
        "id": source.pk,
        "kind": source.kind,
        "reliability": source.reliability or None,
        "credibility": source.credibility,
        "grading": source.grading or None,
        "url": source.url,
        "outlet": source.outlet,
        "received_on": source.received_on,
    }
    for name in ("name", "notes", "fir_number", "police_station"):
        if name in shown:
            out[name] = shown[name]
    if "person" in shown:
        out["person_id"] = shown["person"].pk if shown["person"] else None
    return out


def incident_out(request: AuthedRequest, incident: Incident) -> dict[str, Any]:
    view = selectors.incident_detail(user=request.user, incident=incident)
    out = incident_summary(incident)
    latitude, longitude = incident.latitude, incident.longitude
    out.update(
        {
            "latitude": float(latitude) if latitude is not None else None,
            "longitude": float(longitude) if longitude is not None else None,
            "location_precision": incident.location_precision,
            "created_at": incident.created_at,
            "updated_at": incident.updated_at,
            "verified_at": incident.verified_at,
            "acts": [
                _act_out(
                    a.act,
                    {"consequences": a.consequences} if a.consequences is not None else {},
                    [_involvement_out(i) for i in a.involvements]
                    if view.may_see_perpetrators
                    else None,
                )
                for a in view.acts
            ],
            "sources": [_source_out(s) for s in view.sources],
            "confidence": view.confidence.value,
            "verification": [
                {
                    "action": s.action,
                    "from_status": s.from_status,
                    "to_status": s.to_status,
                    "by": s.by.full_name,
                    "reason": s.note,
                    "at": s.at,
                }
                for s in view.steps
            ],
            "related": [{"id": r["other"].pk, "kind": r["kind"]} for r in view.relations],
        }
    )
    if view.may_see_description:
        out["description"] = view.fields["description"]
    return out


# --- endpoints ------------------------------------------------------------------------------
def _wanted(filters: IncidentFilters) -> dict[str, Any]:
    """The filters as the selector takes them: type codes and place ids looked up."""
    wanted: dict[str, Any] = filters.model_dump(exclude={"type", "district", "town", "place"})
    if filters.type:
        wanted["type"] = IncidentType.objects.filter(code=filters.type).first()
        if wanted["type"] is None:
            raise invalid("type", _("Unknown incident type."))
    for level in ("district", "town", "place"):
        if getattr(filters, level):
            wanted[level] = _place(getattr(filters, level), level)
    return wanted


class _Summaries:
    """The selector's queryset, turned into summaries page by page (the paginator slices it)."""

    def __init__(self, incidents: Any) -> None:
        self.incidents = incidents

    def count(self) -> int:
        return int(self.incidents.count())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, page: slice) -> list[dict[str, Any]]:
        return [incident_summary(i) for i in self.incidents[page]]


@router.get(
    "",
    response={200: list[IncidentSummaryOut], **errors(404, 422)},
    summary="Incidents you may see, newest first",
)
@paginated
def list_incidents(request: AuthedRequest, filters: Query[IncidentFilters]) -> Any:
    user = INCIDENTS.caller(request)
    if "q" in request.GET:
        raise invalid("q", _("Search with POST /api/v1/incidents/search: words stay out of URLs."))
    return _Summaries(selectors.incident_list(user=user, filters=_wanted(filters)))


@router.post(
    "/search",
    response={200: list[IncidentSummaryOut], **errors(404, 422)},
    summary="Search incidents by words of the title or summary (the words in the body)",
)
@paginated
def search_incidents(request: AuthedRequest, payload: IncidentSearchIn) -> Any:
    user = INCIDENTS.caller(request)
    wanted = _wanted(payload)
    wanted["q"] = payload.q
    return _Summaries(selectors.incident_list(user=user, filters=wanted))


@router.get(
    "/types",
    response={200: list[IncidentTypeOut], **errors(404)},
    summary="The incident-type vocabulary",
)
def list_types(request: AuthedRequest) -> list[IncidentType]:
    return list(access.visible_to(INCIDENTS.caller(request), IncidentType))


@router.get(
    "/{int:incident_id}",
    response={200: IncidentOut, **errors(404)},
    exclude_unset=True,
    summary="One incident, with the fields your role may see",
)
def get_incident(request: AuthedRequest, incident_id: int) -> dict[str, Any]:
    return incident_out(request, INCIDENTS.visible(request, incident_id))


@router.post(
    "",
    response={201: IncidentOut, **errors(403, 404, 409, 422)},
    exclude_unset=True,
    summary="Record an incident, with acts and sources",
)
def create_incident(request: AuthedRequest, payload: IncidentIn) -> Status[dict[str, Any]]:
    user = INCIDENTS.caller(request)
    if not may_record_incidents(user):
        raise NotAllowed(_("Your role cannot record incidents."))
    data = payload.model_dump(exclude={"place_id", "types", "acts", "sources"})
    acts = [_act_data(request, i, act) for i, act in enumerate(payload.acts)]
    sources = [_source_data(request, i, src) for i, src in enumerate(payload.sources)]
    incident = services.incident_create(
        organisation=user.organisation,
        created_by=user,
        place=_place(payload.place_id),
        types=_types(payload.types),
        acts=acts,
        sources=sources,
        **data,
    )
    return Status(201, incident_out(request, incident))


# fields a PATCH may empty (null means ""); any other may not be null
_EMPTIABLE = ("description", "public_summary", "end_date", "latitude", "longitude")


@router.patch(
    "/{int:incident_id}",
    response={200: IncidentOut, **errors(403, 404, 409, 422)},
    exclude_unset=True,
    summary="Change an incident (send the version you read)",
)
def update_incident(
    request: AuthedRequest, incident_id: int, payload: IncidentPatch
) -> dict[str, Any]:
    incident = INCIDENTS.changeable(request, incident_id)
    changes = payload.model_dump(exclude_unset=True)
    version = changes.pop("version")
    if "place_id" in changes:
        place_id = changes.pop("place_id")
        changes["place"] = _place(place_id) if place_id is not None else None
    if "types" in changes:
        changes["types"] = _types(changes["types"] or [])
    for name in [n for n, v in changes.items() if v is None]:
        if name in ("description", "public_summary"):
            changes[name] = ""
        elif name not in _EMPTIABLE:
            raise invalid("place_id" if name == "place" else name, _("This field is required."))
    incident = services.incident_update(
        incident=incident, updated_by=request.user, expected_version=version, **changes
    )
    return incident_out(request, incident)


@router.post(
    "/{int:incident_id}/acts",
    response={201: IncidentActOut, **errors(403, 404, 409, 422)},
    exclude_unset=True,
    summary="Record what happened to one victim",
)
def add_act(
    request: AuthedRequest, incident_id: int, payload: IncidentActIn
) -> Status[dict[str, Any]]:
    incident = INCIDENTS.changeable(request, incident_id)
    act = services.act_add(
        incident=incident, added_by=request.user, **_act_data(request, None, payload)
    )
    shown = access.reveal(
        request.user, act, wanted=["consequences"], action="incident.act.consequences.viewed"
    )
    perpetrators: list[dict[str, Any]] | None = (
        [] if access.can(request.user, Capability.PERPETRATOR_VIEW) else None
    )
    return Status(201, _act_out(act, shown, perpetrators))


@router.post(
    "/{int:incident_id}/sources",
    response={201: IncidentSourceOut, **errors(403, 404, 409, 422)},
    exclude_unset=True,
    summary="Record a source",
)
def add_source(
    request: AuthedRequest, incident_id: int, payload: IncidentSourceIn
) -> Status[dict[str, Any]]:
    incident = INCIDENTS.changeable(request, incident_id)
    source = services.source_add(
        incident=incident, added_by=request.user, **_source_data(request, None, payload)
    )
    return Status(201, _source_out(_shown_source(request, source)))


@router.post(
    "/{int:incident_id}/sources/{int:source_id}/grading",
    response={200: IncidentSourceOut, **errors(403, 404, 409, 422)},
    exclude_unset=True,
    summary="Grade a source (Admiralty code)",
)
def grade_source(
    request: AuthedRequest, incident_id: int, source_id: int, payload: IncidentSourceGradeIn
) -> dict[str, Any]:
    incident = INCIDENTS.changeable(request, incident_id)
    source = access.get_visible_or_404(request.user, Source, pk=source_id, incident=incident)
    source = services.source_grade(
        source=source,
        graded_by=request.user,
        reliability=payload.reliability.value,
        credibility=int(payload.credibility),
        expected_version=payload.version,
    )
    return _source_out(_shown_source(request, source))


@router.get(
    "/{int:incident_id}/acts/{int:act_id}/involvements",
    response={200: list[IncidentInvolvementOut], **errors(404)},
    summary="Alleged perpetrators of an act (perpetrator.view only)",
)
def list_involvements(
    request: AuthedRequest, incident_id: int, act_id: int
) -> list[dict[str, Any]]:
    act = _perpetrator_act(request, incident_id, act_id)
    return [
        _involvement_out(_shown_involvement(request, i))
        for i in access.visible_to(request.user, Involvement).filter(act=act).order_by("id")
    ]


@router.post(
    "/{int:incident_id}/acts/{int:act_id}/involvements",
    response={201: IncidentInvolvementOut, **errors(403, 404, 409, 422)},
    summary="Record an alleged perpetrator (perpetrator.view only)",
)
def add_involvement(
    request: AuthedRequest, incident_id: int, act_id: int, payload: IncidentInvolvementIn
) -> Status[dict[str, Any]]:
    act = _perpetrator_act(request, incident_id, act_id)
    if not access.can_change(request.user, act.incident):
        raise NotAllowed(_("Your role cannot change incidents."))
    involvement = services.involvement_add(
        act=act,
        added_by=request.user,
        person=_person(request, payload.person_id, "person_id"),
        described_group=payload.described_group,
        degree=payload.degree.value,
        allegation_status=payload.allegation_status.value,
    )
    return Status(201, _involvement_out(_shown_involvement(request, involvement)))


@router.post(
    "/{int:incident_id}/relations",
    response={201: IncidentRelatedOut, **errors(403, 404, 409, 422)},
    summary="Relate this incident to another",
)
def relate(
    request: AuthedRequest, incident_id: int, payload: IncidentRelationIn
) -> Status[dict[str, Any]]:
    incident = INCIDENTS.changeable(request, incident_id)
    other = access.visible_to(request.user, Incident).filter(pk=payload.other_id).first()
    if other is None:
        raise invalid("other_id", _("No incident with this number."))
    relation = services.incident_relate(
        incident=incident, other=other, kind=payload.kind.value, related_by=request.user
    )
    return Status(201, {"id": other.pk, "kind": relation.kind})


_STEPPED = {200: IncidentOut, **errors(403, 404, 409, 422)}


@router.post(
    "/{int:incident_id}/submit",
    response=_STEPPED,
    exclude_unset=True,
    summary="Submit for review (reported → under review)",
)
def submit(request: AuthedRequest, incident_id: int, payload: IncidentStepIn) -> dict[str, Any]:
    incident = INCIDENTS.changeable(request, incident_id)
    verification.incident_submit(
        incident=incident, submitted_by=request.user, expected_version=payload.version
    )
    return incident_out(request, incident)


@router.post(
    "/{int:incident_id}/verify",
    response=_STEPPED,
    exclude_unset=True,
    summary="Verify (a second person, graded sources)",
)
def verify(request: AuthedRequest, incident_id: int, payload: IncidentStepIn) -> dict[str, Any]:
    return _review(request, incident_id, verification.incident_verify, payload)


@router.post(
    "/{int:incident_id}/dispute",
    response=_STEPPED,
    exclude_unset=True,
    summary="Dispute, with a reason",
)
def dispute(request: AuthedRequest, incident_id: int, payload: IncidentStepIn) -> dict[str, Any]:
    return _review(request, incident_id, verification.incident_dispute, payload)


@router.post(
    "/{int:incident_id}/reject",
    response=_STEPPED,
    exclude_unset=True,
    summary="Reject, with a reason",
)
def reject(request: AuthedRequest, incident_id: int, payload: IncidentStepIn) -> dict[str, Any]:
    return _review(request, incident_id, verification.incident_reject, payload)


# --- helpers --------------------------------------------------------------------------------
def _review(
    request: AuthedRequest, incident_id: int, step: Any, payload: IncidentStepIn
) -> dict[str, Any]:
    """Verify, dispute or reject: by a verifier (403 otherwise; the four-eyes rule and the
    incident's state are the service's refusals)."""
    incident = INCIDENTS.visible(request, incident_id)
    if not access.can(request.user, Capability.INCIDENT_VERIFY):
        raise NotAllowed(_("Your role cannot verify incidents."))
    step(
        incident=incident,
        verifier=request.user,
        reason=payload.reason,
        expected_version=payload.version,
    )
    return incident_out(request, incident)


def _perpetrator_act(request: AuthedRequest, incident_id: int, act_id: int) -> Act:
    incident = INCIDENTS.visible(request, incident_id)
    if not access.can(request.user, Capability.PERPETRATOR_VIEW):
        raise NotVisible()
    return access.get_visible_or_404(request.user, Act, pk=act_id, incident=incident)


def _shown_involvement(request: AuthedRequest, involvement: Involvement) -> dict[str, Any]:
    shown = access.reveal(request.user, involvement, action="incident.perpetrator.viewed")
    shown["involvement"] = involvement
    return shown


def _shown_source(request: AuthedRequest, source: Source) -> dict[str, Any]:
    shown = access.reveal(request.user, source, action="incident.source.viewed")
    shown["source"] = source
    return shown


def _act_data(request: AuthedRequest, index: int | None, act: IncidentActIn) -> dict[str, Any]:
    field = f"acts.{index}.victim_id" if index is not None else "victim_id"
    data = act.model_dump(exclude={"victim_id", "new_victim"})
    data["act_type"] = act.act_type.value
    data["victim"] = _person(request, act.victim_id, field)
    data["new_victim"] = act.new_victim.model_dump() if act.new_victim else None
    return data


def _source_data(
    request: AuthedRequest, index: int | None, source: IncidentSourceIn
) -> dict[str, Any]:
    field = f"sources.{index}.person_id" if index is not None else "person_id"
    data = source.model_dump(exclude={"person_id"})
    data["kind"] = source.kind.value
    data["reliability"] = source.reliability.value if source.reliability else ""
    data["credibility"] = int(source.credibility) if source.credibility else None
    data["person"] = _person(request, source.person_id, field)
    return data
