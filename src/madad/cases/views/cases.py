"""The case list, one case, opening a case for a household and changing a case."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from madad import access
from madad.access.cases import may_approve_cases, may_see_cases, may_work_on_cases
from madad.access.roles import Capability
from madad.cases import selectors, services, workflow
from madad.cases.forms import (
    ApprovalRequestForm,
    AssignForm,
    CaseEditForm,
    CaseFilterForm,
    CaseOpenForm,
    DecisionForm,
    NoteForm,
    ReopenForm,
    TaskForm,
)
from madad.cases.models import ApprovalRequest, Case
from madad.cases.views.common import get_case_for_user, get_case_to_change
from madad.core.forms import INVALID_FORM_STATUS, form_errors
from madad.core.http import AuthedRequest
from madad.core.refusals import Refused
from madad.households.models import Household

PAGE_SIZE = 25


@login_required
@require_GET
def case_list_view(request: AuthedRequest) -> HttpResponse:
    if not may_see_cases(request.user):
        raise Http404
    form = CaseFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    page = Paginator(selectors.case_list(user=request.user, filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    names = selectors.head_names(request.user, list(page))
    template = (
        "cases/_case_rows.html" if getattr(request, "htmx", False) else "cases/case_list.html"
    )
    return render(
        request,
        template,
        {"form": form, "page": page, "names": names, "today": timezone.localdate()},
    )


def detail_context(request: AuthedRequest, case: Case, **forms: Any) -> dict[str, Any]:
    """Everything the case page shows; `forms` replaces a form that came back with errors."""
    user = request.user
    view = selectors.case_detail(user=user, case=case)
    can_edit = access.can_change(user, case)
    active = not case.is_closed
    approver = may_approve_cases(user)
    asks = []
    if can_edit and active:
        for kind in workflow.approvals_possible(case.status):
            if kind not in view.pending:
                asks.append(
                    {
                        "kind": kind,
                        "label": ApprovalRequest.Kind(kind).label,
                        "blocked": kind == ApprovalRequest.Kind.AGREE_PLAN and not case.plan,
                        "form": forms.get(f"ask_{kind}")
                        or ApprovalRequestForm(
                            initial={"kind": kind, "version": case.version},
                            auto_id=f"id_ask_{kind}_%s",
                        ),
                    }
                )
    pending = [
        {
            "approval": a,
            "may_decide": approver and a.requested_by_id != user.pk,
            "own": a.requested_by_id == user.pk,
            "may_withdraw": can_edit and (a.requested_by_id == user.pk or approver),
            "form": forms.get(f"decide_{a.pk}") or DecisionForm(auto_id=f"id_decide_{a.pk}_%s"),
        }
        for a in view.approvals
        if a.is_pending
    ]
    return {
        "case": case,
        "case_view": view,
        "household": case.household,
        "names": selectors.head_names(user, [case]),
        "can_edit_case": can_edit,
        # an open case is marked assessed by recording its assessment, not by a button
        "moves": [
            m for m in workflow.direct_moves(case.status) if m.to_status != Case.Status.ASSESSED
        ]
        if can_edit
        else [],
        "asks": asks,
        "pending": pending,
        "reopen_form": forms.get("reopen") or ReopenForm(initial={"version": case.version})
        if can_edit and not active
        else None,
        "assign_form": forms.get("assign")
        or AssignForm(
            user=user,
            initial={"version": case.version, "caseworker": case.caseworker_id},
            auto_id="id_assign_%s",
        )
        if can_edit and active and access.can(user, Capability.CASE_VIEW_ALL)
        else None,
        "note_form": forms.get("note") or NoteForm() if can_edit else None,
        "task_form": forms.get("task") or TaskForm(case=case, auto_id="id_task_%s")
        if can_edit and active
        else None,
    }


@login_required
@require_GET
def case_detail_view(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = get_case_for_user(request, case_id)
    return render(request, "cases/case_detail.html", detail_context(request, case))


def render_detail(
    request: AuthedRequest,
    case: Case,
    *,
    status: int = INVALID_FORM_STATUS,
    forms: dict[str, Any] | None = None,
) -> HttpResponse:
    """The case page again, with a form that came back with errors (`forms`: by the name
    detail_context gives it)."""
    case.refresh_from_db()
    return render(
        request,
        "cases/case_detail.html",
        detail_context(request, case, **(forms or {})),
        status=status,
    )


@login_required
def case_open_view(request: AuthedRequest, household_id: int) -> HttpResponse:
    """Opens a case for a household the user may see and change."""
    if not may_work_on_cases(request.user):
        raise Http404
    household = access.get_visible_or_404(request.user, Household, pk=household_id)
    status = 200
    form = CaseOpenForm(request.POST or None, user=request.user)
    if request.method == "POST":
        status = INVALID_FORM_STATUS
        if form.is_valid():
            try:
                case = services.case_open(
                    household=household, opened_by=request.user, **form.cleaned_data
                )
            except Refused as refusal:
                status = form_errors(form, refusal)
            else:
                messages.success(request, _("The case is open. Record a needs assessment next."))
                if access.visible_to(request.user, Case).filter(pk=case.pk).exists():
                    return redirect("cases:detail", case.pk)
                return redirect("households:detail", household.pk)
    return render(
        request, "cases/case_open.html", {"form": form, "household": household}, status=status
    )


@login_required
def case_edit_view(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = get_case_to_change(request, case_id)
    if case.is_closed:
        messages.error(request, _("The case is closed. Reopen it first."))
        return redirect("cases:detail", case.pk)
    plan_editable = case.status in workflow.PLAN_EDITABLE
    status = 200
    if request.method == "POST":
        form = CaseEditForm(request.POST, plan_editable=plan_editable)
        status = INVALID_FORM_STATUS
        if form.is_valid():
            changes = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            try:
                services.case_update(
                    case=case,
                    updated_by=request.user,
                    expected_version=form.cleaned_data["version"],
                    **changes,
                )
            except Refused as refusal:
                status = form_errors(form, refusal)
            else:
                messages.success(request, _("Your changes were saved."))
                return redirect("cases:detail", case.pk)
    else:
        plan = (
            access.reveal(request.user, case, wanted=["plan"], action="case.plan.viewed").get(
                "plan", ""
            )
            if case.plan and plan_editable
            else ""
        )
        form = CaseEditForm(
            plan_editable=plan_editable,
            initial={
                "version": case.version,
                "risk": case.risk,
                "next_follow_up": case.next_follow_up,
                "plan": plan,
            },
        )
    return render(request, "cases/case_edit.html", {"form": form, "case": case}, status=status)
