"""/api/v1/incidents: incidents, their acts, sources, alleged perpetrators and verification.

Fields per role come from the access policy: a key the caller may not read is absent, not
empty. Alleged perpetrators do not exist for a caller without perpetrator.view (404, and no
"involvements" key). Partners get 404 for everything here. A PATCH carries the version the
client read; if the incident changed since, the answer is 409 and nothing is written.
"""

from __future__ import annotations

from typing import Any, cast

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from madad import access
from madad.access.incidents import may_record_incidents, may_see_incidents
from madad.access.roles import Capability
from madad.accounts.models import User
from madad.api.errors import ApiError
from madad.incidents import selectors, services, verification
from madad.incidents.models import (
    Act,
    Incident,
    IncidentType,
    Involvement,
    Source,
)
from madad.incidents.schemas import (
    ActIn,
    GradeIn,
    IncidentFilters,
    IncidentIn,
    IncidentPatch,
    InvolvementIn,
    RelationIn,
    SourceIn,
    StepIn,
)
from madad.people.models import Person
from madad.places.models import Place

router = Router(tags=["incidents"])


# --- access helpers -------------------------------------------------------------------------
def _user(request: HttpRequest) -> User:
    """The caller, if incidents exist for them at all; 404 otherwise (partners)."""
    if not may_see_incidents(request.user):
        raise ApiError(404, "not_found", _("Not found."))
    return cast(User, request.user)


def _forbidden(message: str) -> ApiError:
    return ApiError(403, "forbidden", message)


def _incident(request: HttpRequest, incident_id: int) -> Incident:
    _user(request)
    return access.get_visible_or_404(request.user, Incident, request=request, pk=incident_id)


def _editable(request: HttpRequest, incident_id: int) -> Incident:
    incident = _incident(request, incident_id)
    if not access.can_change(request.user, incident):
        raise _forbidden(_("Your role cannot change incidents."))
    return incident


def _person(request: HttpRequest, person_id: int | None, field: str) -> Person | None:
    if person_id is None:
        return None
    person = access.visible_to(request.user, Person).filter(pk=person_id).first()
    if person is None:
        raise ApiError(
            422,
            "invalid",
            _("The request has errors."),
            {field: [_("No person with this record number.")]},
        )
    return person


def _place(place_id: int, field: str = "place_id") -> Place:
    place = Place.objects.filter(pk=place_id).first()
    if place is None:
        raise ApiError(
            422, "invalid", _("The request has errors."), {field: [_("No place with this number.")]}
        )
    return place


def _types(codes: list[str]) -> list[IncidentType]:
    found = {t.code: t for t in IncidentType.objects.filter(code__in=codes)}
    unknown = [c for c in codes if c not in found]
    if unknown:
        raise ApiError(
            422, "invalid", _("The request has errors."), {"types": [_("Unknown incident type.")]}
        )
    return [found[c] for c in dict.fromkeys(codes)]


def _refused(exc: verification.VerificationRefused) -> ApiError:
    return ApiError(403 if exc.code == "own_work" else 409, exc.code, exc.message)


def _stale(exc: services.StaleEdit) -> ApiError:
    return ApiError(409, "stale", exc.message)


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


def incident_out(request: HttpRequest, incident: Incident) -> dict[str, Any]:
    view = selectors.incident_detail(user=request.user, incident=incident, request=request)
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
                    "reason": s.reason,
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
@router.get("", summary="Incidents you may see, newest first")
def list_incidents(request: HttpRequest, filters: Query[IncidentFilters]) -> dict[str, Any]:
    user = _user(request)
    wanted: dict[str, Any] = filters.model_dump(
        exclude={"limit", "offset", "type", "district", "town", "place"}
    )
    if filters.type:
        wanted["type"] = IncidentType.objects.filter(code=filters.type).first()
        if wanted["type"] is None:
            raise ApiError(
                422,
                "invalid",
                _("The request has errors."),
                {"type": [_("Unknown incident type.")]},
            )
    for level in ("district", "town", "place"):
        if getattr(filters, level):
            wanted[level] = _place(getattr(filters, level), level)
    incidents = selectors.incident_list(user=user, filters=wanted)
    page = incidents[filters.offset : filters.offset + filters.limit]
    return {"count": incidents.count(), "items": [incident_summary(i) for i in page]}


@router.get("/types", summary="The incident-type vocabulary")
def list_types(request: HttpRequest) -> list[dict[str, Any]]:
    _user(request)
    return [
        {"code": t.code, "name": t.name, "name_ur": t.name_ur, "active": t.active}
        for t in access.visible_to(request.user, IncidentType)
    ]


@router.get("/{int:incident_id}", summary="One incident, with the fields your role may see")
def get_incident(request: HttpRequest, incident_id: int) -> dict[str, Any]:
    return incident_out(request, _incident(request, incident_id))


@router.post("", response={201: dict}, summary="Record an incident, with acts and sources")
def create_incident(request: HttpRequest, payload: IncidentIn) -> Status[dict[str, Any]]:
    _user(request)
    if not may_record_incidents(request.user):
        raise _forbidden(_("Your role cannot record incidents."))
    data = payload.model_dump(exclude={"place_id", "types", "acts", "sources"})
    acts = [_act_data(request, i, act) for i, act in enumerate(payload.acts)]
    sources = [_source_data(request, i, src) for i, src in enumerate(payload.sources)]
    incident = services.incident_create(
        organisation=request.user.organisation,  # type: ignore[union-attr]
        created_by=request.user,  # type: ignore[arg-type]
        place=_place(payload.place_id),
        types=_types(payload.types),
        acts=acts,
        sources=sources,
        **data,
    )
    return Status(201, incident_out(request, incident))


@router.patch("/{int:incident_id}", summary="Change an incident (send the version you read)")
def update_incident(
    request: HttpRequest, incident_id: int, payload: IncidentPatch
) -> dict[str, Any]:
    incident = _editable(request, incident_id)
    changes = payload.model_dump(exclude_unset=True)
    version = changes.pop("version")
    if "place_id" in changes:
        place_id = changes.pop("place_id")
        if place_id is None:
            raise ApiError(
                422,
                "invalid",
                _("The request has errors."),
                {"place_id": [_("This field is required.")]},
            )
        changes["place"] = _place(place_id)
    if "types" in changes:
        changes["types"] = _types(changes["types"] or [])
    for name in (
        "title",
        "start_date",
        "start_precision",
        "end_precision",
        "location_precision",
        "confidentiality",
        "description",
        "public_summary",
    ):
        if name in changes and changes[name] is None:
            if name in ("description", "public_summary"):
                changes[name] = ""
            else:
                raise ApiError(
                    422,
                    "invalid",
                    _("The request has errors."),
                    {name: [_("This field is required.")]},
                )
    try:
        incident = services.incident_update(
            incident=incident, updated_by=_user(request), expected_version=version, **changes
        )
    except services.StaleEdit as exc:
        raise _stale(exc) from None
    return incident_out(request, incident)


@router.post(
    "/{int:incident_id}/acts", response={201: dict}, summary="Record what happened to one victim"
)
def add_act(request: HttpRequest, incident_id: int, payload: ActIn) -> Status[dict[str, Any]]:
    incident = _editable(request, incident_id)
    act = services.act_add(
        incident=incident,
        added_by=request.user,  # type: ignore[arg-type]
        **_act_data(request, None, payload),
    )
    shown = access.reveal(
        request.user,
        act,
        request=request,  # type: ignore[arg-type]
        wanted=["consequences"],
        action="incident.act.consequences.viewed",
    )
    perpetrators: list[dict[str, Any]] | None = (
        [] if access.can(request.user, Capability.PERPETRATOR_VIEW) else None
    )
    return Status(201, _act_out(act, shown, perpetrators))


@router.post("/{int:incident_id}/sources", response={201: dict}, summary="Record a source")
def add_source(request: HttpRequest, incident_id: int, payload: SourceIn) -> Status[dict[str, Any]]:
    incident = _editable(request, incident_id)
    source = services.source_add(
        incident=incident,
        added_by=request.user,  # type: ignore[arg-type]
        **_source_data(request, None, payload),
    )
    return Status(201, _source_out(_shown_source(request, source)))


@router.post(
    "/{int:incident_id}/sources/{int:source_id}/grading", summary="Grade a source (Admiralty code)"
)
def grade_source(
    request: HttpRequest, incident_id: int, source_id: int, payload: GradeIn
) -> dict[str, Any]:
    incident = _editable(request, incident_id)
    source = access.get_visible_or_404(
        request.user, Source, request=request, pk=source_id, incident=incident
    )
    try:
        source = services.source_grade(
            source=source,
            graded_by=request.user,  # type: ignore[arg-type]
            reliability=payload.reliability.value,
            credibility=int(payload.credibility),
            expected_version=payload.version,
        )
    except services.StaleEdit as exc:
        raise _stale(exc) from None
    return _source_out(_shown_source(request, source))


@router.get(
    "/{int:incident_id}/acts/{int:act_id}/involvements",
    summary="Alleged perpetrators of an act (perpetrator.view only)",
)
def list_involvements(request: HttpRequest, incident_id: int, act_id: int) -> list[dict[str, Any]]:
    act = _perpetrator_act(request, incident_id, act_id)
    return [
        _involvement_out(_shown_involvement(request, i))
        for i in access.visible_to(request.user, Involvement).filter(act=act).order_by("id")
    ]


@router.post(
    "/{int:incident_id}/acts/{int:act_id}/involvements",
    response={201: dict},
    summary="Record an alleged perpetrator (perpetrator.view only)",
)
def add_involvement(
    request: HttpRequest, incident_id: int, act_id: int, payload: InvolvementIn
) -> Status[dict[str, Any]]:
    act = _perpetrator_act(request, incident_id, act_id)
    if not access.can_change(request.user, act.incident):
        raise _forbidden(_("Your role cannot change incidents."))
    involvement = services.involvement_add(
        act=act,
        added_by=request.user,  # type: ignore[arg-type]
        person=_person(request, payload.person_id, "person_id"),
        described_group=payload.described_group,
        degree=payload.degree.value,
        allegation_status=payload.allegation_status.value,
    )
    return Status(201, _involvement_out(_shown_involvement(request, involvement)))


@router.post(
    "/{int:incident_id}/relations", response={201: dict}, summary="Relate this incident to another"
)
def relate(request: HttpRequest, incident_id: int, payload: RelationIn) -> Status[dict[str, Any]]:
    incident = _editable(request, incident_id)
    other = access.visible_to(request.user, Incident).filter(pk=payload.other_id).first()
    if other is None:
        raise ApiError(
            422,
            "invalid",
            _("The request has errors."),
            {"other_id": [_("No incident with this number.")]},
        )
    relation = services.incident_relate(
        incident=incident, other=other, kind=payload.kind.value, related_by=request.user
    )  # type: ignore[arg-type]
    return Status(201, {"id": other.pk, "kind": relation.kind})


@router.post("/{int:incident_id}/submit", summary="Submit for review (reported → under review)")
def submit(request: HttpRequest, incident_id: int, payload: StepIn) -> dict[str, Any]:
    incident = _editable(request, incident_id)
    return _step(request, incident, "submit", payload)


@router.post("/{int:incident_id}/verify", summary="Verify (a second person, graded sources)")
def verify(request: HttpRequest, incident_id: int, payload: StepIn) -> dict[str, Any]:
    return _step(request, _verifiable(request, incident_id), "verify", payload)


@router.post("/{int:incident_id}/dispute", summary="Dispute, with a reason")
def dispute(request: HttpRequest, incident_id: int, payload: StepIn) -> dict[str, Any]:
    return _step(request, _verifiable(request, incident_id), "dispute", payload)


@router.post("/{int:incident_id}/reject", summary="Reject, with a reason")
def reject(request: HttpRequest, incident_id: int, payload: StepIn) -> dict[str, Any]:
    return _step(request, _verifiable(request, incident_id), "reject", payload)


# --- helpers --------------------------------------------------------------------------------
def _verifiable(request: HttpRequest, incident_id: int) -> Incident:
    incident = _incident(request, incident_id)
    if not access.can(request.user, Capability.INCIDENT_VERIFY):
        raise _forbidden(_("Your role cannot verify incidents."))
    return incident


def _step(request: HttpRequest, incident: Incident, action: str, payload: StepIn) -> dict[str, Any]:
    try:
        if action == "submit":
            verification.incident_submit(
                incident=incident, submitted_by=_user(request), expected_version=payload.version
            )
        else:
            step = {
                "verify": verification.incident_verify,
                "dispute": verification.incident_dispute,
                "reject": verification.incident_reject,
            }[action]
            step(
                incident=incident,
                verifier=_user(request),
                reason=payload.reason,
                expected_version=payload.version,
            )
    except services.StaleEdit as exc:
        raise _stale(exc) from None
    except verification.VerificationRefused as exc:
        raise _refused(exc) from None
    incident.refresh_from_db()
    return incident_out(request, incident)


def _perpetrator_act(request: HttpRequest, incident_id: int, act_id: int) -> Act:
    incident = _incident(request, incident_id)
    if not access.can(request.user, Capability.PERPETRATOR_VIEW):
        raise ApiError(404, "not_found", _("Not found."))
    return access.get_visible_or_404(
        request.user, Act, request=request, pk=act_id, incident=incident
    )


def _shown_involvement(request: HttpRequest, involvement: Involvement) -> dict[str, Any]:
    shown = access.reveal(
        request.user,
        involvement,
        request=request,  # type: ignore[arg-type]
        action="incident.perpetrator.viewed",
    )
    shown["involvement"] = involvement
    return shown


def _shown_source(request: HttpRequest, source: Source) -> dict[str, Any]:
    shown = access.reveal(
        request.user,
        source,
        request=request,  # type: ignore[arg-type]
        action="incident.source.viewed",
    )
    shown["source"] = source
    return shown


def _act_data(request: HttpRequest, index: int | None, act: ActIn) -> dict[str, Any]:
    field = f"acts.{index}.victim_id" if index is not None else "victim_id"
    data = act.model_dump(exclude={"victim_id", "new_victim"})
    data["act_type"] = act.act_type.value
    data["victim"] = _person(request, act.victim_id, field)
    data["new_victim"] = act.new_victim.model_dump() if act.new_victim else None
    return data


def _source_data(request: HttpRequest, index: int | None, source: SourceIn) -> dict[str, Any]:
    field = f"sources.{index}.person_id" if index is not None else "person_id"
    data = source.model_dump(exclude={"person_id"})
    data["kind"] = source.kind.value
    data["reliability"] = source.reliability.value if source.reliability else ""
    data["credibility"] = int(source.credibility) if source.credibility else None
    data["person"] = _person(request, source.person_id, field)
    return data
