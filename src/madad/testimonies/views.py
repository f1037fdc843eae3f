"""Staff pages for testimonies and consent: a person's testimonies and consent, an incident's
testimonies, one testimony with its transcript, recording a testimony, recording consent."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from madad import access
from madad.access.roles import Capability
from madad.core.forms import INVALID_FORM_STATUS, form_errors
from madad.core.http import AuthedRequest
from madad.core.refusals import Refused, invalid
from madad.evidence.selectors import evidence_list
from madad.incidents.models import Incident
from madad.people.models import Person
from madad.sharing.selectors import grants_including
from madad.testimonies import selectors, services
from madad.testimonies.forms import ConsentForm, TestimonyForm
from madad.testimonies.models import Testimony


def _may_read_consent(user: Any) -> bool:
    return access.can(user, Capability.TESTIMONY_VIEW) or access.can(
        user, Capability.CONSENT_RECORD
    )


def _person_for_testimonies(request: AuthedRequest, person_id: int) -> Person:
    person = access.get_visible_or_404(request.user, Person, pk=person_id)
    if not _may_read_consent(request.user):
        raise Http404
    return person


def _testimony_for_user(request: AuthedRequest, testimony_id: int) -> Testimony:
    return access.get_visible_or_404(request.user, Testimony, pk=testimony_id)


def _consent_context(
    request: AuthedRequest,
    person: Person,
    testimony: Testimony | None,
    form: ConsentForm | None = None,
) -> dict[str, Any]:
    user = request.user
    may_record = access.can(user, Capability.CONSENT_RECORD)
    return {
        "consent_states": selectors.consent_states(user=user, person=person, testimony=testimony),
        "consent_history": selectors.consent_history(user=user, person=person, testimony=testimony)[
            :100
        ],
        "consent_form": (form or ConsentForm()) if may_record else None,
        "consent_action": (
            reverse("testimonies:testimony_consent", args=[testimony.pk])
            if testimony
            else reverse("testimonies:person_consent", args=[person.pk])
        ),
    }


@login_required
def person_testimonies(request: AuthedRequest, person_id: int) -> HttpResponse:
    person = _person_for_testimonies(request, person_id)
    page = Paginator(selectors.testimony_list(user=request.user, person=person), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "testimonies/person_testimonies.html",
        {
            "person": person,
            "page": page,
            "may_view_testimonies": access.can(request.user, Capability.TESTIMONY_VIEW),
            "can_record": access.can_change(
                request.user, Testimony(organisation_id=person.organisation_id)
            ),
            **_consent_context(request, person, None),
        },
    )


@login_required
def incident_testimonies(request: AuthedRequest, incident_id: int) -> HttpResponse:
    incident = access.get_visible_or_404(request.user, Incident, pk=incident_id)
    if not access.can(request.user, Capability.TESTIMONY_VIEW):
        raise Http404
    page = Paginator(selectors.testimony_list(user=request.user, incident=incident), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request, "testimonies/incident_testimonies.html", {"incident": incident, "page": page}
    )


@login_required
def testimony_record(request: AuthedRequest, person_id: int) -> HttpResponse:
    person = access.get_visible_or_404(request.user, Person, pk=person_id)
    if not access.can_change(request.user, Testimony(organisation_id=person.organisation_id)):
        raise Http404
    if request.method != "POST":
        initial = {}
        if request.GET.get("incident", "").isdigit():
            initial["incident"] = int(request.GET["incident"])
        return render(
            request,
            "testimonies/testimony_form.html",
            {"person": person, "form": TestimonyForm(initial=initial)},
        )
    form = TestimonyForm(request.POST)
    status = INVALID_FORM_STATUS
    if form.is_valid():
        try:
            testimony = services.testimony_record(
                person=person,
                recorded_by=request.user,
                incident=_incident_named(request, form.cleaned_data["incident"]),
                date=form.cleaned_data["date"],
                language=form.cleaned_data["language"],
                transcript=form.cleaned_data["transcript"],
            )
        except Refused as refusal:
            status = form_errors(form, refusal)
        else:
            messages.success(request, _("The testimony was recorded."))
            return redirect("testimonies:detail", testimony.pk)
    return render(
        request, "testimonies/testimony_form.html", {"person": person, "form": form}, status=status
    )


def _incident_named(request: AuthedRequest, incident_id: int | None) -> Incident | None:
    """The incident a testimony form names, if any; a refusal of the field if the user may
    not see it."""
    if not incident_id:
        return None
    incident = access.visible_to(request.user, Incident).filter(pk=incident_id).first()
    if incident is None:
        raise invalid("incident", _("There is no incident with this number that you may see."))
    return incident


@login_required
def testimony_detail(request: AuthedRequest, testimony_id: int) -> HttpResponse:
    testimony = _testimony_for_user(request, testimony_id)
    shown = access.reveal(
        request.user, testimony, wanted=["transcript"], action="testimony.transcript.viewed"
    )
    return render(
        request,
        "testimonies/testimony_detail.html",
        {
            "testimony": testimony,
            "shown": shown,
            "attachments": evidence_list(user=request.user, testimony=testimony),
            "may_see_evidence": access.can(request.user, Capability.EVIDENCE_VIEW),
            "can_attach": access.can(request.user, Capability.EVIDENCE_UPLOAD)
            and testimony.incident_id is not None,
            "shared_in": grants_including(user=request.user, testimony=testimony),
            **_consent_context(request, testimony.person, testimony),
        },
    )


def _record_consent(
    request: AuthedRequest,
    person: Person,
    testimony: Testimony | None,
    back: str,
    back_args: list[Any],
) -> HttpResponse:
    if not access.can(request.user, Capability.CONSENT_RECORD):
        raise Http404
    form = ConsentForm(request.POST)
    status = INVALID_FORM_STATUS
    if form.is_valid():
        try:
            services.consent_decide(
                decision=form.cleaned_data["decision"],
                person=None if testimony else person,
                testimony=testimony,
                purpose=form.cleaned_data["purpose"],
                recipient=form.cleaned_data["recipient"],
                date=form.cleaned_data["date"],
                recorded_by=request.user,
            )
        except Refused as refusal:
            status = form_errors(form, refusal)
        else:
            messages.success(request, _("The consent decision was recorded."))
            return redirect(back, *back_args)
    context = _consent_context(request, person, testimony, form)
    return render(
        request,
        "testimonies/consent_refused.html",
        {"person": person, "testimony": testimony, **context},
        status=status,
    )


@require_POST
@login_required
def person_consent(request: AuthedRequest, person_id: int) -> HttpResponse:
    person = _person_for_testimonies(request, person_id)
    return _record_consent(request, person, None, "testimonies:person", [person.pk])


@require_POST
@login_required
def testimony_consent(request: AuthedRequest, testimony_id: int) -> HttpResponse:
    testimony = _testimony_for_user(request, testimony_id)
    return _record_consent(
        request, testimony.person, testimony, "testimonies:detail", [testimony.pk]
    )
