"""Small forms posted from an incident's page: verification steps, an alleged perpetrator,
a source's grading, a related incident. Each answers with a redirect to the page, or with the
page again, its error shown and the refusal's status (422, 403, 409)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from madad import access
from madad.access.roles import Capability
from madad.core.forms import INVALID_FORM_STATUS
from madad.core.http import AuthedRequest
from madad.core.refusals import Invalid, Refused
from madad.incidents import selectors, services, verification
from madad.incidents.forms import GradeForm, InvolvementForm, RelateForm, VerificationForm
from madad.incidents.models import Incident, Source
from madad.incidents.views.incidents import (
    detail_context,
    get_incident_for_user,
    involvement_form,
    put_errors,
)

_DONE = {
    "submit": gettext_lazy("The incident was submitted for review."),
    "verify": gettext_lazy("The incident is verified."),
    "dispute": gettext_lazy("The incident is marked as disputed."),
    "reject": gettext_lazy("The incident is rejected."),
}
_REVIEW = {
    "verify": verification.incident_verify,
    "dispute": verification.incident_dispute,
    "reject": verification.incident_reject,
}


def _page(
    request: AuthedRequest,
    incident: Incident,
    status: int,
    perpetrator_form: InvolvementForm | None = None,
) -> HttpResponse:
    """The incident's page again, with what went wrong."""
    incident.refresh_from_db()
    view = selectors.incident_detail(user=request.user, incident=incident)
    return render(
        request,
        "incidents/incident_detail.html",
        detail_context(request, incident, view, perpetrator_form=perpetrator_form),
        status=status,
    )


def _refused(request: AuthedRequest, incident: Incident, refusal: Refused) -> HttpResponse:
    messages.error(
        request, " ".join(m for ms in refusal.fields.values() for m in ms) or refusal.message
    )
    return _page(request, incident, refusal.status)


@login_required
@require_POST
def verification_view(request: AuthedRequest, incident_id: int) -> HttpResponse:
    incident = get_incident_for_user(request, incident_id)
    # who may is asked first, by the step named: writers submit, verifiers do the rest
    allowed = (
        access.can_change(request.user, incident)
        if request.POST.get("action") == "submit"
        else access.can(request.user, Capability.INCIDENT_VERIFY)
    )
    if not allowed:
        raise Http404
    form = VerificationForm(request.POST)
    if not form.is_valid():  # only a hand-made request gets here: the page always sends both
        found = {name: [str(m) for m in texts] for name, texts in form.errors.items()}
        return _refused(request, incident, Invalid(fields=found))
    action = form.cleaned_data["action"]
    version, reason = form.cleaned_data["version"], form.cleaned_data["reason"]
    try:
        if action == "submit":
            verification.incident_submit(
                incident=incident, submitted_by=request.user, expected_version=version
            )
        else:
            _REVIEW[action](
                incident=incident, verifier=request.user, reason=reason, expected_version=version
            )
    except Refused as refusal:
        return _refused(request, incident, refusal)
    messages.success(request, str(_DONE[action]))
    return redirect("incidents:detail", incident.pk)


@login_required
@require_POST
def involvement_add_view(request: AuthedRequest, incident_id: int) -> HttpResponse:
    incident = get_incident_for_user(request, incident_id)
    if not (
        access.can_change(request.user, incident)
        and access.can(request.user, Capability.PERPETRATOR_VIEW)
    ):
        raise Http404
    view = selectors.incident_detail(user=request.user, incident=incident)
    form = involvement_form(request, incident, view, request.POST)
    if form is None:
        raise Http404  # no act to attach it to
    status = INVALID_FORM_STATUS
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.involvement_add(
                act=data["act"],
                added_by=request.user,
                person=form.person,
                described_group=data["described_group"],
                degree=data["degree"],
                allegation_status=data["allegation_status"],
                expected_version=data["version"],
            )
        except Refused as refusal:
            status = put_errors(refusal, form)
        else:
            messages.success(request, _("The alleged perpetrator was recorded."))
            return redirect("incidents:detail", incident.pk)
    return _page(request, incident, status, perpetrator_form=form)


@login_required
@require_POST
def source_grade_view(request: AuthedRequest, incident_id: int, source_id: int) -> HttpResponse:
    incident = get_incident_for_user(request, incident_id)
    source = access.get_visible_or_404(request.user, Source, pk=source_id, incident=incident)
    if not access.can_change(request.user, source):
        raise Http404
    form = GradeForm(request.POST)
    try:
        if not form.is_valid():
            raise Invalid(_("Choose a reliability and a credibility."))
        services.source_grade(
            source=source,
            graded_by=request.user,
            reliability=form.cleaned_data["reliability"],
            credibility=form.cleaned_data["credibility"],
            expected_version=form.cleaned_data["version"],
        )
    except Refused as refusal:
        return _refused(request, incident, refusal)
    messages.success(request, _("The source is graded."))
    return redirect("incidents:detail", incident.pk)


@login_required
@require_POST
def relate_view(request: AuthedRequest, incident_id: int) -> HttpResponse:
    incident = get_incident_for_user(request, incident_id)
    if not access.can_change(request.user, incident):
        raise Http404
    form = RelateForm(request.POST)
    try:
        if not form.is_valid():
            raise Invalid(_("Give the number of the related incident and the kind of link."))
        other = (
            access.visible_to(request.user, Incident).filter(pk=form.cleaned_data["other"]).first()
        )
        if other is None:
            raise Invalid(_("No incident with this number."))
        services.incident_relate(
            incident=incident, other=other, kind=form.cleaned_data["kind"], related_by=request.user
        )
    except Refused as refusal:
        return _refused(request, incident, refusal)
    messages.success(request, _("The incidents are now linked."))
    return redirect("incidents:detail", incident.pk)
