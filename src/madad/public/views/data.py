"""Open data: the data dictionary and licence, and the files at stable addresses."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from madad.public import exports
from madad.public.http import public_view
from madad.public.selectors import public_incidents


@require_GET
@public_view()
def data_dictionary(request: HttpRequest) -> HttpResponse:
    files = [
        (fmt, reverse("public:data_file", args=[fmt]), mime)
        for fmt, (mime, _name) in exports.FORMATS.items()
    ]
    return render(
        request,
        "public/data.html",
        {
            "columns": exports.COLUMNS,
            "files": files,
            "count": public_incidents().count(),
            "licence_name": exports.LICENCE_NAME,
            "licence_url": exports.LICENCE_URL,
        },
    )


@require_GET
@public_view(cost=10)
def data_file(request: HttpRequest, fmt: str) -> StreamingHttpResponse:
    """Every public incident, in one of the open formats (filters are not applied: these
    addresses always name the whole set)."""
    if fmt not in exports.FORMATS:
        raise Http404
    content_type, filename = exports.FORMATS[fmt]
    rows = exports.rows_for(
        fmt, public_incidents(), documentation=request.build_absolute_uri(reverse("public:data"))
    )
    response = StreamingHttpResponse(rows, content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"  # open data: any site may read it
    return response
