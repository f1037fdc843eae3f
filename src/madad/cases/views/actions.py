"""What is done on a case's page: moves of the status, approvals asked and decided, reopening,
assigning, notes, tasks and needs assessments. Each is a POST that answers with the case page:
a redirect when it worked, the page with the form's errors (422) or the refusal (409) when not.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from madad import access
from madad.access.cases import may_approve_cases
from madad.cases import services
from madad.cases.errors import CaseRefused
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


def _done(request: HttpRequest, case: Case, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("cases:detail", case.pk)


def _refused(request: HttpRequest, case: Case, refused: CaseRefused) -> HttpResponse:
    messages.error(request, refused.message)
    return render_detail(request, case, status=409 if refused.is_conflict else 403)


def _put_errors(form: Any, exc: ValidationError) -> None:
    for name, found in exc.message_dict.items():
        for message in found:
            form.add_error(name if name in form.fields else None, message)


@login_required
@require_POST
def transition_view(request: HttpRequest, case_id: int) -> HttpResponse:
    case = get_case_to_change(request, case_id)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the moves offered."))
        return render_detail(request, case)
    try:
        services.case_transition(
            case=case,
            to_status=form.cleaned_data["to_status"],
            by=request.user,  # type: ignore[arg-type]
            expected_version=form.cleaned_data["version"],
        )
    except CaseRefused as refused:
        return _refused(request, case, refused)
    return _done(
        request, case, _("The case is now “%(status)s”.") % {"status": case.get_status_display()}
    )


@login_required
@require_POST
def approval_request_view(request: HttpRequest, case_id: int) -> HttpResponse:
    case = get_case_to_change(request, case_id)
    form = ApprovalRequestForm(request.POST)
    if not form.is_valid():
        kind = request.POST.get("kind", "")
        return render_detail(
            request,
            case,
            forms={f"ask_{kind}": form} if kind in ApprovalRequest.Kind.values else None,
        )
    try:
        services.approval_request(
            case=case,
            kind=form.cleaned_data["kind"],
            requested_by=request.user,  # type: ignore[arg-type]
            note=form.cleaned_data["note"],
            expected_version=form.cleaned_data["version"],
        )
    except CaseRefused as refused:
        return _refused(request, case, refused)
    except ValidationError as exc:
        _put_errors(form, exc)
        return render_detail(request, case, forms={f"ask_{form.cleaned_data['kind']}": form})
    return _done(request, case, _("Your request is waiting for a coordinator."))


def _approval(case: Case, approval_id: int) -> ApprovalRequest:
    approval = ApprovalRequest.objects.filter(case=case, pk=approval_id).first()
    if approval is None:
        raise Http404
    return approval


@login_required
@require_POST
def approval_decide_view(request: HttpRequest, case_id: int, approval_id: int) -> HttpResponse:
    case = get_case_to_change(request, case_id)
    if not may_approve_cases(request.user):
        raise Http404
    approval = _approval(case, approval_id)
    form = DecisionForm(request.POST, auto_id=f"id_decide_{approval.pk}_%s")
    if not form.is_valid():
        return render_detail(request, case, forms={f"decide_{approval.pk}": form})
    approve = form.cleaned_data["decision"] == "approve"
    try:
        services.approval_decide(
            approval=approval,
            decided_by=request.user,  # type: ignore[arg-type]
            approve=approve,
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as exc:
        _put_errors(form, exc)
        return render_detail(request, case, forms={f"decide_{approval.pk}": form})
    except CaseRefused as refused:
        return _refused(request, case, refused)
    return _done(
        request, case, _("Approved.") if approve else _("Refused; the caseworker sees your reason.")
    )


@login_required
@require_POST
def approval_withdraw_view(request: HttpRequest, case_id: int, approval_id: int) -> HttpResponse:
    case = get_case_to_change(request, case_id)
    approval = _approval(case, approval_id)
    try:
        services.approval_withdraw(approval=approval, withdrawn_by=request.user)  # type: ignore[arg-type]
    except CaseRefused as refused:
        return _refused(request, case, refused)
    return _done(request, case, _("The request was withdrawn."))


@login_required
@require_POST
def reopen_view(request: HttpRequest, case_id: int) -> HttpResponse:
    case = get_case_to_change(request, case_id)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        return render_detail(request, case, forms={"reopen": form})
    try:
        services.case_reopen(
            case=case,
            by=request.user,  # type: ignore[arg-type]
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"],
        )
    except ValidationError as exc:
        _put_errors(form, exc)
        return render_detail(request, case, forms={"reopen": form})
    except CaseRefused as refused:
        return _refused(request, case, refused)
    return _done(
        request,
        case,
        _("The case is reopened as a new episode: assess the needs and agree a plan again."),
    )


@login_required
@require_POST
def assign_view(request: HttpRequest, case_id: int) -> HttpResponse:
    case = get_case_to_change(request, case_id)
    form = AssignForm(
        request.POST,
        user=request.user,  # type: ignore[arg-type]
        auto_id="id_assign_%s",
    )
    if not form.is_valid():
        return render_detail(request, case, forms={"assign": form})
    try:
        services.case_assign(
            case=case,
            caseworker=form.cleaned_data["caseworker"],
            assigned_by=request.user,  # type: ignore[arg-type]
            expected_version=form.cleaned_data["version"],
        )
    except ValidationError as exc:
        _put_errors(form, exc)
        return render_detail(request, case, forms={"assign": form})
    except CaseRefused as refused:
        return _refused(request, case, refused)
    return _done(request, case, _("The case was assigned."))


@login_required
@require_POST
def note_add_view(request: HttpRequest, case_id: int) -> HttpResponse:
    case = get_case_to_change(request, case_id)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return render_detail(request, case, forms={"note": form})
    try:
        services.note_add(
            case=case,
            written_by=request.user,  # type: ignore[arg-type]
            **form.cleaned_data,
        )
    except ValidationError as exc:
        _put_errors(form, exc)
        return render_detail(request, case, forms={"note": form})
    return _done(request, case, _("The note was added."))


@login_required
@require_POST
def task_add_view(request: HttpRequest, case_id: int) -> HttpResponse:
    case = get_case_to_change(request, case_id)
    form = TaskForm(request.POST, case=case, auto_id="id_task_%s")
    if not form.is_valid():
        return render_detail(request, case, forms={"task": form})
    try:
        services.task_add(
            case=case,
            added_by=request.user,  # type: ignore[arg-type]
            **form.cleaned_data,
        )
    except ValidationError as exc:
        _put_errors(form, exc)
        return render_detail(request, case, forms={"task": form})
    except CaseRefused as refused:
        return _refused(request, case, refused)
    return _done(request, case, _("The task was added."))


@login_required
@require_POST
def task_done_view(request: HttpRequest, case_id: int, task_id: int) -> HttpResponse:
    case = get_case_to_change(request, case_id)
    task = access.visible_to(request.user, Task).filter(case=case, pk=task_id).first()
    if task is None:
        raise Http404
    try:
        services.task_done(task=task, done_by=request.user)  # type: ignore[arg-type]
    except CaseRefused as refused:
        messages.info(request, refused.message)
    else:
        messages.success(request, _("Done."))
    if request.POST.get("next") == "day":
        return redirect("cases:my_day")
    return redirect("cases:detail", case.pk)


@login_required
def assessment_view(request: HttpRequest, case_id: int) -> HttpResponse:
    """Records a needs assessment (the first one of an open case marks it assessed)."""
    case = get_case_to_change(request, case_id)
    if case.is_closed:
        messages.error(request, _("The case is closed. Reopen it first."))
        return redirect("cases:detail", case.pk)
    status = 200
    form = AssessmentForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.assessment_record(
                    case=case,
                    assessed_by=request.user,  # type: ignore[arg-type]
                    needs=form.needs(),
                    summary=form.cleaned_data["summary"],
                )
            except ValidationError as exc:
                _put_errors(form, exc)
            except CaseRefused as refused:
                form.add_error(None, refused.message)
            else:
                return _done(request, case, _("The assessment was recorded."))
        status = 422
    latest = case.assessments.order_by("-assessed_at", "-id").first()
    if request.method != "POST" and latest is not None:
        form = AssessmentForm(initial={f"need_{n.need}": n.severity for n in latest.needs.all()})
    return render(
        request, "cases/assessment_form.html", {"form": form, "case": case}, status=status
    )
