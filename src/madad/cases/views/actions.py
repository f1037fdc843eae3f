"""What is done on a case's page: moves of the status, approvals asked and decided, reopening,
assigning, notes, tasks and needs assessments. Each is a POST that answers with the case page:
a redirect when it worked, else the page again with the form's errors (422) or the service's
refusal (its status: 403, 409 or 422).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from madad import access
from madad.access.cases import may_approve_cases
from madad.cases import services
from madad.cases.forms import (
    ApprovalRequestForm,
    AssessmentForm,
    AssignForm,
    DecisionForm,
    NoteForm,
    ReopenForm,
    TaskForm,
    TransitionForm,
)
from madad.cases.models import ApprovalRequest, Case, Task
from madad.cases.views.cases import render_detail
from madad.cases.views.common import get_case_to_change
from madad.core.forms import INVALID_FORM_STATUS, form_errors
from madad.core.http import AuthedRequest
from madad.core.refusals import Invalid, Refused


def _done(request: AuthedRequest, case: Case, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("cases:detail", case.pk)


def _act(
    request: AuthedRequest,
    case: Case,
    action: Callable[[], Any],
    done: str,
    *,
    form: forms.BaseForm | None = None,
    name: str = "",
) -> HttpResponse:
    """Runs the service; when it refuses, the case page again: bad input on the form that led
    to it (by `name`, as detail_context knows it), any other refusal as a message."""
    try:
        action()
    except Refused as refusal:
        if form is not None and isinstance(refusal, Invalid):
            status = form_errors(form, refusal)
            return render_detail(request, case, status=status, forms={name: form})
        messages.error(request, refusal.message)
        return render_detail(request, case, status=refusal.status)
    return _done(request, case, done)


def _invalid(request: AuthedRequest, case: Case, form: forms.BaseForm, name: str) -> HttpResponse:
    return render_detail(request, case, status=INVALID_FORM_STATUS, forms={name: form})


def _form_action(
    request: AuthedRequest,
    case: Case,
    form: forms.Form,
    name: str,
    action: Callable[[dict[str, Any]], object],
    done: str,
) -> HttpResponse:
    """A posted form checked, then the service called with its cleaned data (`_act`)."""
    if not form.is_valid():
        return _invalid(request, case, form, name)
    return _act(request, case, lambda: action(form.cleaned_data), done, form=form, name=name)


@login_required
@require_POST
def transition_view(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = get_case_to_change(request, case_id)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the moves offered."))
        return render_detail(request, case)
    try:
        services.case_transition(
            case=case,
            to_status=form.cleaned_data["to_status"],
            by=request.user,
            expected_version=form.cleaned_data["version"],
        )
    except Refused as refusal:
        messages.error(request, refusal.message)
        return render_detail(request, case, status=refusal.status)
    return _done(
        request, case, _("The case is now “%(status)s”.") % {"status": case.get_status_display()}
    )


@login_required
@require_POST
def approval_request_view(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = get_case_to_change(request, case_id)
    kind = request.POST.get("kind", "")
    return _form_action(
        request,
        case,
        ApprovalRequestForm(request.POST),
        f"ask_{kind}" if kind in ApprovalRequest.Kind.values else "",
        lambda data: services.approval_request(
            case=case,
            kind=data["kind"],
            requested_by=request.user,
            note=data["note"],
            expected_version=data["version"],
        ),
        _("Your request is waiting for a coordinator."),
    )


def _approval(case: Case, approval_id: int) -> ApprovalRequest:
    approval = ApprovalRequest.objects.filter(case=case, pk=approval_id).first()
    if approval is None:
        raise Http404
    return approval


@login_required
@require_POST
def approval_decide_view(request: AuthedRequest, case_id: int, approval_id: int) -> HttpResponse:
    case = get_case_to_change(request, case_id)
    if not may_approve_cases(request.user):
        raise Http404
    approval = _approval(case, approval_id)
    form = DecisionForm(request.POST, auto_id=f"id_decide_{approval.pk}_%s")
    name = f"decide_{approval.pk}"
    if not form.is_valid():
        return _invalid(request, case, form, name)
    approve = form.cleaned_data["decision"] == "approve"
    return _act(
        request,
        case,
        lambda: services.approval_decide(
            approval=approval,
            decided_by=request.user,
            approve=approve,
            reason=form.cleaned_data["reason"],
        ),
        _("Approved.") if approve else _("Refused; the caseworker sees your reason."),
        form=form,
        name=name,
    )


@login_required
@require_POST
def approval_withdraw_view(request: AuthedRequest, case_id: int, approval_id: int) -> HttpResponse:
    case = get_case_to_change(request, case_id)
    approval = _approval(case, approval_id)
    return _act(
        request,
        case,
        lambda: services.approval_withdraw(approval=approval, withdrawn_by=request.user),
        _("The request was withdrawn."),
    )


@login_required
@require_POST
def reopen_view(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = get_case_to_change(request, case_id)
    return _form_action(
        request,
        case,
        ReopenForm(request.POST),
        "reopen",
        lambda data: services.case_reopen(
            case=case, by=request.user, reason=data["reason"], expected_version=data["version"]
        ),
        _("The case is reopened as a new episode: assess the needs and agree a plan again."),
    )


@login_required
@require_POST
def assign_view(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = get_case_to_change(request, case_id)
    return _form_action(
        request,
        case,
        AssignForm(request.POST, user=request.user, auto_id="id_assign_%s"),
        "assign",
        lambda data: services.case_assign(
            case=case,
            caseworker=data["caseworker"],
            assigned_by=request.user,
            expected_version=data["version"],
        ),
        _("The case was assigned."),
    )


@login_required
@require_POST
def note_add_view(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = get_case_to_change(request, case_id)
    return _form_action(
        request,
        case,
        NoteForm(request.POST),
        "note",
        lambda data: services.note_add(case=case, written_by=request.user, **data),
        _("The note was added."),
    )


@login_required
@require_POST
def task_add_view(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = get_case_to_change(request, case_id)
    return _form_action(
        request,
        case,
        TaskForm(request.POST, case=case, auto_id="id_task_%s"),
        "task",
        lambda data: services.task_add(case=case, added_by=request.user, **data),
        _("The task was added."),
    )


@login_required
@require_POST
def task_done_view(request: AuthedRequest, case_id: int, task_id: int) -> HttpResponse:
    case = get_case_to_change(request, case_id)
    task = access.visible_to(request.user, Task).filter(case=case, pk=task_id).first()
    if task is None:
        raise Http404
    try:
        services.task_done(task=task, done_by=request.user)
    except Refused as refusal:
        messages.info(request, refusal.message)
    else:
        messages.success(request, _("Done."))
    if request.POST.get("next") == "day":
        return redirect("cases:my_day")
    return redirect("cases:detail", case.pk)


@login_required
def assessment_view(request: AuthedRequest, case_id: int) -> HttpResponse:
    """Records a needs assessment (the first one of an open case marks it assessed)."""
    case = get_case_to_change(request, case_id)
    if case.is_closed:
        messages.error(request, _("The case is closed. Reopen it first."))
        return redirect("cases:detail", case.pk)
    status = 200
    form = AssessmentForm(request.POST or None)
    if request.method == "POST":
        status = INVALID_FORM_STATUS
        if form.is_valid():
            try:
                services.assessment_record(
                    case=case,
                    assessed_by=request.user,
                    needs=form.needs(),
                    summary=form.cleaned_data["summary"],
                )
            except Refused as refusal:
                status = form_errors(form, refusal)
            else:
                return _done(request, case, _("The assessment was recorded."))
    latest = case.assessments.order_by("-assessed_at", "-id").first()
    if request.method != "POST" and latest is not None:
        form = AssessmentForm(initial={f"need_{n.need}": n.severity for n in latest.needs.all()})
    return render(
        request, "cases/assessment_form.html", {"form": form, "case": case}, status=status
    )
