"""What every fund page does first: ask the access policy, and show refusals as such."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404

from madad import access
from madad.access.base import in_relief_org
from madad.access.roles import Capability
from madad.core.forms import INVALID_FORM_STATUS, form_errors
from madad.core.http import AuthedRequest
from madad.core.refusals import Refused
from madad.fund.currencies import fund_currency


def require(request: AuthedRequest, capability: str) -> None:
    """404 unless the user's role carries the capability in a relief organisation: the fund
    does not exist for anybody else."""
    if not (access.can(request.user, capability) and in_relief_org(request.user)):
        raise Http404


def require_view(request: AuthedRequest) -> None:
    require(request, Capability.FUND_VIEW)


def require_edit(request: AuthedRequest) -> None:
    require(request, Capability.FUND_VIEW)
    require(request, Capability.FUND_EDIT)


def submit(
    request: AuthedRequest,
    form: forms.Form,
    write: Callable[[dict[str, Any]], object],
    done: str,
    rename: dict[str, str] | None = None,
) -> int | None:
    """Writes what a valid form says through a service: None when it was written (and `done`
    is shown), else the status to answer with the form and its errors (the form's own, or the
    service's refusal; `rename`: the form's names of the service's fields)."""
    if not form.is_valid():
        return INVALID_FORM_STATUS
    try:
        write(form.cleaned_data)
    except Refused as refusal:
        if rename:
            refusal.fields = {rename.get(k, k): v for k, v in refusal.fields.items()}
        return form_errors(form, refusal)
    messages.success(request, done)
    return None


def context_flags(request: AuthedRequest) -> dict[str, Any]:
    user = request.user
    return {
        "can_edit": access.can(user, Capability.FUND_EDIT),
        "can_report": access.can(user, Capability.FUND_REPORT),
        "can_see_donors": access.can(user, Capability.FUND_DONOR_VIEW),
        "fund_currency": fund_currency(),
    }
