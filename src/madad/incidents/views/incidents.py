"""Staff pages: the incident list, one incident, and recording or editing one."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from madad import access
from madad.access.incidents import may_record_incidents, may_see_incidents
from madad.access.roles import Capability
from madad.accounts.models import User
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
)
from madad.incidents.models import Incident
from madad.incidents.validation import messages_of
from madad.linkage import checks
from madad.linkage.views import DUPLICATES_CHECKED, incident_check_data

PAGE_SIZE = 25
# Sections other apps add to an incident's page, shown once their template exists.
SECTION_TEMPLATES = (
    "testimonies/_incident_testimonies.html",
    "evidence/_incident_evidence.html",
)
_ROWS = {"acts": ActFormSet, "sources": SourceFormSet}


def get_incident_for_user(request: HttpRequest, incident_id: int) -> Incident:
    """The incident, if this user may see it; 404 otherwise (audited when it exists)."""
    return access.get_visible_or_404(request.user, Incident, request=request, pk=incident_id)


def sections() -> list[str]:
    found = []
    for name in SECTION_TEMPLATES:
        try:
            get_template(name)
        except TemplateDoesNotExist:
            continue
        found.append(name)
    return found


@login_required
def incident_list_view(request: HttpRequest) -> HttpResponse:
    if not may_see_incidents(request.user):
        raise Http404
    form = IncidentFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    incidents = selectors.incident_list(user=request.user, filters=filters)
    page = Paginator(incidents, PAGE_SIZE).get_page(request.GET.get("page"))
    template = (
        "incidents/_incident_rows.html"
        if getattr(request, "htmx", False)
        else "incidents/incident_list.html"
    )
    return render(
        request,
        template,
        {
            "form": form,
            "page": page,
            "can_record": may_record_incidents(request.user),
            "can_export": access.can_export(request.user, "incidents"),
        },
    )


@login_required
def incident_detail_view(request: HttpRequest, incident_id: int) -> HttpResponse:
    incident = get_incident_for_user(request, incident_id)
    view = selectors.incident_detail(user=request.user, incident=incident, request=request)
    return render(
        request, "incidents/incident_detail.html", detail_context(request, incident, view)
    )


def involvement_form(
    request: HttpRequest, incident: Incident, view: selectors.IncidentView, data: Any = None
) -> InvolvementForm | None:
    """The form for an alleged perpetrator, for those who may record and see them."""
    if not (access.can_change(request.user, incident) and view.may_see_perpetrators and view.acts):
        return None
    return InvolvementForm(
        data,
        user=cast(User, request.user),
        incident=incident,
        act_labels={a.act.pk: _act_label(a, view.names) for a in view.acts},
        initial={"version": incident.version},
        auto_id="id_perp_%s",
    )


def detail_context(
    request: HttpRequest,
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
        "sections": sections(),
    }


def _act_label(act_view: selectors.ActView, names: dict[int, dict[str, str]]) -> str:
    act = act_view.act
    name = names.get(act.victim_id, {}).get("latin") or _("Person %(id)s") % {"id": act.victim_id}
    return f"{name}: {act.get_act_type_display()}"


@login_required
def incident_create_view(request: HttpRequest) -> HttpResponse:
    if not may_record_incidents(request.user):
        raise Http404
    data, adding = _with_added_row(request)
    form = IncidentForm(data)
    acts: Any = ActFormSet(data, prefix="acts", form_kwargs={"user": request.user})
    sources: Any = SourceFormSet(data, prefix="sources")
    ready = data is not None and not adding and _all_valid(form, acts, sources)
    duplicates = []
    if ready and request.POST.get(DUPLICATES_CHECKED) != "1":
        # shown before saving; saved once the user says it is another event
        duplicates = checks.incident_candidates(
            organisation_id=request.user.organisation_id,  # type: ignore[union-attr]
            data=incident_check_data(request.POST),
        )
    if ready and not duplicates:
        try:
            incident = services.incident_create(
                organisation=request.user.organisation,  # type: ignore[union-attr]
                created_by=request.user,  # type: ignore[arg-type]
                **form.service_data(),
                acts=[f.service_data() for f in acts.changed_forms()],
                sources=[f.service_data() for f in sources.changed_forms()],
            )
        except ValidationError as exc:
            put_errors(exc, form, acts, sources)
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
        status=409 if duplicates else 200,
    )


@login_required
def incident_edit_view(request: HttpRequest, incident_id: int) -> HttpResponse:
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
    if data is not None and not adding and _all_valid(form, acts, sources):
        changes = {name: form.cleaned_data[name] for name in form.changed_data if name != "version"}
        try:
            with transaction.atomic():
                services.incident_update(
                    incident=incident,
                    updated_by=request.user,  # type: ignore[arg-type]
                    expected_version=form.cleaned_data["version"] or 0,
                    acts=[f.service_data() for f in acts.changed_forms()],
                    sources=[f.service_data() for f in sources.changed_forms()],
                    **changes,
                )
        except services.StaleEdit as stale:
            form.add_error(None, stale.message)
        except ValidationError as exc:
            put_errors(exc, form, acts, sources)
        else:
            messages.success(request, _("Your changes were saved."))
            return redirect("incidents:detail", incident.pk)
    return render(
        request,
        "incidents/incident_form.html",
        {
            "form": form,
            "acts": acts,
            "sources": sources,
            "quiet": adding,
            "incident": incident,
        },
    )


def _initial(request: HttpRequest, incident: Incident, *, shown: bool) -> dict[str, Any]:
    if shown:
        description = access.reveal(
            request.user,
            incident,
            request=request,  # type: ignore[arg-type]
            wanted=["description"],
            action="incident.description.viewed",
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
def form_row_view(request: HttpRequest, kind: str) -> HttpResponse:
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


def _with_added_row(request: HttpRequest) -> tuple[QueryDict | None, bool]:
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


def put_errors(exc: ValidationError, form: Any, acts: Any = None, sources: Any = None) -> None:
    """Puts a service's errors ("title", "acts.0.age", "sources.1.url") on the form fields."""
    rows = {
        "acts": acts.changed_forms() if acts is not None else [],
        "sources": sources.changed_forms() if sources is not None else [],
    }
    aliases = {"victim": "victim_id", "new_victim": "given_name", "person": "person_id"}
    for key, found in messages_of(exc).items():
        parts = key.split(".")
        target, name = form, parts[-1]
        if (
            parts[0] in rows
            and len(parts) > 1
            and parts[1].isdigit()
            and int(parts[1]) < len(rows[parts[0]])
        ):
            target = rows[parts[0]][int(parts[1])]
            name = parts[-1] if len(parts) > 2 else "__all__"
        name = aliases.get(name, name)
        for message in found:
            target.add_error(name if name in target.fields else None, message)
