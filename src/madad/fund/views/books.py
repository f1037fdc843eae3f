"""Keeping the books: earmarks and accounts, exchange rates, currency conversions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from madad.core.http import AuthedRequest
from madad.fund import selectors, services
from madad.fund.forms import AccountForm, ConversionForm, EarmarkForm, RateForm
from madad.fund.views._common import context_flags, require_edit, require_view, submit


def _setup_page(
    request: AuthedRequest,
    *,
    earmark_form: EarmarkForm | None = None,
    account_form: AccountForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    return render(
        request,
        "fund/setup.html",
        {
            **context_flags(request),
            "earmarks": [
                (e, selectors.unspent(earmark=e)) for e in selectors.earmark_list(user=user)
            ],
            "accounts": selectors.money_account_list(user=user),
            "earmark_form": earmark_form or EarmarkForm(),
            "account_form": account_form or AccountForm(),
        },
        status=status,
    )


@login_required
@require_GET
def setup(request: AuthedRequest) -> HttpResponse:
    require_view(request)
    return _setup_page(request)


def _setup_post(
    request: AuthedRequest,
    form: EarmarkForm | AccountForm,
    write: Callable[[dict[str, Any]], object],
    done: str,
) -> HttpResponse:
    """A programme or an account added on the setup page, or the page with the form's
    errors."""
    require_edit(request)
    status = submit(request, form, write, done)
    if status is None:
        return redirect("fund:setup")
    if isinstance(form, EarmarkForm):
        return _setup_page(request, earmark_form=form, status=status)
    return _setup_page(request, account_form=form, status=status)


@login_required
@require_POST
def earmark_create(request: AuthedRequest) -> HttpResponse:
    return _setup_post(
        request,
        EarmarkForm(request.POST),
        lambda data: services.earmark_create(created_by=request.user, **data),
        _("The programme is added."),
    )


@login_required
@require_POST
def account_open(request: AuthedRequest) -> HttpResponse:
    return _setup_post(
        request,
        AccountForm(request.POST),
        lambda data: services.account_open(opened_by=request.user, **data),
        _("The account is opened."),
    )


@login_required
def rates(request: AuthedRequest) -> HttpResponse:
    """The stored rates, and (for finance officers) a form to record one."""
    require_view(request)
    status: int | None = 200
    form = RateForm()
    if request.method == "POST":
        require_edit(request)
        form = RateForm(request.POST)
        status = submit(
            request,
            form,
            lambda data: services.rate_record(recorded_by=request.user, **data),
            _("The rate is recorded."),
        )
        if status is None:
            return redirect("fund:rates")
    page = Paginator(selectors.rate_list(user=request.user), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "fund/rates.html",
        {**context_flags(request), "page": page, "form": form},
        status=status,
    )


@login_required
def conversions(request: AuthedRequest) -> HttpResponse:
    """Conversions made, and (for finance officers) a form to record one."""
    require_view(request)
    user = request.user
    earmarks, accounts = selectors.earmark_list(user=user), selectors.money_account_list(user=user)
    status: int | None = 200
    form = ConversionForm(earmarks=earmarks, accounts=accounts)
    if request.method == "POST":
        require_edit(request)
        form = ConversionForm(request.POST, earmarks=earmarks, accounts=accounts)
        status = submit(
            request,
            form,
            lambda data: services.conversion_record(recorded_by=user, **data),
            _("The conversion is recorded."),
        )
        if status is None:
            return redirect("fund:conversions")
    page = Paginator(selectors.conversion_list(user=user), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "fund/conversions.html",
        {**context_flags(request), "page": page, "form": form},
        status=status,
    )
