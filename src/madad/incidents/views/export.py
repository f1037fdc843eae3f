"""The internal CSV export of incidents."""

from __future__ import annotations

import itertools

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.views.decorators.http import require_GET

from madad import access
from madad.access.incidents import may_see_incidents
from madad.core.http import AuthedRequest
from madad.core.spreadsheet import csv_lines
from madad.incidents.exports import incident_export_rows
from madad.incidents.forms import filters_from_query


@login_required
@require_GET
def incident_export_view(request: AuthedRequest) -> HttpResponse | StreamingHttpResponse:
    if not (may_see_incidents(request.user) and access.can_export(request.user, "incidents")):
        raise Http404
    form = filters_from_query(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = incident_export_rows(user=request.user, filters=filters)
    header = next(rows)  # audits the export before anything is sent
    response = StreamingHttpResponse(
        csv_lines(itertools.chain([header], rows)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="madad-incidents.csv"'
    return response
