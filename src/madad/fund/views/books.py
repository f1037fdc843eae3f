"""Keeping the books: earmarks and accounts, exchange rates, currency conversions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from madad.fund import selectors, services
from madad.fund.errors import FundRefused
from madad.fund.forms import AccountForm, ConversionForm, EarmarkForm, RateForm
from madad.fund.views._common import apply_errors, context_flags, require_edit, require_view


def _setup_page(
    request: HttpRequest,
    *,
    earmark_form: EarmarkForm | None = None,
    account_form: AccountForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user: Any = request.user
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
def setup(request: HttpRequest) -> HttpResponse:
    require_view(request)
    return _setup_page(request)


@login_required
@require_POST
def earmark_create(request: HttpRequest) -> HttpResponse:
    require_edit(request)
    form = EarmarkForm(request.POST)
    if form.is_valid():
        try:
            services.earmark_create(
                created_by=request.user,  # type: ignore[arg-type]
                **form.cleaned_data,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        except FundRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("The programme is added."))
            return redirect("fund:setup")
    return _setup_page(request, earmark_form=form, status=422)


@login_required
@require_POST
def account_open(request: HttpRequest) -> HttpResponse:
    require_edit(request)
    form = AccountForm(request.POST)
    if form.is_valid():
        try:
            services.account_open(
                opened_by=request.user,  # type: ignore[arg-type]
                **form.cleaned_data,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        except FundRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("The account is opened."))
            return redirect("fund:setup")
    return _setup_page(request, account_form=form, status=422)


@login_required
def rates(request: HttpRequest) -> HttpResponse:
    """The stored rates, and (for finance officers) a form to record one."""
    require_view(request)
    status = 200
    form = RateForm()
    if request.method == "POST":
        require_edit(request)
        form = RateForm(request.POST)
        if form.is_valid():
            try:
                services.rate_record(
                    recorded_by=request.user,  # type: ignore[arg-type]
                    **form.cleaned_data,
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            except FundRefused as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(request, _("The rate is recorded."))
                return redirect("fund:rates")
        status = 422
    page = Paginator(selectors.rate_list(user=request.user), 50).get_page(  # type: ignore[arg-type]
        request.GET.get("page")
    )
    return render(
        request,
        "fund/rates.html",
        {**context_flags(request), "page": page, "form": form},
        status=status,
    )


@login_required
def conversions(request: HttpRequest) -> HttpResponse:
    """Conversions made, and (for finance officers) a form to record one."""
    require_view(request)
    user: Any = request.user
    kwargs = {
        "earmarks": selectors.earmark_list(user=user),
        "accounts": selectors.money_account_list(user=user),
    }
    status = 200
    form = ConversionForm(**kwargs)  # type: ignore[arg-type]
    if request.method == "POST":
        require_edit(request)
        form = ConversionForm(request.POST, **kwargs)  # type: ignore[arg-type]
        if form.is_valid():
            try:
                services.conversion_record(recorded_by=user, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            except FundRefused as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(request, _("The conversion is recorded."))
                return redirect("fund:conversions")
        status = 422
    page = Paginator(selectors.conversion_list(user=user), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "fund/conversions.html",
        {**context_flags(request), "page": page, "form": form},
        status=status,
    )
