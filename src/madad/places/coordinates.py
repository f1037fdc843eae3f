"""Latitude and longitude as typed: one check for places and for incidents' exact positions."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from madad.core.refusals import Errors
from madad.core.validation import ascii_digits

LATITUDE, LONGITUDE = 90, 180
_STEP = Decimal("0.00001")


def coordinate(
    value: Any, field: str, errors: Errors, *, limit: int, required: bool = False
) -> Decimal | None:
    """Decimal degrees between -limit and limit (digits in any script), rounded to five
    places (about a metre)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            errors.add(field, _("This field is required."))
        return None
    try:
        number = Decimal(ascii_digits(str(value)).strip())
    except (InvalidOperation, ValueError):
        number = Decimal("NaN")
    if isinstance(value, bool) or not number.is_finite():
        errors.add(field, _("Enter a number."))
        return None
    if not -limit <= number <= limit:
        errors.add(
            field,
            _("Enter a number between %(low)s and %(high)s.") % {"low": -limit, "high": limit},
        )
        return None
    return number.quantize(_STEP, rounding=ROUND_HALF_UP)
