from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from madad import access
from madad.core.forms import INVALID_FORM_STATUS, form_errors
from madad.core.http import AuthedRequest
from madad.core.refusals import Refused
from madad.places import services
from madad.places.forms import PlaceFilterForm, PlaceForm
from madad.places.models import Place, PlaceChange
from madad.places.selectors import pending_place_changes, place_list

_FIELD_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
AUTOCOMPLETE_LIMIT = 15


def _place_for(request: AuthedRequest, place_id: int) -> Place:
    return access.get_visible_or_404(request.user, Place, pk=place_id)


def _change_for(request: AuthedRequest, change_id: int) -> PlaceChange:
    """A pending change exists only for those who may decide it (administrators)."""
    return access.get_visible_or_404(request.user, PlaceChange, pk=change_id)


def _list_page(request: AuthedRequest, *, status: int = 200) -> HttpResponse:
    form = PlaceFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    places = place_list(
        user=request.user, query=filters.get("q", ""), level=filters.get("level", "")
    )
    page = Paginator(places, 50).get_page(request.GET.get("page"))
    if getattr(request, "htmx", False):
        return render(request, "places/_place_rows.html", {"form": form, "page": page})
    context = {
        "form": form,
        "page": page,
        "changes": pending_place_changes(user=request.user),
    }
    return render(request, "places/place_list.html", context, status=status)


@login_required
@require_GET
def place_list_view(request: AuthedRequest) -> HttpResponse:
    return _list_page(request)


@login_required
@require_GET
def place_autocomplete(request: AuthedRequest) -> HttpResponse:
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
def place_detail(request: AuthedRequest, place_id: int) -> HttpResponse:
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
            "changes": pending_place_changes(user=request.user, place=place),
        },
    )


@login_required
def place_edit(request: AuthedRequest, place_id: int) -> HttpResponse:
    """Proposes a change of the place; a second administrator applies it."""
    place = _place_for(request, place_id)
    if not access.can_change(request.user, place):
        raise PermissionDenied  # places are shared reference data: seen by all, changed by few
    status = 200
    if request.method == "POST":
        form = PlaceForm(request.POST)
        status = INVALID_FORM_STATUS
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.place_change_propose(
                    place=place,
                    proposed_by=request.user,
                    expected_version=data["version"],
                    name=data["name"],
                    name_ur=data["name_ur"],
                    latitude=data["latitude"],
                    longitude=data["longitude"],
                )
            except Refused as refusal:
                status = form_errors(form, refusal)
            else:
                messages.success(
                    request, _("The change waits for a second administrator's approval.")
                )
                return redirect("places:detail", place_id=place.pk)
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


@login_required
@require_POST
def place_change_decide(request: AuthedRequest, change_id: int, decision: str) -> HttpResponse:
    """Approves (applies) or rejects a pending change, from the places page."""
    change = _change_for(request, change_id)
    try:
        if decision == "approve":
            services.place_change_approve(change=change, approved_by=request.user)
            messages.success(request, _("The change is approved and applied."))
        else:
            services.place_change_reject(change=change, rejected_by=request.user)
            messages.success(request, _("The change is rejected."))
    except Refused as refusal:
        messages.error(request, refusal.message)
        return _list_page(request, status=refusal.status)
    return redirect("places:list")
