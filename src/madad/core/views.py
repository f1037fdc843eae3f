from __future__ import annotations

import csv

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from madad.accounts.roles import Capability
from madad.core import access
from madad.core.audit import audit_record
from madad.core.forms import AuditFilterForm
from madad.core.selectors import audit_event_list


@login_required
def home(request: HttpRequest) -> HttpResponse:
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
    template = "core/_audit_rows.html" if request.htmx else "core/audit_list.html"
    return render(request, template, {"form": form, "page": page,
                                      "can_export": access.can_export(request.user, "audit")})


class _Echo:
    def write(self, value: str) -> str:
        return value


@login_required
def audit_export(request: HttpRequest) -> HttpResponse:
    if not access.can_export(request.user, "audit"):
        raise Http404
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = audit_event_list(user=request.user, filters=filters)
    audit_record(action="audit.exported", request=request, object_type="core.auditevent")
    writer = csv.writer(_Echo())
    header = ["id", "at", "actor", "action", "object_type", "object_id", "fields", "ip",
              "prev_hash", "hash"]

    def rows():  # type: ignore[no-untyped-def]
        yield writer.writerow(header)
        for e in events.iterator(chunk_size=2000):
            yield writer.writerow([e.pk, e.at.isoformat(), e.actor_label, e.action,
                                   e.object_type, e.object_id, " ".join(e.fields), e.ip or "",
                                   e.prev_hash, e.hash])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="madad-audit.csv"'
    return response


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)
