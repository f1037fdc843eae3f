"""Staff pages: the incident list, one incident, and recording or editing one."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from madad import access
from madad.access.incidents import may_record_incidents, may_see_incidents
from madad.access.roles import Capability
from madad.accounts.models import Organisation
from madad.core.forms import INVALID_FORM_STATUS
from madad.core.http import AuthedRequest
from madad.core.refusals import WHOLE, Refused
from madad.incidents import selectors, services
from madad.incidents.forms import (
    ActFormSet,
    GradeForm,
    IncidentFilterForm,
    IncidentForm,
    InvolvementForm,
    RelateForm,
    SourceFormSet,
    VerificationForm,
    filters_from_query,
)
from madad.incidents.models import Incident
from madad.linkage import checks
from madad.linkage.entry_check import DUPLICATES_CHECKED, incident_check_data

PAGE_SIZE = 25
# What other apps show on an incident's page: its testimonies and its evidence.
SECTIONS = (
    "testimonies/_incident_testimonies.html",
    "evidence/_incident_evidence.html",
)
_ROWS = {"acts": ActFormSet, "sources": SourceFormSet}


def get_incident_for_user(request: AuthedRequest, incident_id: int) -> Incident:
    """The incident, if this user may see it; 404 otherwise (audited when it exists)."""
    return access.get_visible_or_404(request.user, Incident, pk=incident_id)


def _organisation(request: AuthedRequest) -> Organisation:
    organisation = request.user.organisation
    if organisation is None:  # may_record_incidents has checked it; a type needs it again
        raise Http404
    return organisation


@login_required
@require_http_methods(["GET", "POST"])
def incident_list_view(request: AuthedRequest) -> HttpResponse:
    """The list, filtered by the query string; searched by words only through the POSTed
    form, so that words that may name people never reach a URL."""
    if not may_see_incidents(request.user):
        raise Http404
    searched = request.method == "POST"
    form = IncidentFilterForm(request.POST) if searched else filters_from_query(request.GET)
    status = 200
    filters: dict[str, Any] = {}
    if form.is_bound:
        if form.is_valid():
            filters = form.cleaned_data
        else:
            status = INVALID_FORM_STATUS
    incidents = selectors.incident_list(user=request.user, filters=filters)
    page_number = (request.POST if searched else request.GET).get("page")
    page = Paginator(incidents, PAGE_SIZE).get_page(page_number)
    template = (
        "incidents/_incident_rows.html"
        if getattr(request, "htmx", False)
        else "incidents/incident_list.html"
    )
    context = {
        "form": form,
        "page": page,
        "searched": searched,
        "can_record": may_record_incidents(request.user),
        "can_export": access.can_export(request.user, "incidents"),
    }
    return render(request, template, context, status=status)


@login_required
def incident_detail_view(request: AuthedRequest, incident_id: int) -> HttpResponse:
    incident = get_incident_for_user(request, incident_id)
    view = selectors.incident_detail(user=request.user, incident=incident)
    return render(
        request, "incidents/incident_detail.html", detail_context(request, incident, view)
    )


def involvement_form(
    request: AuthedRequest, incident: Incident, view: selectors.IncidentView, data: Any = None
) -> InvolvementForm | None:
    """The form for an alleged perpetrator, for those who may record and see them."""
    if not (access.can_change(request.user, incident) and view.may_see_perpetrators and view.acts):
        return None
    return InvolvementForm(
        data,
        user=request.user,
        incident=incident,
        act_labels={a.act.pk: _act_label(a, view.names) for a in view.acts},
        initial={"version": incident.version},
        auto_id="id_perp_%s",
    )


def detail_context(
    request: AuthedRequest,
    incident: Incident,
    view: selectors.IncidentView,
    perpetrator_form: InvolvementForm | None = None,
) -> dict[str, Any]:
    user = request.user
    can_edit = access.can_change(user, incident)
    can_verify = access.can(user, Capability.INCIDENT_VERIFY)
    own_work = user.pk in (incident.created_by_id, incident.updated_by_id)
    status = incident.status
    return {
        "incident": incident,
        "view": view,
        "can_edit": can_edit,
        "may_submit": can_edit
        and status
        in (Incident.Status.REPORTED, Incident.Status.DISPUTED, Incident.Status.REJECTED),
        "may_verify": can_verify and status == Incident.Status.UNDER_REVIEW and not own_work,
        "own_work_blocks": can_verify and status == Incident.Status.UNDER_REVIEW and own_work,
        "verification_form": VerificationForm(initial={"version": incident.version}),
        "involvement_form": perpetrator_form or involvement_form(request, incident, view),
        "grade_form_class": GradeForm,
        "relate_form": RelateForm(auto_id="id_relate_%s") if can_edit else None,
        "sections": SECTIONS,
    }


def _act_label(act_view: selectors.ActView, names: dict[int, dict[str, str]]) -> str:
    act = act_view.act
    name = names.get(act.victim_id, {}).get("latin") or _("Person %(id)s") % {"id": act.victim_id}
    return f"{name}: {act.get_act_type_display()}"


@login_required
@require_http_methods(["GET", "POST"])
def incident_create_view(request: AuthedRequest) -> HttpResponse:
    if not may_record_incidents(request.user):
        raise Http404
    data, adding = _with_added_row(request)
    form = IncidentForm(data)
    acts: Any = ActFormSet(data, prefix="acts", form_kwargs={"user": request.user})
    sources: Any = SourceFormSet(data, prefix="sources")
    ready = data is not None and not adding and _all_valid(form, acts, sources)
    status = INVALID_FORM_STATUS if data is not None and not adding and not ready else 200
    duplicates = []
    if ready and request.POST.get(DUPLICATES_CHECKED) != "1":
        # shown before saving; saved once the user says it is another event
        duplicates = checks.incident_candidates(
            organisation_id=request.user.organisation_id,
            data=incident_check_data(request.POST),
        )
        status = 409 if duplicates else status
    if ready and not duplicates:
        try:
            incident = services.incident_create(
                organisation=_organisation(request),
                created_by=request.user,
                **form.service_data(),
                acts=[f.service_data() for f in acts.changed_forms()],
                sources=[f.service_data() for f in sources.changed_forms()],
            )
        except Refused as refusal:
            status = put_errors(refusal, form, acts, sources)
        else:
            messages.success(request, _("The incident was recorded as reported."))
            return redirect("incidents:detail", incident.pk)
    return render(
        request,
        "incidents/incident_form.html",
        {
            "form": form,
            "acts": acts,
            "sources": sources,
            "quiet": adding,
            "incident": None,
            "duplicates": duplicates,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def incident_edit_view(request: AuthedRequest, incident_id: int) -> HttpResponse:
    incident = get_incident_for_user(request, incident_id)
    if not access.can_change(request.user, incident):
        raise Http404
    data, adding = _with_added_row(request)
    # On a save the stored values are only compared with the posted ones (to change only
    # what was changed), not shown: no audited read then.
    form = IncidentForm(
        data, initial=_initial(request, incident, shown=data is None), incident=incident
    )
    acts: Any = ActFormSet(data, prefix="acts", form_kwargs={"user": request.user})
    sources: Any = SourceFormSet(data, prefix="sources")
    if data is None:
        acts.extra = sources.extra = 0
    ready = data is not None and not adding and _all_valid(form, acts, sources)
    status = INVALID_FORM_STATUS if data is not None and not adding and not ready else 200
    if ready:
        changes = {name: form.cleaned_data[name] for name in form.changed_data if name != "version"}
        try:
            with transaction.atomic():
                services.incident_update(
                    incident=incident,
                    updated_by=request.user,
                    expected_version=form.cleaned_data["version"] or 0,
                    acts=[f.service_data() for f in acts.changed_forms()],
                    sources=[f.service_data() for f in sources.changed_forms()],
                    **changes,
                )
        except Refused as refusal:
            status = put_errors(refusal, form, acts, sources)
        else:
            messages.success(request, _("Your changes were saved."))
            return redirect("incidents:detail", incident.pk)
    return render(
        request,
        "incidents/incident_form.html",
        {"form": form, "acts": acts, "sources": sources, "quiet": adding, "incident": incident},
        status=status,
    )


def _initial(request: AuthedRequest, incident: Incident, *, shown: bool) -> dict[str, Any]:
    if shown:
        description = access.reveal(
            request.user, incident, wanted=["description"], action="incident.description.viewed"
        ).get("description", "")
    elif "description" in access.readable_fields(request.user, Incident):
        description = incident.description
    else:
        description = ""
    return {
        "title": incident.title,
        "start_date": incident.start_date,
        "start_precision": incident.start_precision,
        "end_date": incident.end_date,
        "end_precision": incident.end_precision,
        "place": incident.place_id,
        "location_precision": incident.location_precision,
        "latitude": incident.latitude,
        "longitude": incident.longitude,
        "types": list(incident.types.all()),
        "public_summary": incident.public_summary,
        "description": description,
        "confidentiality": incident.confidentiality,
        "version": incident.version,
    }


@login_required
@require_GET
def form_row_view(request: AuthedRequest, kind: str) -> HttpResponse:
    """One more empty victim or source row for the form (htmx), and the formset's new count."""
    if kind not in _ROWS or not may_record_incidents(request.user):
        raise Http404
    try:
        index = max(0, min(int(request.GET.get(f"{kind}-TOTAL_FORMS", "0")), 49))
    except ValueError:
        index = 0
    formset: Any = _ROWS[kind](prefix=kind, form_kwargs={"user": request.user})
    row = formset._construct_form(index, **formset.get_form_kwargs(index))
    return render(
        request,
        f"incidents/_{kind[:-1]}_row.html",
        {"row": row, "index": index, "kind": kind, "total": index + 1, "oob": True},
    )


def _with_added_row(request: AuthedRequest) -> tuple[QueryDict | None, bool]:
    """The posted data, with one more row when the user asked for one without script."""
    if request.method != "POST":
        return None, False
    kind = request.POST.get("add_row")
    if kind not in _ROWS:
        return request.POST, False
    data = request.POST.copy()
    key = f"{kind}-TOTAL_FORMS"
    try:
        data[key] = str(min(int(data.get(key, "0")) + 1, 50))
    except ValueError:
        data[key] = "1"
    return data, True


def _all_valid(*forms: Any) -> bool:
    return all([f.is_valid() for f in forms])  # every form validated, for all the messages


def put_errors(refusal: Refused, form: Any, acts: Any = None, sources: Any = None) -> int:
    """Puts a service's refusal ("title", "acts.0.age", "sources.1.url") on the form fields
    and rows; returns the status to answer with."""
    rows = {
        "acts": acts.changed_forms() if acts is not None else [],
        "sources": sources.changed_forms() if sources is not None else [],
    }
    aliases = {"victim": "victim_id", "new_victim": "given_name", "person": "person_id"}
    for key, found in (refusal.fields or {WHOLE: [refusal.message]}).items():
        target, name = _target(form, rows, key)
        name = aliases.get(name, name)
        for message in found:
            target.add_error(name if name in target.fields else None, message)
    return refusal.status


def _target(form: Any, rows: dict[str, list[Any]], key: str) -> tuple[Any, str]:
    """The form or row a key of a refusal belongs to, and the field's name there."""
    parts = key.split(".")
    kind, index = parts[0], parts[1] if len(parts) > 1 else ""
    if kind in rows and index.isdigit() and int(index) < len(rows[kind]):
        return rows[kind][int(index)], parts[-1] if len(parts) > 2 else WHOLE
    return form, parts[-1]
