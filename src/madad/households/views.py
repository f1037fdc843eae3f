"""Staff pages: the household list, one household, registering and changing one, and its
members. Every page asks madad.access; a household the user may not see answers 404."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from madad import access
from madad.access.cases import may_work_on_cases
from madad.access.households import may_register_households, may_see_households
from madad.core.forms import INVALID_FORM_STATUS, form_errors
from madad.core.http import AuthedRequest
from madad.core.refusals import Refused
from madad.households import selectors, services
from madad.households.forms import (
    HouseholdCreateForm,
    HouseholdEditForm,
    HouseholdFilterForm,
    MemberForm,
    MemberFormSet,
    MemberUpdateForm,
)
from madad.households.models import Household, Member

PAGE_SIZE = 25


def get_household_for_user(request: AuthedRequest, household_id: int) -> Household:
    """The household, if this user may see it; 404 otherwise (audited when it exists)."""
    return access.get_visible_or_404(request.user, Household, pk=household_id)


def _changeable(request: AuthedRequest, household_id: int) -> Household:
    household = get_household_for_user(request, household_id)
    if not access.can_change(request.user, household):
        raise Http404
    return household


def put_errors(
    refusal: Refused, form: forms.BaseForm, members: list[forms.BaseForm] | None = None
) -> int:
    """Puts a service's refusal on the form fields ("address"; "members.0.relation" on the
    member's row) and returns the status to answer with."""
    if not refusal.fields:
        return form_errors(form, refusal)
    for key, found in refusal.fields.items():
        parts = key.split(".")
        target, name = form, key
        if (
            parts[0] == "members"
            and len(parts) > 2
            and members is not None
            and parts[1].isdigit()
            and int(parts[1]) < len(members)
        ):
            target, name = members[int(parts[1])], parts[-1]
        if name == "person":
            name = "person_id"
        for message in found:
            target.add_error(name if name in target.fields else None, message)
    return refusal.status


# --- list and detail ------------------------------------------------------------------------
@login_required
@require_GET
def household_list_view(request: AuthedRequest) -> HttpResponse:
    if not may_see_households(request.user):
        raise Http404
    form = HouseholdFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = Paginator(
        selectors.household_list(user=request.user, filters=filters), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    names = selectors.head_names(user=request.user, households=list(page))
    template = (
        "households/_household_rows.html"
        if getattr(request, "htmx", False)
        else "households/household_list.html"
    )
    return render(
        request,
        template,
        {
            "form": form,
            "page": page,
            "names": names,
            "can_register": may_register_households(request.user),
        },
    )


@login_required
@require_GET
def household_detail_view(request: AuthedRequest, household_id: int) -> HttpResponse:
    household = get_household_for_user(request, household_id)
    view = selectors.household_detail(user=request.user, household=household)
    can_edit = access.can_change(request.user, household)
    return render(
        request,
        "households/household_detail.html",
        {
            "household": household,
            "view": view,
            "can_edit": can_edit,
            "member_form": MemberForm(user=request.user, auto_id="id_member_%s")
            if can_edit
            else None,
            "can_open_case": may_work_on_cases(request.user)
            and not any(c.status != "closed" for c in view.cases),
        },
    )


# --- registering ----------------------------------------------------------------------------
def _with_added_row(request: HttpRequest) -> tuple[QueryDict | None, bool]:
    """The posted data, with one more member row when the user asked for one."""
    if request.method != "POST":
        return None, False
    if "add_row" not in request.POST:
        return request.POST, False
    data = request.POST.copy()
    try:
        data["members-TOTAL_FORMS"] = str(min(int(data.get("members-TOTAL_FORMS", "0")) + 1, 30))
    except ValueError:
        data["members-TOTAL_FORMS"] = "1"
    return data, True


@login_required
def household_create_view(request: AuthedRequest) -> HttpResponse:
    if not may_register_households(request.user):
        raise Http404
    data, adding = _with_added_row(request)
    form = HouseholdCreateForm(data)
    members = MemberFormSet(data, prefix="members", form_kwargs={"user": request.user})
    status = 200
    if data is not None and not adding:
        status = INVALID_FORM_STATUS
        if all([form.is_valid(), members.is_valid()]) and request.user.organisation:
            rows = members.changed_forms()
            try:
                household = services.household_create(
                    organisation=request.user.organisation,
                    created_by=request.user,
                    members=[row.service_data() for row in rows],
                    link_member_acts=form.cleaned_data["link_member_acts"],
                    **form.service_data(),
                )
            except Refused as refusal:
                status = put_errors(refusal, form, list(rows))
            else:
                messages.success(request, _("The household is registered."))
                return redirect("households:detail", household.pk)
    return render(
        request,
        "households/household_form.html",
        {
            "form": form,
            "members": members,
            "quiet": adding,
            "household": None,
        },
        status=status,
    )


@login_required
def household_edit_view(request: AuthedRequest, household_id: int) -> HttpResponse:
    household = _changeable(request, household_id)
    candidates = selectors.candidate_acts(user=request.user, household=household)
    status = 200
    may_read_address = "address" in access.readable_fields(request.user, Household)
    if request.method == "POST":
        form = HouseholdEditForm(request.POST, acts=candidates)
        if not may_read_address:
            del form.fields["address"]  # not offered, so never blanked
        status = INVALID_FORM_STATUS
        if form.is_valid():
            # acts linked already that this user cannot see stay linked
            hidden = household.affected_by.exclude(pk__in=candidates.order_by().values("pk"))
            try:
                services.household_update(
                    household=household,
                    updated_by=request.user,
                    expected_version=form.cleaned_data["version"],
                    acts=[*form.cleaned_data["acts"], *hidden],
                    **form.service_data(),
                )
            except Refused as refusal:
                status = put_errors(refusal, form)
            else:
                messages.success(request, _("Your changes were saved."))
                return redirect("households:detail", household.pk)
    else:
        shown = (
            access.reveal(
                request.user, household, wanted=["address"], action="household.address.viewed"
            )
            if may_read_address
            else {}
        )
        form = HouseholdEditForm(
            acts=candidates,
            initial={
                "address": shown.get("address", ""),
                "place": household.place_id,
                "monthly_income_before": household.monthly_income_before,
                "monthly_income_after": household.monthly_income_after,
                "acts": list(household.affected_by.all()),
                "version": household.version,
            },
        )
        if not may_read_address:
            del form.fields["address"]
    return render(
        request,
        "households/household_edit.html",
        {"form": form, "household": household},
        status=status,
    )


# --- members --------------------------------------------------------------------------------
@login_required
@require_POST
def member_add_view(request: AuthedRequest, household_id: int) -> HttpResponse:
    household = _changeable(request, household_id)
    form = MemberForm(request.POST, user=request.user, auto_id="id_member_%s")
    status = INVALID_FORM_STATUS
    if form.is_valid():
        try:
            services.member_add(household=household, added_by=request.user, **form.service_data())
        except Refused as refusal:
            status = put_errors(refusal, form)
        else:
            messages.success(request, _("The member was added."))
            return redirect("households:detail", household.pk)
    view = selectors.household_detail(user=request.user, household=household)
    return render(
        request,
        "households/household_detail.html",
        {
            "household": household,
            "view": view,
            "can_edit": True,
            "member_form": form,
            "member_form_open": True,
            "can_open_case": False,
        },
        status=status,
    )


def _member(request: AuthedRequest, household_id: int, member_id: int) -> Member:
    household = _changeable(request, household_id)
    member = Member.objects.filter(household=household, pk=member_id).first()
    if member is None:
        raise Http404
    return member


@login_required
@require_POST
def member_update_view(request: AuthedRequest, household_id: int, member_id: int) -> HttpResponse:
    member = _member(request, household_id, member_id)
    form = MemberUpdateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a relation and a schooling from the lists."))
    else:
        try:
            services.member_update(member=member, updated_by=request.user, **form.cleaned_data)
        except Refused as refusal:
            for found in (refusal.fields or {"": [refusal.message]}).values():
                for message in found:
                    messages.error(request, message)
        else:
            messages.success(request, _("The member was changed."))
    return redirect("households:detail", household_id)


@login_required
@require_POST
def member_remove_view(request: AuthedRequest, household_id: int, member_id: int) -> HttpResponse:
    member = _member(request, household_id, member_id)
    try:
        services.member_remove(member=member, removed_by=request.user)
    except Refused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request, _("The member was taken out of the household; the person stays recorded.")
        )
    return redirect("households:detail", household_id)
