"""The grantee's read-only area, under /shared/: the grants in force for them, the records of
one grant, and one record with the fields its grant opens (and, for an incident, the requests
to meet the family; for a case, its summary's counts). Every record is read through
access.reveal_granted, which decides what is shown and audits the read; people appear only
under their pseudonym within the grant."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from madad import access
from madad.access.sharing import is_grantee
from madad.cases.models import Case
from madad.core.http import AuthedRequest
from madad.evidence.models import EvidenceKind
from madad.incidents.models import Incident, format_partial_date
from madad.sharing.grantee import (
    case_summary,
    downloadable,
    general_place,
    month_of,
    people_affected,
    people_by_record,
    summary_rows,
)
from madad.sharing.models import Grant, GrantedRecord, MeetingRequest
from madad.testimonies.models import Language

# What the grant's page shows of each record: a short label, nothing that needs opening.
_LABEL_FIELDS: dict[str, list[str]] = {
    GrantedRecord.Kind.TESTIMONY: ["date", "language"],
    GrantedRecord.Kind.INCIDENT: ["start_date", "start_precision", "types", "place"],
    GrantedRecord.Kind.EVIDENCE: ["kind", "content_type", "size", "uploaded_at"],
    GrantedRecord.Kind.CASE: ["status", "opened_at"],
}
# The grant page's heading for each kind's records.
_GROUPS: dict[str, Any] = {
    GrantedRecord.Kind.TESTIMONY: _("Testimonies"),
    GrantedRecord.Kind.INCIDENT: _("Incidents"),
    GrantedRecord.Kind.EVIDENCE: _("Evidence files"),
    GrantedRecord.Kind.CASE: _("Case summaries"),
}
# What the grantee reads of a meeting request about their incident (never contact details).
_MEETING_FIELDS = ["requested_at", "status", "meeting_at", "meeting_place"]


class MeetingAskForm(forms.Form):
    """A grantee's request to meet the family; the service checks the message."""

    message = forms.CharField(
        label=_("Your message to the family"),
        help_text=_(
            "Say who would come and why. The family's caseworker reads it to the family; you "
            "are told their answer here."
        ),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
    )


def grantee_only(request: AuthedRequest) -> None:
    """The /shared/ pages are for grantees only; everybody else is refused outright (their
    own organisation's grants are on the coordinators' pages)."""
    if not is_grantee(request.user):
        raise PermissionDenied


def _readable(granted: GrantedRecord, values: dict[str, Any]) -> dict[str, Any]:
    """The revealed values as the page shows them: choices by their label, an incident's date
    with its precision, its place generalised to its town or district, a case's dates as their
    month. Only what was revealed."""
    shown: dict[str, Any] = dict(values)
    if "language" in values:
        shown["language"] = dict(Language.choices).get(values["language"], values["language"])
    if "start_date" in values:
        shown["when"] = format_partial_date(
            values["start_date"], values.get("start_precision", "day")
        )
    if "types" in values:
        shown["types"] = [kind.label for kind in values["types"]]
    if "place" in values:
        shown["place"] = general_place(values["place"])
    if "status" in values and granted.kind == GrantedRecord.Kind.INCIDENT:
        shown["status"] = dict(Incident.Status.choices).get(values["status"], values["status"])
    if "kind" in values:
        shown["kind"] = dict(EvidenceKind.choices).get(values["kind"], values["kind"])
    if granted.kind == GrantedRecord.Kind.CASE:
        if "status" in values:
            shown["status"] = dict(Case.Status.choices).get(values["status"], values["status"])
        for name in ("opened_at", "closed_at"):
            if name in values:
                shown[name] = month_of(values[name])
    return shown


@login_required
def grant_list(request: AuthedRequest) -> HttpResponse:
    grantee_only(request)
    user = request.user
    grants = access.visible_to(user, Grant).select_related("organisation")
    shown = Counter(access.visible_to(user, GrantedRecord).values_list("grant_id", flat=True))
    return render(
        request,
        "sharing/shared_list.html",
        {"grants": [(grant, shown[grant.pk]) for grant in grants.order_by("valid_until", "pk")]},
    )


@login_required
def grant_detail(request: AuthedRequest, grant_id: int) -> HttpResponse:
    user = request.user
    grant = access.get_visible_or_404(user, Grant, pk=grant_id)
    grantee_only(request)
    listed = access.reveal_granted_list(user, grant, _LABEL_FIELDS)
    people = people_by_record(grant)
    groups: dict[str, list[dict[str, Any]]] = {kind: [] for kind in GrantedRecord.Kind.values}
    for granted, values in listed:
        groups[granted.kind].append(
            {
                "granted": granted,
                "shown": _readable(granted, values),
                "people": people.get(granted.pk, []),
            }
        )
    return render(
        request,
        "sharing/shared_grant.html",
        {
            "grant": grant,
            "groups": [(_GROUPS[kind], groups[kind]) for kind in _GROUPS if groups[kind]],
        },
    )


def record_page(
    request: AuthedRequest,
    granted: GrantedRecord,
    *,
    ask_form: MeetingAskForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """One granted record's page (`ask_form`: a meeting request that came back with errors)."""
    user = request.user
    values = access.reveal_granted(user, granted)
    grant = granted.grant
    incident = granted.kind == GrantedRecord.Kind.INCIDENT
    meetings = []
    if incident:
        asked = access.visible_to(user, MeetingRequest).filter(granted_record=granted)
        meetings = [
            access.reveal(user, meeting, wanted=_MEETING_FIELDS, action="meeting.viewed")
            for meeting in asked.order_by("-requested_at", "-id")
        ]
        for shown_meeting in meetings:
            shown_meeting["status_label"] = MeetingRequest.Status(shown_meeting["status"]).label
    return render(
        request,
        "sharing/shared_record.html",
        {
            "grant": grant,
            "granted": granted,
            "shown": _readable(granted, values),
            "people": people_by_record(grant).get(granted.pk, []),
            "affected": (
                people_affected([granted.incident_id]).get(granted.incident_id, [])
                if granted.incident_id is not None
                else []
            ),
            "summary": (
                summary_rows(case_summary(granted.case_id)) if granted.case_id is not None else None
            ),
            "may_download": downloadable(granted, values.get("content_type")),
            "meetings": meetings,
            "ask_form": ask_form or (MeetingAskForm() if incident else None),
        },
        status=status,
    )


@login_required
def record_detail(request: AuthedRequest, record_id: int) -> HttpResponse:
    # a record one may not see does not exist (404); seen but not a grantee's (the granting
    # coordinators): 403
    granted = access.get_visible_or_404(request.user, GrantedRecord, pk=record_id)
    grantee_only(request)
    return record_page(request, granted)
