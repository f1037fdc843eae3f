from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from madad.accounts.roles import Capability
from madad.core import access
from madad.people.identity import format_cnic, format_phone
from madad.people.models import Person
from madad.people.selectors import person_list


@login_required
def person_list_view(request: HttpRequest) -> HttpResponse:
    if not access.can(request.user, Capability.PERSON_VIEW):
        raise Http404
    page = Paginator(person_list(user=request.user), 50).get_page(request.GET.get("page"))
    return render(request, "people/person_list.html", {"page": page})


@login_required
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    person = access.get_visible_or_404(request.user, Person, request=request, pk=person_id)
    shown = access.reveal(request.user, person, request=request)  # type: ignore[arg-type]
    if shown.get("cnic"):
        shown["cnic"] = format_cnic(shown["cnic"])
    if shown.get("phone"):
        shown["phone"] = format_phone(shown["phone"])
    return render(request, "people/person_detail.html", {"person": person, "shown": shown})
