from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from madad import access
from madad.access.roles import Capability
from madad.linkage.views import DUPLICATES_CHECKED, person_check_rows
from madad.people import services
from madad.people.forms import PersonEditForm, PersonFilterForm, PersonForm, PersonSearchForm
from madad.people.identity import format_cnic, format_phone
from madad.people.models import Person
from madad.people.selectors import person_list, person_search

LIST_NAMES = ("given_name", "family_name", "full_name_ur")
SEARCH_LIMIT = 50


def _person_for(request: HttpRequest, person_id: int) -> Person:
    return access.get_visible_or_404(request.user, Person, request=request, pk=person_id)


def _rows(request: HttpRequest, persons: Any) -> list[dict[str, Any]]:
    """One row per person; names only for a role that may see identities, each read
    audited through access.reveal."""
    show_names = access.can(request.user, Capability.PERSON_IDENTITY_VIEW)
    return [
        {
            "person": person,
            "names": access.reveal(
                request.user,
                person,
                request=request,  # type: ignore[arg-type]
                wanted=LIST_NAMES,
            )
            if show_names
            else None,
        }
        for person in persons
    ]


def _list_context(request: HttpRequest, search_form: PersonSearchForm) -> dict[str, Any]:
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
def person_list_view(request: HttpRequest) -> HttpResponse:
    if not access.can(request.user, Capability.PERSON_VIEW):
        raise Http404
    return render(request, "people/person_list.html", _list_context(request, PersonSearchForm()))


@login_required
@require_POST
def person_search_view(request: HttpRequest) -> HttpResponse:
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
            request=request,
        )
        persons = list(found.order_by("-created_at", "-id")[: SEARCH_LIMIT + 1])
        context.update(
            results=_rows(request, persons[:SEARCH_LIMIT]),
            usable=search.usable,
            more=len(persons) > SEARCH_LIMIT,
        )
    if request.htmx:  # type: ignore[attr-defined]
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
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    person = _person_for(request, person_id)
    shown = _display(access.reveal(request.user, person, request=request))  # type: ignore[arg-type]
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "shown": shown,
            "can_edit": access.can_change(request.user, person),
        },
    )


def _apply_errors(form: PersonForm, error: ValidationError) -> None:
    for field, field_errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, field_errors)


@login_required
def person_create_view(request: HttpRequest) -> HttpResponse:
    if not (
        access.can(request.user, Capability.PERSON_EDIT)
        and access.can(request.user, Capability.PERSON_VIEW)
    ):
        raise Http404
    status = 200
    if request.method == "POST":
        form = PersonForm(request.POST)
        duplicates: list[dict[str, Any]] = []
        if form.is_valid() and request.POST.get(DUPLICATES_CHECKED) != "1":
            try:
                services.person_validate(form.person_data())
            except ValidationError:
                pass  # person_create below names the errors
            else:
                duplicates = person_check_rows(request, form.person_data())
        if duplicates:  # shown before saving; saved once the user says it is someone else
            return render(
                request,
                "people/person_form.html",
                {"form": form, "person": None, "duplicates": duplicates},
                status=409,
            )
        if form.is_valid():
            try:
                person = services.person_create(
                    organisation=request.user.organisation,  # type: ignore[union-attr]
                    created_by=request.user,
                    **form.person_data(),
                )  # type: ignore[arg-type]
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("The person is recorded."))
                return redirect("people:detail", person_id=person.pk)
        status = 422
    else:
        form = PersonForm()
    return render(request, "people/person_form.html", {"form": form, "person": None}, status=status)


@login_required
def person_edit_view(request: HttpRequest, person_id: int) -> HttpResponse:
    person = _person_for(request, person_id)
    if not access.can_change(request.user, person):
        raise Http404
    readable = access.readable_fields(request.user, Person)
    status = 200
    if request.method == "POST":
        form = PersonEditForm(request.POST, readable=readable)
        if form.is_valid():
            try:
                services.person_update(
                    person=person,
                    updated_by=request.user,  # type: ignore[arg-type]
                    expected_version=form.cleaned_data["version"],
                    **form.person_data(),
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
                status = 422
            except services.StaleEdit as stale:
                form.add_error(None, str(stale))
                status = 409
            else:
                messages.success(request, _("The person is saved."))
                return redirect("people:detail", person_id=person.pk)
        else:
            status = 422
    else:
        shown = _display(
            access.reveal(
                request.user,
                person,
                request=request,  # type: ignore[arg-type]
                wanted=[n for n in PersonEditForm.base_fields if n != "version"],
            )
        )
        form = PersonEditForm(initial={**shown, "version": person.version}, readable=readable)
    return render(
        request, "people/person_form.html", {"form": form, "person": person}, status=status
    )
