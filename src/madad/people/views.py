from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from madad import access
from madad.access.roles import Capability
from madad.core.forms import INVALID_FORM_STATUS, form_errors
from madad.core.http import AuthedRequest
from madad.core.refusals import Refused
from madad.linkage.entry_check import DUPLICATES_CHECKED, person_check_rows
from madad.people import services
from madad.people.forms import PersonEditForm, PersonFilterForm, PersonForm, PersonSearchForm
from madad.people.identity import format_cnic, format_phone
from madad.people.models import Person
from madad.people.selectors import person_list, person_search

LIST_NAMES = ("given_name", "family_name", "full_name_ur")
SEARCH_LIMIT = 50


def _person_for(request: AuthedRequest, person_id: int) -> Person:
    return access.get_visible_or_404(request.user, Person, pk=person_id)


def _rows(request: AuthedRequest, persons: Any) -> list[dict[str, Any]]:
    """One row per person; names only for a role that may see identities, each read
    audited through access.reveal."""
    show_names = access.can(request.user, Capability.PERSON_IDENTITY_VIEW)
    return [
        {
            "person": person,
            "names": access.reveal(request.user, person, wanted=LIST_NAMES) if show_names else None,
        }
        for person in persons
    ]


def _list_context(request: AuthedRequest, search_form: PersonSearchForm) -> dict[str, Any]:
    filter_form = PersonFilterForm(request.GET or None)
    filters = filter_form.cleaned_data if filter_form.is_valid() else {}
    page = Paginator(person_list(user=request.user, filters=filters), 25).get_page(
        request.GET.get("page")
    )
    return {
        "page": page,
        "rows": _rows(request, page),
        "filter_form": filter_form,
        "search_form": search_form,
        "can_create": access.can(request.user, Capability.PERSON_EDIT),
    }


@login_required
@require_GET
def person_list_view(request: AuthedRequest) -> HttpResponse:
    if not access.can(request.user, Capability.PERSON_VIEW):
        raise Http404
    return render(request, "people/person_list.html", _list_context(request, PersonSearchForm()))


@login_required
@require_POST
def person_search_view(request: AuthedRequest) -> HttpResponse:
    """Name, CNIC or phone search: a POST, so that nothing typed lands in a URL or a log."""
    if not access.can(request.user, Capability.PERSON_VIEW):
        raise Http404
    form = PersonSearchForm(request.POST)
    context: dict[str, Any] = {
        "searched": True,
        "results": [],
        "usable": False,
        "more": False,
        "limit": SEARCH_LIMIT,
    }
    if form.is_valid():
        found, search = person_search(
            user=request.user,
            query=form.cleaned_data["q"],
            father_name=form.cleaned_data["father_name"],
        )
        persons = list(found.order_by("-created_at", "-id")[: SEARCH_LIMIT + 1])
        context.update(
            results=_rows(request, persons[:SEARCH_LIMIT]),
            usable=search.usable,
            more=len(persons) > SEARCH_LIMIT,
        )
    if getattr(request, "htmx", False):
        return render(request, "people/_person_results.html", context)
    return render(request, "people/person_list.html", {**_list_context(request, form), **context})


def _display(shown: dict[str, Any]) -> dict[str, Any]:
    if shown.get("cnic"):
        shown["cnic"] = format_cnic(shown["cnic"])
    if shown.get("phone"):
        shown["phone"] = format_phone(shown["phone"])
    return shown


@login_required
@require_GET
def person_detail(request: AuthedRequest, person_id: int) -> HttpResponse:
    person = _person_for(request, person_id)
    shown = _display(access.reveal(request.user, person))
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "shown": shown,
            "can_edit": access.can_change(request.user, person),
        },
    )


def _duplicates(request: AuthedRequest, form: PersonForm) -> list[dict[str, Any]]:
    """The possible duplicates of a valid new person, shown before saving, unless the user has
    looked at them and says this is someone else."""
    if request.POST.get(DUPLICATES_CHECKED) == "1":
        return []
    try:
        services.person_validate(form.person_data())
    except Refused:
        return []  # person_create names the errors
    return person_check_rows(request, form.person_data())


@login_required
def person_create_view(request: AuthedRequest) -> HttpResponse:
    if not (
        access.can(request.user, Capability.PERSON_EDIT)
        and access.can(request.user, Capability.PERSON_VIEW)
    ):
        raise Http404
    context: dict[str, Any] = {"form": PersonForm(), "person": None}
    status = 200
    if request.method == "POST":
        form = context["form"] = PersonForm(request.POST)
        status = INVALID_FORM_STATUS
        if form.is_valid():
            duplicates = _duplicates(request, form)
            if duplicates:  # shown before saving; saved once the user says it is someone else
                return render(
                    request,
                    "people/person_form.html",
                    {**context, "duplicates": duplicates},
                    status=409,
                )
            try:
                person = services.person_create(
                    organisation=request.user.organisation,
                    created_by=request.user,
                    **form.person_data(),
                )
            except Refused as refusal:
                status = form_errors(form, refusal)
            else:
                messages.success(request, _("The person is recorded."))
                return redirect("people:detail", person_id=person.pk)
    return render(request, "people/person_form.html", context, status=status)


@login_required
def person_edit_view(request: AuthedRequest, person_id: int) -> HttpResponse:
    person = _person_for(request, person_id)
    if not access.can_change(request.user, person):
        raise Http404
    readable = access.readable_fields(request.user, Person)
    status = 200
    if request.method == "POST":
        form = PersonEditForm(request.POST, readable=readable)
        status = INVALID_FORM_STATUS
        if form.is_valid():
            try:
                services.person_update(
                    person=person,
                    updated_by=request.user,
                    expected_version=form.cleaned_data["version"],
                    **form.person_data(),
                )
            except Refused as refusal:
                status = form_errors(form, refusal)
            else:
                messages.success(request, _("The person is saved."))
                return redirect("people:detail", person_id=person.pk)
    else:
        wanted = [name for name in PersonEditForm.base_fields if name != "version"]
        shown = _display(access.reveal(request.user, person, wanted=wanted))
        form = PersonEditForm(initial={**shown, "version": person.version}, readable=readable)
    return render(
        request, "people/person_form.html", {"form": form, "person": person}, status=status
    )
