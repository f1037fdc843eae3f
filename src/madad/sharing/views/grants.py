"""The coordinators' pages of access grants: the organisation's grants, a new one, one grant
with its records, its history and who read what through it, and the decisions on it (approve
by a second coordinator, refuse, revoke).

Only coordinators of the giving organisation (grant.manage) open these pages: anybody else
signed in is refused the list and the form (403) and finds no grant (404). A grantee reads
through their own area, /shared/.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from madad import access
from madad.access.sharing import ids_in_force, may_manage_grants
from madad.core.forms import INVALID_FORM_STATUS, form_errors
from madad.core.http import AuthedRequest
from madad.core.models import AuditEvent
from madad.core.refusals import NotVisible, Refused
from madad.incidents.labels import place_label
from madad.incidents.models import IncidentType
from madad.places.models import Place
from madad.sharing import services
from madad.sharing.forms import (
    GrantDecisionForm,
    GrantForm,
    case_label,
    evidence_label,
    incident_label,
    testimony_label,
)
from madad.sharing.models import Grant, GrantedRecord

PER_PAGE = 50
USAGE_PER_PAGE = 50

# What each audited action on a grant or its records means, in the coordinators' words.
_ACTIONS = {
    "grant.created": gettext_lazy("Created the grant"),
    "grant.approved": gettext_lazy("Approved the grant"),
    "grant.refused": gettext_lazy("Refused the grant"),
    "grant.revoked": gettext_lazy("Revoked the grant"),
    "grant.expired": gettext_lazy("The grant ended"),
    "grant.record.viewed": gettext_lazy("Read a record"),
    "grant.record.downloaded": gettext_lazy("Downloaded a record"),
}


def _require_manager(request: AuthedRequest) -> None:
    if not may_manage_grants(request.user):
        raise PermissionDenied


def _grant_for_manager(request: AuthedRequest, grant_id: int) -> Grant:
    """The grant, for a coordinator of the organisation that gave it; 404 for anybody else
    (a grantee sees it in force, but through /shared/, never here)."""
    if not may_manage_grants(request.user):
        raise Http404
    return access.get_visible_or_404(request.user, Grant, pk=grant_id)


def record_label(record: GrantedRecord) -> str:
    if record.testimony is not None:
        return testimony_label(record.testimony)
    if record.incident is not None:
        return incident_label(record.incident)
    if record.evidence is not None:
        return evidence_label(record.evidence)
    if record.case is not None:
        return case_label(record.case)
    return str(record)


RECENTLY_ENDED = dt.timedelta(days=14)


@login_required
def grant_list(request: AuthedRequest) -> HttpResponse:
    _require_manager(request)
    grants = (
        access.visible_to(request.user, Grant)
        .select_related("grantee")
        .annotate(record_count=Count("records"))
        .order_by("-created_at", "-pk")
    )
    page = Paginator(grants, PER_PAGE).get_page(request.GET.get("page"))
    # what the daily task ended lately, and what waits for a second coordinator
    ended = grants.filter(
        status=Grant.Status.EXPIRED, ended_at__gte=timezone.now() - RECENTLY_ENDED
    )
    waiting = grants.filter(status=Grant.Status.PENDING).exclude(created_by=request.user)
    return render(
        request,
        "sharing/grant_list.html",
        {"page": page, "recently_ended": list(ended[:20]), "waiting": list(waiting[:20])},
    )


@login_required
def grant_new(request: AuthedRequest) -> HttpResponse:
    _require_manager(request)
    user = request.user
    if request.method != "POST":
        return render(request, "sharing/grant_new.html", {"form": GrantForm(user=user)})
    form = GrantForm(request.POST, user=user)
    status = INVALID_FORM_STATUS
    if form.is_valid():
        data = form.cleaned_data
        try:
            grant = services.grant_create(
                actor=user,
                grantee=data["grantee"],
                users=data["users"],
                purpose=data["purpose"],
                valid_from=data["valid_from"],
                valid_until=data["valid_until"],
                chosen=services.Chosen(
                    testimonies=data["testimonies"],
                    incidents=data["incidents"],
                    evidence=data["evidence"],
                    cases=data["cases"],
                    by_filter=form.incident_filter(),
                ),
                share_transcripts=data["share_transcripts"],
                share_descriptions=data["share_descriptions"],
                downloads_allowed=data["downloads_allowed"],
            )
        except NotVisible as refusal:
            raise Http404 from refusal
        except Refused as refusal:
            status = form_errors(form, refusal)
        else:
            messages.success(request, _created_message(grant))
            return redirect("sharing:detail", grant.pk)
    return render(request, "sharing/grant_new.html", {"form": form}, status=status)


def _created_message(grant: Grant) -> str:
    text = _("Grant %(id)s was saved. It starts only when a second coordinator approves it.") % {
        "id": grant.pk
    }
    if grant.left_out:
        text += " " + ngettext(
            "%(count)d record you chose was left out: the consent of the people in it does "
            "not cover this organisation.",
            "%(count)d records you chose were left out: the consent of the people in them "
            "does not cover this organisation.",
            grant.left_out,
        ) % {"count": grant.left_out}
    return text


def _usage(request: AuthedRequest, grant: Grant, records: list[GrantedRecord]) -> Any:
    """The audit trail of this grant and of its records, newest first, one page of it."""
    labels = {str(record.pk): record_label(record) for record in records}
    events = (
        AuditEvent.objects.filter(
            Q(object_type="sharing.grantedrecord", object_id__in=list(labels))
            | Q(object_type="sharing.grant", object_id=str(grant.pk))
        )
        .select_related("actor")
        .order_by("-at", "-id")
    )
    page = Paginator(events, USAGE_PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        {
            "event": event,
            "who": event.actor.full_name if event.actor is not None else event.actor_label,
            "what": _ACTIONS.get(event.action, event.action),
            "record": labels.get(event.object_id, "")
            if event.object_type == "sharing.grantedrecord"
            else "",
        }
        for event in page.object_list
    ]
    return page, rows


def _detail(
    request: AuthedRequest,
    grant: Grant,
    *,
    refuse_form: GrantDecisionForm | None = None,
    revoke_form: GrantDecisionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    records = list(
        grant.records.select_related(
            "testimony", "incident__place", "evidence__testimony", "case"
        ).order_by("kind", "pk")
    )
    usage, usage_rows = _usage(request, grant, records)
    pending = grant.status == Grant.Status.PENDING
    may_end = grant.status in (Grant.Status.PENDING, Grant.Status.APPROVED)
    initial = {"version": grant.version}
    in_force = ids_in_force(grant)
    return render(
        request,
        "sharing/grant_detail.html",
        {
            "grant": grant,
            "selection": _selection_shown(grant.selection),
            "readers": grant.users.select_related("organisation").order_by("full_name"),
            "changes": grant.changes.select_related("by").order_by("at", "id"),
            "records": [
                {
                    "record": record,
                    "label": record_label(record),
                    "consent": record.pk in in_force,
                }
                for record in records
            ],
            "usage": usage,
            "usage_rows": usage_rows,
            "may_approve": pending and grant.created_by_id != user.pk,
            "version": grant.version,
            "refuse_form": (refuse_form or GrantDecisionForm(initial=initial)) if pending else None,
            "revoke_form": (revoke_form or GrantDecisionForm(initial=initial)) if may_end else None,
        },
        status=status,
    )


def _selection_shown(selection: dict[str, Any]) -> list[tuple[str, str]]:
    """The filter the records were chosen by (Grant.selection), as the page says it."""
    if not selection:
        return []
    shown: list[tuple[str, str]] = []
    for key, label in (("date_from", _("Incidents from")), ("date_to", _("Incidents until"))):
        if selection.get(key):
            day = dt.date.fromisoformat(selection[key])
            shown.append((label, date_format(day, "SHORT_DATE_FORMAT")))
    if selection.get("place"):
        place = Place.objects.filter(code=selection["place"]).first()
        shown.append((_("In the district or town"), place_label(place) or selection["place"]))
    if selection.get("types"):
        kinds = IncidentType.objects.filter(code__in=selection["types"]).order_by("position")
        shown.append((_("Of the types"), " · ".join(str(kind.label) for kind in kinds)))
    shown.append(
        (
            _("With the testimonies about them"),
            _("yes") if selection.get("with_testimonies") else _("no"),
        )
    )
    return shown


@login_required
def grant_detail(request: AuthedRequest, grant_id: int) -> HttpResponse:
    return _detail(request, _grant_for_manager(request, grant_id))


def _refused(request: AuthedRequest, grant: Grant, refusal: Refused) -> HttpResponse:
    """A decision the service refused: the grant's page as it is now, with why."""
    messages.error(request, refusal.message)
    grant.refresh_from_db()
    return _detail(request, grant, status=refusal.status)


def _form_incomplete(request: AuthedRequest, grant: Grant) -> HttpResponse:
    """A POST without the version of the grant it was made on (not sent by our page)."""
    messages.error(request, _("The form was incomplete. Reload the page and try again."))
    return _detail(request, grant, status=INVALID_FORM_STATUS)


@require_POST
@login_required
def grant_approve(request: AuthedRequest, grant_id: int) -> HttpResponse:
    grant = _grant_for_manager(request, grant_id)
    form = GrantDecisionForm(request.POST)
    if not form.is_valid():
        return _form_incomplete(request, grant)
    try:
        services.grant_approve(
            grant=grant, actor=request.user, version=form.cleaned_data["version"]
        )
    except Refused as refusal:
        return _refused(request, grant, refusal)
    messages.success(
        request,
        _("Grant %(id)s is approved: its readers see its records from its start date.")
        % {"id": grant.pk},
    )
    return redirect("sharing:detail", grant.pk)


def _end(request: AuthedRequest, grant_id: int, *, revoke: bool) -> HttpResponse:
    grant = _grant_for_manager(request, grant_id)
    form = GrantDecisionForm(request.POST)
    forms_back = {"revoke_form" if revoke else "refuse_form": form}
    if "version" in form.errors:
        return _form_incomplete(request, grant)
    if not form.is_valid():
        return _detail(request, grant, status=INVALID_FORM_STATUS, **forms_back)
    service = services.grant_revoke if revoke else services.grant_refuse
    try:
        service(
            grant=grant,
            actor=request.user,
            reason=form.cleaned_data["reason"],
            version=form.cleaned_data["version"],
        )
    except Refused as refusal:
        if "reason" in refusal.fields:
            status = form_errors(form, refusal)
            return _detail(request, grant, status=status, **forms_back)
        return _refused(request, grant, refusal)
    if revoke:
        text = _("Grant %(id)s is revoked: its readers no longer see anything of it.")
    else:
        text = _("Grant %(id)s is refused.")
    messages.success(request, text % {"id": grant.pk})
    return redirect("sharing:detail", grant.pk)


@require_POST
@login_required
def grant_refuse(request: AuthedRequest, grant_id: int) -> HttpResponse:
    return _end(request, grant_id, revoke=False)


@require_POST
@login_required
def grant_revoke(request: AuthedRequest, grant_id: int) -> HttpResponse:
    return _end(request, grant_id, revoke=True)
