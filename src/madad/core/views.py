from __future__ import annotations

import itertools
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from madad import access
from madad.access.roles import Capability
from madad.core.audit import audit_record
from madad.core.forms import AuditFilterForm
from madad.core.models import AuditEvent
from madad.core.selectors import audit_event_list
from madad.core.spreadsheet import csv_lines
from madad.core.tasks import audit_chain_verify_latest, audit_chain_verify_request


def home(request: HttpRequest) -> HttpResponse:
    """Staff start here; anybody else lands on the public site, except somebody halfway
    through signing in (password given, two-factor code not yet), who goes back to sign-in."""
    if not request.user.is_authenticated:
        from allauth.account.internal.stagekit import LOGIN_SESSION_KEY
        from django.contrib.auth.views import redirect_to_login

        if request.session.get(LOGIN_SESSION_KEY):
            return redirect_to_login(request.get_full_path())
        return redirect("public:dashboard")
    return render(request, "core/home.html")


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    if not access.can(request.user, Capability.AUDIT_VIEW):
        raise Http404
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = Paginator(audit_event_list(user=request.user, filters=filters), 50).get_page(
        request.GET.get("page")
    )
    template = (
        "core/_audit_rows.html" if getattr(request, "htmx", False) else "core/audit_list.html"
    )
    return render(
        request,
        template,
        {
            "form": form,
            "page": page,
            "can_export": access.can_export(request.user, "audit"),
            "chain": _chain_status(request.user),
        },
    )


# The reasons madad.core.audit.audit_verify gives, said translatably.
_CHAIN_REASONS = {
    "its link to the previous event is broken (a row was removed)": gettext_lazy(
        "its link to the previous event is broken (a row was removed)"
    ),
    "its contents no longer match its hash": gettext_lazy("its contents no longer match its hash"),
}


def _chain_status(user: Any) -> dict[str, Any]:
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
def audit_verify(request: HttpRequest) -> HttpResponse:
    """Queues a check of the whole audit chain; the audit page shows how it went."""
    if not access.can(request.user, Capability.AUDIT_VIEW):
        raise Http404
    with transaction.atomic():
        audit_chain_verify_request(requested_by=request.user)  # type: ignore[arg-type]
    if request.htmx:  # type: ignore[attr-defined]
        return _render_chain_status(request)
    return redirect("core:audit")


@login_required
@require_GET
def audit_verify_status(request: HttpRequest) -> HttpResponse:
    if not access.can(request.user, Capability.AUDIT_VIEW):
        raise Http404
    return _render_chain_status(request)


def _render_chain_status(request: HttpRequest) -> HttpResponse:
    return render(request, "core/_audit_chain.html", {"chain": _chain_status(request.user)})


@login_required
def audit_export(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    if not access.can_export(request.user, "audit"):
        raise Http404
    form = AuditFilterForm(request.GET or None)
    if request.GET and not form.is_valid():
        # Never export more than was asked for: show the filter errors instead.
        return render(
            request,
            "core/audit_list.html",
            {
                "form": form,
                "can_export": True,
                "page": Paginator(AuditEvent.objects.none(), 50).get_page(1),
                "chain": _chain_status(request.user),
            },
            status=400,
        )
    filters = form.cleaned_data if request.GET else {}
    events = audit_event_list(user=request.user, filters=filters)
    audit_record(action="audit.exported", request=request, object_type="core.auditevent")
    header = [
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
        csv_lines(itertools.chain([header], rows)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="madad-audit.csv"'
    return response


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)
