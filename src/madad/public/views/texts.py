"""Published fact sheets (page, printable page, PDF) and claim checks, for anyone."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from madad.public.claimreview import as_script, claim_review
from madad.public.http import public_view
from madad.public.models import FactSheet
from madad.public.pdf import factsheet_pdf
from madad.public.placeholders import render_text
from madad.public.selectors import (
    claimcheck_for_public,
    factsheet_for_public,
    incidents_behind,
    published_claimchecks,
    published_factsheets,
)
from madad.public.selectors.places import Gazetteer


@require_GET
@public_view()
def factsheet_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(published_factsheets(), 20).get_page(request.GET.get("page"))
    return render(request, "public/factsheet_list.html", {"page": page})


def factsheet_context(sheet: FactSheet) -> dict[str, Any]:
    gazetteer = Gazetteer.load()
    return {
        "sheet": sheet,
        "summary_html": render_text(sheet.summary, gazetteer=gazetteer),
        "body_html": render_text(sheet.body, gazetteer=gazetteer),
        "incidents": incidents_behind(sheet),
        "claimchecks": list(published_claimchecks().filter(factsheets=sheet)),
    }


@require_GET
@public_view()
def factsheet_detail(request: HttpRequest, slug: str) -> HttpResponse:
    sheet = factsheet_for_public(slug)
    template = (
        "public/factsheet_print.html"
        if request.GET.get("print")
        else "public/factsheet_detail.html"
    )
    return render(request, template, factsheet_context(sheet))


@require_GET
@public_view(cost=10)
def factsheet_pdf_view(request: HttpRequest, slug: str) -> HttpResponse:
    sheet = factsheet_for_public(slug)
    context = factsheet_context(sheet)
    context["page_url"] = request.build_absolute_uri(sheet_url(sheet))
    pdf = factsheet_pdf(factsheet=sheet, context=context)
    response = HttpResponse(pdf, content_type="application/pdf")
    language = (get_language() or "en")[:2]
    response["Content-Disposition"] = f'attachment; filename="{sheet.slug}-{language}.pdf"'
    return response


def sheet_url(sheet: FactSheet) -> str:
    from django.urls import reverse

    return reverse("public:factsheet", args=[sheet.slug])


@require_GET
@public_view()
def claimcheck_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(published_claimchecks().select_related("organisation"), 20).get_page(
        request.GET.get("page")
    )
    return render(request, "public/claimcheck_list.html", {"page": page})


@require_GET
@public_view()
def claimcheck_detail(request: HttpRequest, slug: str) -> HttpResponse:
    check = claimcheck_for_public(slug)
    language = get_language() or "en"
    organisation = check.organisation
    publisher = (
        organisation.name_ur
        if language.startswith("ur") and organisation.name_ur
        else organisation.name
    )
    gazetteer = Gazetteer.load()
    return render(
        request,
        "public/claimcheck_detail.html",
        {
            "check": check,
            "explanation_html": render_text(check.explanation, gazetteer=gazetteer),
            "incidents": incidents_behind(check),
            "factsheets": list(check.factsheets.filter(status="published")),
            "json_ld": as_script(
                claim_review(
                    check, url=request.build_absolute_uri(), language=language, publisher=publisher
                )
            ),
        },
    )
