from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from madad.fund.currencies import format_amount, rate_text

register = template.Library()


@register.filter
def money(amount: Decimal | None, currency: str) -> str:
    """1234.5|money:"PKR" → "1,234.50" (the code is shown beside it)."""
    if amount is None or amount == "":
        return ""
    return format_amount(Decimal(amount), currency)


@register.filter
def rate(value: Decimal | None) -> str:
    return "" if value is None else rate_text(Decimal(value))


@register.filter
def cell(value: Any) -> str:
    """A report cell: amounts (already rounded to their currency) with thousands separated,
    anything else as it is."""
    if isinstance(value, Decimal):
        return f"{value:,}"
    return "" if value is None else str(value)
