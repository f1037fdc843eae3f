"""What every fund page does first: ask the access policy, and show refusals as such."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest

from madad import access
from madad.access.base import in_relief_org
from madad.access.roles import Capability
from madad.fund.currencies import fund_currency


def require(request: HttpRequest, capability: str) -> None:
    """404 unless the user's role carries the capability in a relief organisation: the fund
    does not exist for anybody else."""
    user: Any = request.user
    if not (access.can(user, capability) and in_relief_org(user)):
        raise Http404


def require_view(request: HttpRequest) -> None:
    require(request, Capability.FUND_VIEW)


def require_edit(request: HttpRequest) -> None:
    require(request, Capability.FUND_VIEW)
    require(request, Capability.FUND_EDIT)


def apply_errors(
    form: forms.Form, error: ValidationError, rename: dict[str, str] | None = None
) -> None:
    """The service's errors by field, on the form's fields (or the form itself)."""
    rename = rename or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, messages in error.message_dict.items():
        name = rename.get(field, field)
        form.add_error(name if name in form.fields else None, messages)


def context_flags(request: HttpRequest) -> dict[str, Any]:
    user: Any = request.user
    return {
        "can_edit": access.can(user, Capability.FUND_EDIT),
        "can_report": access.can(user, Capability.FUND_REPORT),
        "can_see_donors": access.can(user, Capability.FUND_DONOR_VIEW),
        "fund_currency": fund_currency(),
    }
