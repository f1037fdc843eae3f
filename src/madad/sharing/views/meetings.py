"""Requests to meet a family: asked by a grantee from a granted incident's page (under
/shared/), answered for the family by their caseworker or the grant's coordinators (under
/sharing/meetings/). The grantee never sees contact details; the staff see the delegation,
the incident and the message."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Value, When
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from madad import access
from madad.access.sharing import may_see_meeting_requests
from madad.core.forms import INVALID_FORM_STATUS, form_errors
from madad.core.http import AuthedRequest
from madad.core.refusals import Refused
from madad.sharing import services
from madad.sharing.models import GrantedRecord, MeetingRequest
from madad.sharing.views.shared import MeetingAskForm, grantee_only, record_page

_SHOWN_FIELDS = ["message", "status", "requested_at", "answered_at", "meeting_at", "meeting_place"]


class MeetingAnswerForm(forms.Form):
    """The family's answer, as their caseworker records it; the service checks that a meeting
    they agree to has a time and a place."""

    family_agrees = forms.TypedChoiceField(
        label=gettext_lazy("The family's answer"),
        choices=[
            ("yes", gettext_lazy("They agree to meet")),
            ("no", gettext_lazy("They do not want to meet")),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    meeting_at = forms.DateTimeField(
        label=gettext_lazy("Meeting time"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    meeting_place = forms.CharField(
        label=gettext_lazy("Meeting place"),
        help_text=gettext_lazy(
            "A place the family chose; the delegation sees it once the meeting is arranged. "
            "Not the family's address unless they asked for it."
        ),
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"dir": "auto"}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


# --- The grantee's side ----------------------------------------------------------------------
@require_POST
@login_required
def meeting_request(request: AuthedRequest, record_id: int) -> HttpResponse:
    granted = access.get_visible_or_404(request.user, GrantedRecord, pk=record_id)
    grantee_only(request)
    form = MeetingAskForm(request.POST)
    status = INVALID_FORM_STATUS
    if form.is_valid():
        try:
            services.meeting_request(
                granted=granted, user=request.user, message=form.cleaned_data["message"]
            )
        except Refused as refusal:
            status = form_errors(form, refusal)
        else:
            messages.success(
                request,
                _(
                    "Your request was sent. The family's caseworker will ask the family; "
                    "their answer will appear on this page."
                ),
            )
            return redirect("shared:record", granted.pk)
    return record_page(request, granted, ask_form=form, status=status)


# --- The staff's side ------------------------------------------------------------------------
def _staff_only(request: AuthedRequest) -> None:
    if not may_see_meeting_requests(request.user):
        raise PermissionDenied


@login_required
def meeting_list(request: AuthedRequest) -> HttpResponse:
    _staff_only(request)
    meetings = (
        access.visible_to(request.user, MeetingRequest)
        .select_related("granted_record__grant__grantee")
        .annotate(
            waiting=Case(
                When(status=MeetingRequest.Status.ASKED, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("waiting", "-requested_at", "-id")
    )
    page = Paginator(meetings, 50).get_page(request.GET.get("page"))
    return render(request, "sharing/meeting_list.html", {"page": page})


def _meeting_for_user(request: AuthedRequest, meeting_id: int) -> MeetingRequest:
    # a request one may not see does not exist (404); a grantee sees theirs at /shared/ (403)
    meeting = access.get_visible_or_404(request.user, MeetingRequest, pk=meeting_id)
    _staff_only(request)
    return meeting


def _meeting_page(
    request: AuthedRequest,
    meeting: MeetingRequest,
    *,
    form: MeetingAnswerForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The request's page (`form`: an answer that came back with errors)."""
    user = request.user
    shown: dict[str, Any] = access.reveal(
        user, meeting, wanted=_SHOWN_FIELDS, action="meeting.viewed"
    )
    may_answer = meeting.status == MeetingRequest.Status.ASKED and access.can_change(user, meeting)
    if form is None and may_answer:
        form = MeetingAnswerForm(initial={"version": meeting.version})
    granted = meeting.granted_record
    return render(
        request,
        "sharing/meeting_detail.html",
        {
            "meeting": meeting,
            "shown": shown,
            "status_label": MeetingRequest.Status(shown["status"]).label,
            "grantee": granted.grant.grantee,
            "incident_id": granted.incident_id,
            "form": form,
        },
        status=status,
    )


@login_required
def meeting_detail(request: AuthedRequest, meeting_id: int) -> HttpResponse:
    return _meeting_page(request, _meeting_for_user(request, meeting_id))


@require_POST
@login_required
def meeting_answer(request: AuthedRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting_for_user(request, meeting_id)
    if not access.can_change(request.user, meeting):
        raise PermissionDenied
    form = MeetingAnswerForm(request.POST)
    status = INVALID_FORM_STATUS
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.meeting_answer(
                meeting=meeting,
                actor=request.user,
                family_agrees=data["family_agrees"],
                meeting_at=data["meeting_at"],
                meeting_place=data["meeting_place"],
                version=data["version"],
            )
        except Refused as refusal:
            status = form_errors(form, refusal)
        else:
            messages.success(request, _("The family's answer was recorded."))
            return redirect("sharing:meeting", meeting.pk)
    meeting.refresh_from_db()
    return _meeting_page(request, meeting, form=form, status=status)
