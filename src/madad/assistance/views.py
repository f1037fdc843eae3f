"""Staff pages for assistance: the panel on the case page, one item, its actions (request,
approve, cancel, disburse, confirm receipt), the approvals waiting for the user, finance's
queue of items to pay out, and the limits per kind."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from madad import access
from madad.access.assistance import (
    DISBURSEMENT_FIELDS,
    may_approve_assistance,
    may_edit_limits,
    may_record_disbursements,
    may_request_assistance,
    may_see_case_of,
    may_see_disbursement,
)
from madad.accounts.models import User
from madad.assistance import selectors, services
from madad.assistance.forms import (
    AssistanceRequestForm,
    CancelForm,
    DisburseForm,
    LimitForm,
    VersionForm,
)
from madad.assistance.models import Assistance, DisbursementMethod, Kind
from madad.cases.models import Case
from madad.core.forms import INVALID_FORM_STATUS, form_errors
from madad.core.http import AuthedRequest
from madad.core.refusals import Refused

S = Assistance.Status


# --- access helpers (the first line of every view) ------------------------------------------
def _case_for_user(request: AuthedRequest, case_id: int) -> Case:
    return access.get_visible_or_404(request.user, Case, pk=case_id)


def _assistance_for_user(request: AuthedRequest, assistance_id: int) -> Assistance:
    return access.get_visible_or_404(request.user, Assistance, pk=assistance_id)


def case_assistance_url(case_id: int) -> str:
    """The assistance panel on the case's page."""
    return reverse("cases:detail", args=[case_id]) + "#assistance"


# --- the panel on a case page ---------------------------------------------------------------
def case_panel(user: User, case: Case, form: AssistanceRequestForm | None = None) -> dict[str, Any]:
    """What the assistance panel of a case page shows this user: the items, what they may do
    to each, and a request form while the case's plan is agreed."""
    rows = []
    for item in selectors.assistance_list(user=user, case=case):
        refusal = (
            services.approval_refusal(assistance=item, approver=user)
            if item.status == S.REQUESTED and may_approve_assistance(user)
            else None
        )
        rows.append(
            {
                "item": item,
                "may_approve": item.status == S.REQUESTED
                and may_approve_assistance(user)
                and refusal is None,
                "approve_refusal": refusal,
                "may_confirm": item.status == S.DISBURSED
                and may_request_assistance(user)
                and item.disbursed_by_id != user.pk,
            }
        )
    may_request = may_request_assistance(user)
    requestable = case.status in services.REQUESTABLE_CASE_STATUSES
    return {
        "case": case,
        "rows": rows,
        "totals": selectors.case_totals(user=user, case=case),
        "may_request": may_request,
        "requestable": requestable,
        "form": (form or AssistanceRequestForm()) if may_request and requestable else None,
    }


@require_POST
@login_required
def assistance_request(request: AuthedRequest, case_id: int) -> HttpResponse:
    """Requests assistance from the case page's panel; a form with errors comes back on a page
    of its own."""
    case = _case_for_user(request, case_id)
    if not may_request_assistance(request.user):
        raise Http404
    form = AssistanceRequestForm(request.POST)
    status = INVALID_FORM_STATUS
    if form.is_valid():
        try:
            item = services.assistance_request(
                case=case,
                requested_by=request.user,
                kind=form.cleaned_data["kind"],
                amount=form.cleaned_data["amount"],
                in_kind=form.cleaned_data["in_kind"],
                purpose=form.cleaned_data["purpose"],
            )
        except Refused as refusal:
            status = form_errors(form, refusal)
        else:
            messages.success(
                request,
                _("Assistance %(id)s was requested. Somebody else must approve it.")
                % {"id": item.pk},
            )
            return redirect(case_assistance_url(case.pk))
    return render(
        request,
        "assistance/assistance_request.html",
        {"case": case, "panel": case_panel(request.user, case, form)},
        status=status,
    )


# --- one item -------------------------------------------------------------------------------
@login_required
def assistance_detail(request: AuthedRequest, assistance_id: int) -> HttpResponse:
    item = _assistance_for_user(request, assistance_id)
    user = request.user
    details: dict[str, Any] = {}
    if item.status in (S.DISBURSED, S.RECEIPT_CONFIRMED) and may_see_disbursement(user, item):
        details = access.reveal(
            user, item, wanted=sorted(DISBURSEMENT_FIELDS), action="assistance.disbursement.viewed"
        )
    sees_case = may_see_case_of(user, item)
    refusal = services.approval_refusal(assistance=item, approver=user)
    may_cancel = (
        item.status in (S.REQUESTED, S.APPROVED)
        and sees_case
        and (
            may_approve_assistance(user)
            or (item.requested_by_id == user.pk and may_request_assistance(user))
        )
    )
    return render(
        request,
        "assistance/assistance_detail.html",
        {
            "item": item,
            "sees_case": sees_case,
            "case_url": case_assistance_url(item.case_id) if sees_case else None,
            "details": details,
            "method_label": dict(DisbursementMethod.choices).get(
                details.get("disbursement_method", ""), ""
            ),
            "may_approve": item.status == S.REQUESTED and refusal is None,
            "approve_refusal": refusal
            if item.status == S.REQUESTED and may_approve_assistance(user)
            else None,
            "may_cancel": may_cancel,
            "cancel_form": CancelForm(initial={"version": item.version}) if may_cancel else None,
            "disburse_form": DisburseForm(
                initial={"version": item.version, "method": "goods_delivered"}
            )
            if item.status == S.APPROVED and may_record_disbursements(user) and item.amount is None
            else None,
            "pay_url": reverse("fund:disburse", args=[item.pk])
            if item.status == S.APPROVED
            and may_record_disbursements(user)
            and item.amount is not None
            else None,
            "may_confirm": item.status == S.DISBURSED
            and sees_case
            and may_request_assistance(user)
            and item.disbursed_by_id != user.pk,
        },
    )


def _act(
    request: AuthedRequest,
    form: forms.Form,
    action: Callable[[int], object],
    done: str,
    back: str,
) -> HttpResponse:
    """Runs one action on an item from a posted form (`action` takes the version the user
    saw); bad input, a refusal or a conflict is a message on the page the user came from."""
    if not form.is_valid():
        errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
        messages.error(request, " ".join(errors) or _("The form has errors."))
        return redirect(back)
    try:
        action(form.cleaned_data["version"])
    except Refused as refusal:
        found = [m for messages_ in refusal.fields.values() for m in messages_]
        messages.error(request, " ".join(found) or refusal.message)
    else:
        messages.success(request, done)
    return redirect(back)


def _back(request: AuthedRequest, item: Assistance) -> str:
    """Back to the case page when the action came from it, else to the item."""
    if request.POST.get("back") == "case" and may_see_case_of(request.user, item):
        return case_assistance_url(item.case_id)
    if request.POST.get("back") == "approvals":
        return reverse("assistance:approvals")
    return reverse("assistance:detail", args=[item.pk])


@require_POST
@login_required
def assistance_approve(request: AuthedRequest, assistance_id: int) -> HttpResponse:
    item = _assistance_for_user(request, assistance_id)
    if not may_approve_assistance(request.user):
        raise Http404
    return _act(
        request,
        VersionForm(request.POST),
        lambda version: services.assistance_approve(
            assistance=item, approver=request.user, expected_version=version
        ),
        _("Assistance %(id)s was approved.") % {"id": item.pk},
        _back(request, item),
    )


@require_POST
@login_required
def assistance_cancel(request: AuthedRequest, assistance_id: int) -> HttpResponse:
    item = _assistance_for_user(request, assistance_id)
    if not (may_request_assistance(request.user) or may_approve_assistance(request.user)):
        raise Http404  # as for approving: finance sees approved items but does not cancel them
    form = CancelForm(request.POST)
    return _act(
        request,
        form,
        lambda version: services.assistance_cancel(
            assistance=item,
            cancelled_by=request.user,
            reason=form.cleaned_data["reason"],
            expected_version=version,
        ),
        _("Assistance %(id)s was cancelled.") % {"id": item.pk},
        _back(request, item),
    )


@require_POST
@login_required
def assistance_hand_over(request: AuthedRequest, assistance_id: int) -> HttpResponse:
    item = _assistance_for_user(request, assistance_id)
    if not may_record_disbursements(request.user):
        raise Http404
    form = DisburseForm(request.POST)
    return _act(
        request,
        form,
        lambda version: services.assistance_hand_over(
            assistance=item,
            handed_over_by=request.user,
            method=form.cleaned_data["method"],
            reference=form.cleaned_data["reference"],
            expected_version=version,
        ),
        _("The hand-over of assistance %(id)s was recorded.") % {"id": item.pk},
        reverse("assistance:detail", args=[item.pk]),
    )


@require_POST
@login_required
def assistance_confirm_receipt(request: AuthedRequest, assistance_id: int) -> HttpResponse:
    item = _assistance_for_user(request, assistance_id)
    if not may_see_case_of(request.user, item):
        raise Http404
    return _act(
        request,
        VersionForm(request.POST),
        lambda version: services.assistance_confirm_receipt(
            assistance=item, confirmed_by=request.user, expected_version=version
        ),
        _("The family's receipt of assistance %(id)s was recorded.") % {"id": item.pk},
        _back(request, item),
    )


# --- queues ---------------------------------------------------------------------------------
@login_required
def approvals(request: AuthedRequest) -> HttpResponse:
    if not may_approve_assistance(request.user):
        raise Http404
    page = Paginator(selectors.awaiting_approval(user=request.user), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "assistance/approvals.html", {"page": page})


@login_required
def disbursements(request: AuthedRequest) -> HttpResponse:
    if not may_record_disbursements(request.user):
        raise Http404
    page = Paginator(selectors.to_hand_over(user=request.user), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "assistance/disbursements.html",
        {"page": page, "fund_url": reverse("fund:disbursements")},
    )


# --- limits ---------------------------------------------------------------------------------
@login_required
def limits(request: AuthedRequest) -> HttpResponse:
    user = request.user
    if not may_edit_limits(user):
        raise Http404
    bound: dict[str, LimitForm] = {}
    status = 200
    if request.method == "POST":
        if user.organisation is None:  # may_edit_limits has checked it; limit_set needs it
            raise Http404
        kind = request.POST.get("kind", "")
        form = LimitForm(request.POST, prefix=kind)
        status = INVALID_FORM_STATUS
        if kind not in Kind.values:  # each row's form names its kind: this one is sent back
            messages.error(request, _("Choose the kind of assistance whose limit you change."))
        elif form.is_valid():
            try:
                services.limit_set(
                    organisation=user.organisation,
                    kind=kind,
                    max_amount=form.cleaned_data["max_amount"],
                    set_by=user,
                )
            except Refused as refusal:
                status = form_errors(form, refusal)
            else:
                messages.success(
                    request, _("The limit for “%(kind)s” was saved.") % {"kind": Kind(kind).label}
                )
                return redirect("assistance:limits")
        bound[kind] = form
    rows = []
    for kind, limit in selectors.limits_by_kind(user=user).items():
        initial = {"max_amount": limit.max_amount if limit else ""}
        rows.append(
            {
                "kind": kind,
                "label": Kind(kind).label,
                "limit": limit,
                "form": bound.get(kind) or LimitForm(initial=initial, prefix=kind),
            }
        )
    return render(request, "assistance/limits.html", {"rows": rows}, status=status)
