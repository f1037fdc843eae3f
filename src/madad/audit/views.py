"""The auditors' pages: the audit trail browsed, filtered and exported, and its chain checked."""

from __future__ import annotations

import itertools
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from madad import access
from madad.access.roles import Capability
from madad.accounts.models import User
from madad.audit.forms import AuditFilterForm
from madad.audit.selectors import audit_event_list
from madad.audit.tasks import audit_chain_verify_latest, audit_chain_verify_request
from madad.core.audit import audit_record
from madad.core.forms import INVALID_FORM_STATUS
from madad.core.http import AuthedRequest
from madad.core.models import AuditEvent
from madad.core.spreadsheet import csv_lines

PAGE_SIZE = 50
EXPORT_HEADER = [
    "id",
    "at",
    "actor",
    "action",
    "object_type",
    "object_id",
    "fields",
    "ip",
    "prev_hash",
    "hash",
]


def _auditor(request: AuthedRequest) -> User:
    """The signed-in user if they may read the audit trail; 404 for anybody else."""
    if not access.can(request.user, Capability.AUDIT_VIEW):
        raise Http404
    return request.user


@login_required
def audit_list(request: AuthedRequest) -> HttpResponse:
    user = _auditor(request)
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = Paginator(audit_event_list(user=user, filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    if getattr(request, "htmx", False):
        return render(request, "audit/_rows.html", {"form": form, "page": page})
    return _render_list(request, form, page)


def _render_list(
    request: AuthedRequest, form: AuditFilterForm, page: Page[AuditEvent], status: int = 200
) -> HttpResponse:
    context = {
        "form": form,
        "page": page,
        "can_export": access.can_export(request.user, "audit"),
        "chain": _chain_status(request.user),
    }
    return render(request, "audit/list.html", context, status=status)


# The reasons madad.core.audit.audit_verify gives, said translatably.
_CHAIN_REASONS = {
    "its link to the previous event is broken (a row was removed)": gettext_lazy(
        "its link to the previous event is broken (a row was removed)"
    ),
    "its contents no longer match its hash": gettext_lazy("its contents no longer match its hash"),
}


def _chain_status(user: User) -> dict[str, Any]:
    """The latest check of the audit chain requested from the user's organisation."""
    run = audit_chain_verify_latest(organisation_id=user.organisation_id)
    if run is None:
        return {"state": "never"}
    status = {"READY": "queued", "RUNNING": "running", "FAILED": "failed"}.get(run.status)
    if status is not None:
        return {"state": status, "run": run}
    result = run.return_value or {}
    reason = result.get("reason") or ""
    return {
        "state": "broken" if result.get("first_broken_id") else "intact",
        "run": run,
        "checked": result.get("checked", 0),
        "first_broken_id": result.get("first_broken_id"),
        "reason": _CHAIN_REASONS.get(reason, reason),
    }


@login_required
@require_POST
def audit_verify(request: AuthedRequest) -> HttpResponse:
    """Queues a check of the whole audit chain; the audit page shows how it went."""
    user = _auditor(request)
    with transaction.atomic():
        audit_chain_verify_request(requested_by=user)
    if getattr(request, "htmx", False):
        return _render_chain_status(request)
    return redirect("audit:list")


@login_required
@require_GET
def audit_verify_status(request: AuthedRequest) -> HttpResponse:
    _auditor(request)
    return _render_chain_status(request)


def _render_chain_status(request: AuthedRequest) -> HttpResponse:
    return render(request, "audit/_chain.html", {"chain": _chain_status(request.user)})


@login_required
def audit_export(request: AuthedRequest) -> HttpResponse | StreamingHttpResponse:
    if not access.can_export(request.user, "audit"):
        raise Http404
    form = AuditFilterForm(request.GET or None)
    if request.GET and not form.is_valid():
        # Never export more than was asked for: show the filter errors instead.
        empty = Paginator(AuditEvent.objects.none(), PAGE_SIZE).get_page(1)
        return _render_list(request, form, empty, status=INVALID_FORM_STATUS)
    filters = form.cleaned_data if request.GET else {}
    events = audit_event_list(user=request.user, filters=filters)
    audit_record(action="audit.exported", object_type="core.auditevent")
    rows = (
        [
            e.pk,
            e.at.isoformat(),
            e.actor_label,
            e.action,
            e.object_type,
            e.object_id,
            " ".join(e.fields),
            e.ip or "",
            e.prev_hash,
            e.hash,
        ]
        for e in events.iterator(chunk_size=2000)
    )
    response = StreamingHttpResponse(
        csv_lines(itertools.chain([EXPORT_HEADER], rows)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="madad-audit.csv"'
    return response
