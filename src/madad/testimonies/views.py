"""Staff pages for testimonies and consent: a person's testimonies and consent, an incident's
testimonies, one testimony with its transcript, recording a testimony, recording consent."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from madad import access
from madad.access.roles import Capability
from madad.evidence.selectors import evidence_list
from madad.incidents.models import Incident
from madad.people.models import Person
from madad.testimonies import selectors, services
from madad.testimonies.forms import ConsentForm, TestimonyForm
from madad.testimonies.models import ConsentDecision, Testimony


def _may_read_consent(user: Any) -> bool:
    return access.can(user, Capability.TESTIMONY_VIEW) or access.can(
        user, Capability.CONSENT_RECORD
    )


def _person_for_testimonies(request: HttpRequest, person_id: int) -> Person:
    person = access.get_visible_or_404(request.user, Person, request=request, pk=person_id)
    if not _may_read_consent(request.user):
        raise Http404
    return person


def _testimony_for_user(request: HttpRequest, testimony_id: int) -> Testimony:
    return access.get_visible_or_404(request.user, Testimony, request=request, pk=testimony_id)


def _add_errors(form: Any, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)


def _consent_context(
    request: HttpRequest,
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
def person_testimonies(request: HttpRequest, person_id: int) -> HttpResponse:
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
def incident_testimonies(request: HttpRequest, incident_id: int) -> HttpResponse:
    incident = access.get_visible_or_404(request.user, Incident, request=request, pk=incident_id)
    if not access.can(request.user, Capability.TESTIMONY_VIEW):
        raise Http404
    page = Paginator(selectors.testimony_list(user=request.user, incident=incident), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request, "testimonies/incident_testimonies.html", {"incident": incident, "page": page}
    )


@login_required
def testimony_record(request: HttpRequest, person_id: int) -> HttpResponse:
    person = access.get_visible_or_404(request.user, Person, request=request, pk=person_id)
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
    if form.is_valid():
        incident = None
        if form.cleaned_data["incident"]:
            incident = (
                access.visible_to(request.user, Incident)
                .filter(pk=form.cleaned_data["incident"])
                .first()
            )
            if incident is None:
                form.add_error(
                    "incident", _("There is no incident with this number that you may see.")
                )
        if form.is_valid():
            try:
                testimony = services.testimony_record(
                    person=person,
                    recorded_by=request.user,  # type: ignore[arg-type]
                    incident=incident,
                    date=form.cleaned_data["date"],
                    language=form.cleaned_data["language"],
                    transcript=form.cleaned_data["transcript"],
                    request=request,
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("The testimony was recorded."))
                return redirect("testimonies:detail", testimony.pk)
    return render(
        request, "testimonies/testimony_form.html", {"person": person, "form": form}, status=400
    )


@login_required
def testimony_detail(request: HttpRequest, testimony_id: int) -> HttpResponse:
    testimony = _testimony_for_user(request, testimony_id)
    shown = access.reveal(
        request.user,
        testimony,
        request=request,  # type: ignore[arg-type]
        wanted=["transcript"],
        action="testimony.transcript.viewed",
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
            **_consent_context(request, testimony.person, testimony),
        },
    )


def _record_consent(
    request: HttpRequest,
    person: Person,
    testimony: Testimony | None,
    back: str,
    back_args: list[Any],
) -> HttpResponse:
    if not access.can(request.user, Capability.CONSENT_RECORD):
        raise Http404
    form = ConsentForm(request.POST)
    if form.is_valid():
        decide = (
            services.consent_give
            if form.cleaned_data["decision"] == ConsentDecision.GIVEN
            else services.consent_withdraw
        )
        try:
            decide(
                person=None if testimony else person,
                testimony=testimony,
                purpose=form.cleaned_data["purpose"],
                recipient=form.cleaned_data["recipient"],
                date=form.cleaned_data["date"],
                recorded_by=request.user,  # type: ignore[arg-type]
                request=request,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The consent decision was recorded."))
            return redirect(back, *back_args)
    context = _consent_context(request, person, testimony, form)
    return render(
        request,
        "testimonies/consent_refused.html",
        {"person": person, "testimony": testimony, **context},
        status=400,
    )


@require_POST
@login_required
def person_consent(request: HttpRequest, person_id: int) -> HttpResponse:
    person = _person_for_testimonies(request, person_id)
    return _record_consent(request, person, None, "testimonies:person", [person.pk])


@require_POST
@login_required
def testimony_consent(request: HttpRequest, testimony_id: int) -> HttpResponse:
    testimony = _testimony_for_user(request, testimony_id)
    return _record_consent(
        request, testimony.person, testimony, "testimonies:detail", [testimony.pk]
    )
