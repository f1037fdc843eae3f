"""Staff pages: the household list, one household, registering and changing one, and its
members. Every page asks madad.access; a household the user may not see answers 404."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from madad import access
from madad.access.cases import may_work_on_cases
from madad.access.households import may_register_households, may_see_households
from madad.accounts.models import User
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


def _user(request: HttpRequest) -> User:
    """The signed-in user (login_required let nobody else in)."""
    return cast(User, request.user)


def get_household_for_user(request: HttpRequest, household_id: int) -> Household:
    """The household, if this user may see it; 404 otherwise (audited when it exists)."""
    return access.get_visible_or_404(request.user, Household, request=request, pk=household_id)


def _changeable(request: HttpRequest, household_id: int) -> Household:
    household = get_household_for_user(request, household_id)
    if not access.can_change(request.user, household):
        raise Http404
    return household


def put_errors(exc: ValidationError, form: Any, members: list[Any] | None = None) -> None:
    """Puts a service's errors ("address", "members.0.relation") on the form fields."""
    for key, found in exc.message_dict.items():
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


# --- list and detail ------------------------------------------------------------------------
@login_required
@require_GET
def household_list_view(request: HttpRequest) -> HttpResponse:
    if not may_see_households(request.user):
        raise Http404
    form = HouseholdFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = Paginator(
        selectors.household_list(user=request.user, filters=filters), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    names = selectors.head_names(user=request.user, households=list(page), request=request)
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
def household_detail_view(request: HttpRequest, household_id: int) -> HttpResponse:
    household = get_household_for_user(request, household_id)
    view = selectors.household_detail(user=_user(request), household=household, request=request)
    can_edit = access.can_change(request.user, household)
    return render(
        request,
        "households/household_detail.html",
        {
            "household": household,
            "view": view,
            "can_edit": can_edit,
            "member_form": MemberForm(user=_user(request), auto_id="id_member_%s")
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
def household_create_view(request: HttpRequest) -> HttpResponse:
    if not may_register_households(request.user):
        raise Http404
    data, adding = _with_added_row(request)
    form = HouseholdCreateForm(data)
    members = MemberFormSet(data, prefix="members", form_kwargs={"user": request.user})
    status = 200
    if data is not None and not adding:
        if all([form.is_valid(), members.is_valid()]):
            rows = members.changed_forms()  # type: ignore[attr-defined]
            try:
                household = services.household_create(
                    organisation=request.user.organisation,  # type: ignore[union-attr]
                    created_by=request.user,  # type: ignore[arg-type]
                    members=[row.service_data() for row in rows],
                    link_member_acts=form.cleaned_data["link_member_acts"],
                    **form.service_data(),
                )
            except ValidationError as exc:
                put_errors(exc, form, rows)
            else:
                messages.success(request, _("The household is registered."))
                return redirect("households:detail", household.pk)
        status = 422
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
def household_edit_view(request: HttpRequest, household_id: int) -> HttpResponse:
    household = _changeable(request, household_id)
    candidates = selectors.candidate_acts(user=request.user, household=household)  # type: ignore[arg-type]
    status = 200
    may_read_address = "address" in access.readable_fields(request.user, Household)
    if request.method == "POST":
        form = HouseholdEditForm(request.POST, acts=candidates)
        if not may_read_address:
            del form.fields["address"]  # not offered, so never blanked
        if form.is_valid():
            # acts linked already that this user cannot see stay linked
            hidden = household.affected_by.exclude(pk__in=candidates.order_by().values("pk"))
            try:
                services.household_update(
                    household=household,
                    updated_by=request.user,  # type: ignore[arg-type]
                    expected_version=form.cleaned_data["version"],
                    acts=[*form.cleaned_data["acts"], *hidden],
                    **form.service_data(),
                )
            except services.StaleEdit as stale:
                form.add_error(None, stale.message)
                status = 409
            except ValidationError as exc:
                put_errors(exc, form)
                status = 422
            else:
                messages.success(request, _("Your changes were saved."))
                return redirect("households:detail", household.pk)
        else:
            status = 422
    else:
        shown = (
            access.reveal(
                request.user,
                household,
                request=request,  # type: ignore[arg-type]
                wanted=["address"],
                action="household.address.viewed",
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
def member_add_view(request: HttpRequest, household_id: int) -> HttpResponse:
    household = _changeable(request, household_id)
    form = MemberForm(request.POST, user=_user(request), auto_id="id_member_%s")
    if form.is_valid():
        try:
            services.member_add(
                household=household,
                added_by=request.user,  # type: ignore[arg-type]
                **form.service_data(),
            )
        except (ValidationError, services.StaleEdit) as exc:
            if isinstance(exc, ValidationError):
                put_errors(exc, form)
            else:
                form.add_error(None, exc.message)
        else:
            messages.success(request, _("The member was added."))
            return redirect("households:detail", household.pk)
    view = selectors.household_detail(user=_user(request), household=household, request=request)
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
        status=422,
    )


def _member(request: HttpRequest, household_id: int, member_id: int) -> Member:
    household = _changeable(request, household_id)
    member = Member.objects.filter(household=household, pk=member_id).first()
    if member is None:
        raise Http404
    return member


@login_required
@require_POST
def member_update_view(request: HttpRequest, household_id: int, member_id: int) -> HttpResponse:
    member = _member(request, household_id, member_id)
    form = MemberUpdateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a relation and a schooling from the lists."))
    else:
        try:
            services.member_update(
                member=member,
                updated_by=request.user,  # type: ignore[arg-type]
                **form.cleaned_data,
            )
        except ValidationError as exc:
            for found in exc.message_dict.values():
                for message in found:
                    messages.error(request, message)
        except services.StaleEdit as stale:
            messages.error(request, stale.message)
        else:
            messages.success(request, _("The member was changed."))
    return redirect("households:detail", household_id)


@login_required
@require_POST
def member_remove_view(request: HttpRequest, household_id: int, member_id: int) -> HttpResponse:
    member = _member(request, household_id, member_id)
    try:
        services.member_remove(member=member, removed_by=request.user)  # type: ignore[arg-type]
    except services.StaleEdit as stale:
        messages.error(request, stale.message)
    else:
        messages.success(
            request, _("The member was taken out of the household; the person stays recorded.")
        )
    return redirect("households:detail", household_id)
