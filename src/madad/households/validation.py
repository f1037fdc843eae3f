"""Checks of typed input shared by the household and case services. Each adds messages to an
errors dict keyed by field name, so that a service reports every problem at once and writes
nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

Errors = dict[str, list[str]]

MAX_MONEY = Decimal("9999999999.99")


def add(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def raise_if(errors: Errors) -> None:
    if errors:
        raise ValidationError(errors)


def _storable(value: str) -> bool:
    """No NUL (PostgreSQL refuses it) and no unpaired surrogate (not encodable as UTF-8)."""
    if "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def text(value: Any, field: str, errors: Errors, *, max_length: int, required: bool = False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        add(errors, field, _("Enter text."))
        return ""
    value = value.strip()
    if not _storable(value):
        add(errors, field, _("Text may not contain NUL characters or unpaired surrogates."))
    elif required and not value:
        add(errors, field, _("This field is required."))
    elif len(value) > max_length:
        add(errors, field, _("Enter at most %(max)s characters.") % {"max": max_length})
    return value


def money(value: Any, field: str, errors: Errors) -> Decimal | None:
    """An amount in PKR: empty, or between 0 and 9,999,999,999.99, at most two decimals."""
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        add(errors, field, _("Enter an amount in rupees."))
        return None
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        add(errors, field, _("Enter an amount in rupees."))
        return None
    if not amount.is_finite():
        add(errors, field, _("Enter an amount in rupees."))
    elif amount < 0:
        add(errors, field, _("An amount cannot be negative."))
    elif amount > MAX_MONEY:
        add(errors, field, _("Enter an amount below ten billion rupees."))
    elif amount != amount.quantize(Decimal("0.01")):
        add(errors, field, _("Enter at most two decimal places."))
    else:
        return amount.quantize(Decimal("0.01"))
    return None


def date(value: Any, field: str, errors: Errors, *, required: bool = False) -> dt.date | None:
    if value in (None, ""):
        if required:
            add(errors, field, _("This field is required."))
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        parsed = value
    else:
        try:
            parsed = dt.date.fromisoformat(str(value).strip())
        except ValueError:
            add(errors, field, _("Enter the date as YYYY-MM-DD."))
            return None
    if not dt.date(1900, 1, 1) <= parsed <= dt.date(2200, 12, 31):
        add(errors, field, _("Enter a date between 1900 and 2200."))
        return None
    return parsed


def choice(value: Any, field: str, errors: Errors, choices: Iterable[Any]) -> Any:
    if value not in set(choices):
        add(errors, field, _("Choose one of the listed values."))
    return value
