from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from madad import access
from madad.places import services
from madad.places.forms import PlaceFilterForm, PlaceForm
from madad.places.models import Place
from madad.places.selectors import place_list

_FIELD_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
AUTOCOMPLETE_LIMIT = 15


def _place_for(request: HttpRequest, place_id: int) -> Place:
    return access.get_visible_or_404(request.user, Place, request=request, pk=place_id)


@login_required
@require_GET
def place_list_view(request: HttpRequest) -> HttpResponse:
    form = PlaceFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    places = place_list(
        user=request.user, query=filters.get("q", ""), level=filters.get("level", "")
    )
    page = Paginator(places, 50).get_page(request.GET.get("page"))
    template = (
        "places/_place_rows.html"
        if request.htmx  # type: ignore[attr-defined]
        else "places/place_list.html"
    )
    return render(request, template, {"form": form, "page": page})


@login_required
@require_GET
def place_autocomplete(request: HttpRequest) -> HttpResponse:
    """Places matching what was typed, as radio buttons named after the form field that wants
    a place (`field`, default "place"): a picker that needs no script of its own."""
    field = request.GET.get("field", "place")
    if not _FIELD_NAME.match(field):
        field = "place"
    query = (request.GET.get("q") or request.GET.get(f"{field}_q") or "")[:100]
    places = (
        place_list(user=request.user, query=query)[:AUTOCOMPLETE_LIMIT]
        if query.strip()
        else Place.objects.none()
    )
    return render(
        request, "places/_place_options.html", {"places": places, "field": field, "query": query}
    )


@login_required
@require_GET
def place_detail(request: HttpRequest, place_id: int) -> HttpResponse:
    place = _place_for(request, place_id)
    children = place_list(user=request.user, parent=place)
    return render(
        request,
        "places/place_detail.html",
        {
            "place": place,
            "ancestors": list(reversed(place.ancestors())),
            "children": children,
            "can_edit": access.can_change(request.user, place),
        },
    )


@login_required
def place_edit(request: HttpRequest, place_id: int) -> HttpResponse:
    place = _place_for(request, place_id)
    if not access.can_change(request.user, place):
        raise Http404
    status = 200
    if request.method == "POST":
        form = PlaceForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.place_update(
                    place=place,
                    updated_by=request.user,  # type: ignore[arg-type]
                    expected_version=data["version"],
                    name=data["name"],
                    name_ur=data["name_ur"],
                    latitude=data["latitude"],
                    longitude=data["longitude"],
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            except services.StaleEdit as stale:
                form.add_error(None, str(stale))
                status = 409
            else:
                messages.success(request, _("The place is saved."))
                return redirect("places:detail", place_id=place.pk)
        if status == 200:
            status = 422 if form.errors else 200
    else:
        form = PlaceForm(
            initial={
                "name": place.name,
                "name_ur": place.name_ur,
                "latitude": place.latitude,
                "longitude": place.longitude,
                "version": place.version,
            }
        )
    return render(request, "places/place_form.html", {"place": place, "form": form}, status=status)
