"""Template helpers for households and cases: labels of statuses, needs and severities in the
language of the request, and looking a value up by key."""

from __future__ import annotations

from typing import Any

from django import template

from madad.cases.models import ApprovalRequest, Case, Need, Severity

register = template.Library()

_STATUS = dict(Case.Status.choices)
_RISK = dict(Case.Risk.choices)
_NEED = dict(Need.choices)
_SEVERITY = dict(Severity.choices)
_KIND = dict(ApprovalRequest.Kind.choices)


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """`names|get_item:person_id`: a dictionary's value, or None."""
    if not hasattr(mapping, "get"):
        return None
    return mapping.get(key)


@register.filter
def case_status_label(status: str) -> str:
    return str(_STATUS.get(status, status))


@register.filter
def risk_label(risk: str) -> str:
    return str(_RISK.get(risk, risk))


@register.filter
def need_label(need: str) -> str:
    return str(_NEED.get(need, need))


@register.filter
def severity_label(severity: int | None) -> str:
    return str(_SEVERITY.get(severity, "—")) if isinstance(severity, int) else "—"


@register.filter
def approval_kind_label(kind: str) -> str:
    return str(_KIND.get(kind, kind))


@register.simple_tag
def needs_in_order() -> list[tuple[str, str]]:
    return [(value, str(label)) for value, label in Need.choices]
