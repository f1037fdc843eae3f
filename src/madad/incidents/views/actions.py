"""Small forms posted from an incident's page: verification steps, an alleged perpetrator,
a source's grading, a related incident. Each answers with the page again (errors shown there)
or a redirect to it."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from madad import access
from madad.access.roles import Capability
from madad.accounts.models import User
from madad.incidents import selectors, services, verification
from madad.incidents.forms import GradeForm, RelateForm, VerificationForm
from madad.incidents.models import Incident, Source
from madad.incidents.validation import messages_of
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


def _error(request: HttpRequest, message: str) -> None:
    messages.error(request, message)


@login_required
@require_POST
def verification_view(request: HttpRequest, incident_id: int) -> HttpResponse:
    incident = get_incident_for_user(request, incident_id)
    form = VerificationForm(request.POST)
    if not form.is_valid():
        raise Http404  # only a hand-made request gets here: the page always sends both
    action = form.cleaned_data["action"]
    allowed = (
        access.can_change(request.user, incident)
        if action == "submit"
        else access.can(request.user, Capability.INCIDENT_VERIFY)
    )
    if not allowed:
        raise Http404
    version, reason = form.cleaned_data["version"], form.cleaned_data["reason"]
    user = cast(User, request.user)
    try:
        if action == "submit":
            verification.incident_submit(
                incident=incident, submitted_by=user, expected_version=version
            )
        else:
            step = {
                "verify": verification.incident_verify,
                "dispute": verification.incident_dispute,
                "reject": verification.incident_reject,
            }[action]
            step(incident=incident, verifier=user, reason=reason, expected_version=version)
    except services.StaleEdit as stale:
        _error(request, stale.message)
    except verification.VerificationRefused as refused:
        _error(request, refused.message)
    except ValidationError as exc:
        _error(request, " ".join(m for ms in messages_of(exc).values() for m in ms))
    else:
        messages.success(request, str(_DONE[action]))
    return redirect("incidents:detail", incident.pk)


@login_required
@require_POST
def involvement_add_view(request: HttpRequest, incident_id: int) -> HttpResponse:
    incident = get_incident_for_user(request, incident_id)
    if not (
        access.can_change(request.user, incident)
        and access.can(request.user, Capability.PERPETRATOR_VIEW)
    ):
        raise Http404
    view = selectors.incident_detail(user=request.user, incident=incident, request=request)
    form = involvement_form(request, incident, view, request.POST)
    if form is None:
        raise Http404  # no act to attach it to
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.involvement_add(
                act=data["act"],
                added_by=request.user,  # type: ignore[arg-type]
                person=form.person,
                described_group=data["described_group"],
                degree=data["degree"],
                allegation_status=data["allegation_status"],
                expected_version=data["version"],
            )
        except services.StaleEdit as stale:
            form.add_error(None, stale.message)
        except ValidationError as exc:
            put_errors(exc, form)
        else:
            messages.success(request, _("The alleged perpetrator was recorded."))
            return redirect("incidents:detail", incident.pk)
    return render(
        request,
        "incidents/incident_detail.html",
        detail_context(request, incident, view, perpetrator_form=form),
        status=422,
    )


@login_required
@require_POST
def source_grade_view(request: HttpRequest, incident_id: int, source_id: int) -> HttpResponse:
    incident = get_incident_for_user(request, incident_id)
    source = access.get_visible_or_404(
        request.user, Source, request=request, pk=source_id, incident=incident
    )
    if not access.can_change(request.user, source):
        raise Http404
    form = GradeForm(request.POST)
    if not form.is_valid():
        _error(request, _("Choose a reliability and a credibility."))
        return redirect("incidents:detail", incident.pk)
    try:
        services.source_grade(
            source=source,
            graded_by=request.user,  # type: ignore[arg-type]
            reliability=form.cleaned_data["reliability"],
            credibility=form.cleaned_data["credibility"],
            expected_version=form.cleaned_data["version"],
        )
    except services.StaleEdit as stale:
        _error(request, stale.message)
    except ValidationError as exc:
        _error(request, " ".join(m for ms in messages_of(exc).values() for m in ms))
    else:
        messages.success(request, _("The source is graded."))
    return redirect("incidents:detail", incident.pk)


@login_required
@require_POST
def relate_view(request: HttpRequest, incident_id: int) -> HttpResponse:
    incident = get_incident_for_user(request, incident_id)
    if not access.can_change(request.user, incident):
        raise Http404
    form = RelateForm(request.POST)
    if not form.is_valid():
        _error(request, _("Give the number of the related incident and the kind of link."))
        return redirect("incidents:detail", incident.pk)
    other = access.visible_to(request.user, Incident).filter(pk=form.cleaned_data["other"]).first()
    if other is None:
        _error(request, _("No incident with this number."))
        return redirect("incidents:detail", incident.pk)
    try:
        services.incident_relate(
            incident=incident, other=other, kind=form.cleaned_data["kind"], related_by=request.user
        )  # type: ignore[arg-type]
    except ValidationError as exc:
        _error(request, " ".join(m for ms in messages_of(exc).values() for m in ms))
    else:
        messages.success(request, _("The incidents are now linked."))
    return redirect("incidents:detail", incident.pk)
