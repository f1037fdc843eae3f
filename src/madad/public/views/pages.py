"""The public site's pages about incidents: dashboard, map, timeline and list, one incident;
the fund's public account; and the language switch. Anyone may open them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any, Literal, cast

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language, get_language_bidi
from django.views.decorators.http import require_GET

from madad.fund.selectors import public_account
from madad.public import charts
from madad.public.forms import PublicFilterForm
from madad.public.http import public_view
from madad.public.selectors import public_incidents, texts_citing
from madad.public.selectors.figures import dashboard_figures, map_points
from madad.public.selectors.places import Gazetteer

PAGE_SIZE = 25
SameSite = Literal["Lax", "Strict", "None", False] | None


def _filtered(request: HttpRequest) -> tuple[PublicFilterForm, Any]:
    gazetteer = Gazetteer.load()
    form = PublicFilterForm(request.GET or None, gazetteer=gazetteer)
    return form, public_incidents(filters=form.filters(), gazetteer=gazetteer)


def _list_link(request: HttpRequest, name: str) -> Callable[[str], str]:
    """Links to the incident list narrowed to one row of a breakdown, keeping the other
    filters of the page (and replacing the one of the same name)."""
    base = request.GET.copy()
    base.pop("page", None)
    if name in ("district", "town"):
        base.pop("district", None)
        base.pop("town", None)

    def link(key: str) -> str:
        query = base.copy()
        query.setlist(name, [key])
        return f"{reverse('public:incidents')}?{query.urlencode()}"

    return link


@require_GET
@public_view()
def dashboard(request: HttpRequest) -> HttpResponse:
    form, selector = _filtered(request)
    figures = dashboard_figures(selector)
    rtl = get_language_bidi()
    return render(
        request,
        "public/dashboard.html",
        {
            "form": form,
            "figures": figures,
            "filters": selector.filters,
            "incidents_by_month": charts.month_chart(figures.by_month, which=1, rtl=rtl),
            "victims_by_month": charts.month_chart(figures.by_month, which=2, rtl=rtl),
            "by_type": charts.bars(figures.by_type, _list_link(request, "type")),
            "by_district": charts.bars(figures.by_district, _list_link(request, "district")),
            "by_town": charts.bars(figures.by_town, _list_link(request, "town")),
            "by_sex": charts.count_bars(figures.by_sex),
            "by_age": charts.count_bars(figures.by_age),
            "min_count": settings.MADAD_PUBLIC_MIN_COUNT,
            "query": request.GET.urlencode(),
        },
    )


@require_GET
@public_view()
def map_page(request: HttpRequest) -> HttpResponse:
    form, selector = _filtered(request)
    return render(
        request,
        "public/map.html",
        {
            "form": form,
            "query": request.GET.urlencode(),
            "points_url": reverse("public:map_points")
            + (f"?{request.GET.urlencode()}" if request.GET else ""),
            "tile_url": settings.MADAD_MAP_TILE_URL,
            "tile_attribution": settings.MADAD_MAP_TILE_ATTRIBUTION,
            "districts_bars": charts.bars(
                dashboard_figures(selector).by_district, _list_link(request, "district")
            ),
        },
    )


@require_GET
@public_view()
def map_points_json(request: HttpRequest) -> HttpResponse:
    _form, selector = _filtered(request)
    return JsonResponse(
        map_points(selector), json_dumps_params={"ensure_ascii": False, "separators": (",", ":")}
    )


@require_GET
@public_view()
def incident_list(request: HttpRequest) -> HttpResponse:
    form, selector = _filtered(request)
    page = selector.page(request.GET.get("page"), PAGE_SIZE)
    months: list[dict[str, Any]] = []
    for incident in page.object_list:
        key = (
            incident.start_date.year,
            incident.start_date.month if incident.start_precision != "year" else 0,
        )
        if not months or months[-1]["key"] != key:
            months.append({"key": key, "first": incident, "incidents": []})
        months[-1]["incidents"].append(incident)
    return render(
        request,
        "public/incident_list.html",
        {
            "form": form,
            "page": page,
            "months": months,
            "query": request.GET.urlencode(),
        },
    )


@require_GET
@public_view()
def incident_detail(request: HttpRequest, incident_id: int) -> HttpResponse:
    incident = public_incidents().get(incident_id)
    factsheets, claimchecks = texts_citing(incident.id)
    return render(
        request,
        "public/incident_detail.html",
        {
            "incident": incident,
            "factsheets": factsheets,
            "claimchecks": claimchecks,
        },
    )


def fund_account() -> dict[str, Any] | None:
    """The fund's public account (madad.fund.selectors.public_account()), newest month first,
    with the totals of every month shown; None while no month is published yet."""
    account = public_account()
    if not account.get("months"):
        return None
    months = []
    for month in account.get("months", []):
        try:
            when = dt.date.fromisoformat(f"{month['month']}-01")
        except (KeyError, TypeError, ValueError):
            continue
        months.append({**month, "date": when})
    account["months"] = sorted(months, key=lambda m: m["date"], reverse=True)
    account["total_in"] = sum((m.get("total_in", 0) for m in months), Decimal(0))
    account["total_out"] = sum((m.get("total_out", 0) for m in months), Decimal(0))
    return account


@require_GET
@public_view()
def fund(request: HttpRequest) -> HttpResponse:
    return render(request, "public/fund.html", {"account": fund_account()})


@require_GET
@public_view()
def language(request: HttpRequest) -> HttpResponse:
    """Switches the language with a plain link, so that public pages need no form (and no
    CSRF cookie) and stay cacheable."""
    code = request.GET.get("language", "")
    target = request.GET.get("next") or reverse("public:dashboard")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("public:dashboard")
    response = HttpResponseRedirect(target)
    if code in dict(settings.LANGUAGES) and check_for_language(code):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            code,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=cast(SameSite, settings.LANGUAGE_COOKIE_SAMESITE),
        )
    return response
