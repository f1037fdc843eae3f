"""Paying approved assistance from the fund."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from madad.assistance.models import Assistance
from madad.core.http import AuthedRequest
from madad.fund import selectors, services
from madad.fund.currencies import fund_currency
from madad.fund.forms import DisbursementForm
from madad.fund.views._common import context_flags, require_edit, require_view, submit


@login_required
@require_GET
def disbursement_list(request: AuthedRequest) -> HttpResponse:
    """Approved assistance waiting to be paid (for finance officers), and the payments made."""
    require_view(request)
    user = request.user
    return render(
        request,
        "fund/disbursement_list.html",
        {
            **context_flags(request),
            "to_pay": selectors.assistance_to_pay(user=user),
            "paid": selectors.disbursement_list(user=user)[:100],
            "fund_currency": fund_currency(),
        },
    )


@login_required
def disburse(request: AuthedRequest, assistance_id: int) -> HttpResponse:
    require_edit(request)
    user = request.user
    item = selectors.assistance_to_pay(user=user).filter(pk=assistance_id).first()
    # not approved (the service says why on paying), or not this organisation's: nothing here
    if (
        item is None
        and not Assistance.objects.filter(
            pk=assistance_id, case__organisation_id=user.organisation_id
        ).exists()
    ):
        raise Http404
    kwargs: dict[str, Any] = {
        "earmarks": selectors.earmark_list(user=user),
        "accounts": selectors.money_account_list(user=user),
        "currency": fund_currency(),
    }
    status: int | None = 200
    form = DisbursementForm(**kwargs)
    if request.method == "POST":
        form = DisbursementForm(request.POST, **kwargs)
        target = item or Assistance.objects.select_related("case").get(pk=assistance_id)
        status = submit(
            request,
            form,
            lambda data: services.disbursement_make(made_by=user, assistance=target, **data),
            _("The assistance is paid and marked disbursed."),
        )
        if status is None:
            return redirect("fund:disbursements")
    elif item is None:
        status = 409
    return render(
        request,
        "fund/disburse.html",
        {
            "item": item,
            "assistance_id": assistance_id,
            "form": form,
            "fund_currency": fund_currency(),
            "earmark_balances": [
                (e, selectors.unspent(earmark=e)) for e in selectors.earmark_list(user=user)
            ],
        },
        status=status,
    )
