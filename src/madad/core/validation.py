"""Checks of typed input, one rule for each kind of value, shared by every service.

Each check takes the raw value, the field's name and an `Errors` collector; it returns the
clean value (or None) and adds a translated message for each problem, so that a service reports
every problem at once and writes nothing (`errors.raise_if()`).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from django.utils import timezone
from django.utils.translation import gettext as _

from madad.core.refusals import Errors

T = TypeVar("T")

# Dates a record can carry: nothing before 1900 (an incident dated year 1 made the dashboard
# loop over 24,000 months) and nothing past 2200.
EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2200, 12, 31)
MAX_AMOUNT = Decimal("9999999999.99")

# Characters that only hide or reorder text: bidirectional overrides, embeddings and isolates
# (they can make "1000" read as "0001"), zero-width spaces and the byte-order mark. ZWNJ and ZWJ
# (U+200C, U+200D) stay: Urdu spelling uses them.
_INVISIBLE = re.compile("[\u200b\u2060\ufeff\u202a-\u202e\u2066-\u2069]")
# Control characters other than tab and newline.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def storable(value: str) -> bool:
    """No NUL (PostgreSQL refuses it) and no unpaired surrogate (not encodable as UTF-8)."""
    if "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def clean_text(value: str, *, multiline: bool = False) -> str:
    """Text as it is stored: NFC, no hiding characters, no control characters, line ends as
    \\n (single-line text: spaces), trimmed."""
    value = unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n"))
    value = _INVISIBLE.sub("", value)
    if not multiline:
        value = value.replace("\n", " ").replace("\t", " ")
    return _CONTROL.sub("", value).strip()


def text(
    value: Any,
    field: str,
    errors: Errors,
    *,
    max_length: int,
    required: bool = False,
    multiline: bool = False,
) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors.add(field, _("Enter text."))
        return ""
    if not storable(value):
        errors.add(field, _("Text may not contain NUL characters or unpaired surrogates."))
        return ""
    cleaned = clean_text(value, multiline=multiline)
    if required and not cleaned:
        errors.add(field, _("This field is required."))
    elif len(cleaned) > max_length:
        errors.add(field, _("Enter at most %(max)s characters.") % {"max": max_length})
    return cleaned


def ascii_digits(value: str) -> str:
    """Digits in any script (fullwidth, Arabic-Indic, Urdu's Extended Arabic-Indic) as 0-9;
    other characters unchanged."""
    out = []
    for char in value:
        if char.isdigit() and not char.isascii():
            try:
                out.append(str(unicodedata.digit(char)))
                continue
            except ValueError:
                pass
        out.append(char)
    return "".join(out)


def amount(
    value: Any,
    field: str,
    errors: Errors,
    *,
    required: bool = False,
    allow_zero: bool = True,
    maximum: Decimal = MAX_AMOUNT,
    places: int = 2,
) -> Decimal | None:
    """A sum of money: digits in any script, thousands separators allowed, never negative,
    at most `places` decimals, at most `maximum`."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            errors.add(field, _("This field is required."))
        return None
    if isinstance(value, bool | float):
        errors.add(field, _("Enter an amount."))
        return None
    try:
        parsed = Decimal(ascii_digits(str(value)).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        errors.add(field, _("Enter an amount."))
        return None
    step = Decimal(1).scaleb(-places)
    if not parsed.is_finite():
        errors.add(field, _("Enter an amount."))
    elif parsed < 0:
        errors.add(field, _("An amount cannot be negative."))
    elif parsed == 0 and not allow_zero:
        errors.add(field, _("Enter an amount above zero."))
    elif parsed > maximum:
        errors.add(field, _("Enter an amount of at most %(max)s.") % {"max": f"{maximum:,}"})
    elif parsed != parsed.quantize(step):
        errors.add(field, _("Enter at most %(places)s decimal places.") % {"places": places})
    else:
        return parsed.quantize(step)
    return None


def date(
    value: Any,
    field: str,
    errors: Errors,
    *,
    required: bool = False,
    not_future: bool = False,
    earliest: dt.date = EARLIEST,
    latest: dt.date = LATEST,
) -> dt.date | None:
    """A calendar date between `earliest` and `latest` (and not after today if `not_future`);
    accepts a date or YYYY-MM-DD."""
    if value is None or value == "":
        if required:
            errors.add(field, _("This field is required."))
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        parsed = value
    elif isinstance(value, str):
        try:
            parsed = dt.date.fromisoformat(ascii_digits(value).strip())
        except ValueError:
            errors.add(field, _("Enter the date as YYYY-MM-DD."))
            return None
    else:
        errors.add(field, _("Enter a date."))
        return None
    if not earliest <= parsed <= latest:
        errors.add(
            field,
            _("Enter a date between %(earliest)s and %(latest)s.")
            % {"earliest": earliest.isoformat(), "latest": latest.isoformat()},
        )
        return None
    if not_future and parsed > timezone.localdate():
        errors.add(field, _("The date cannot be in the future."))
        return None
    return parsed


def choice(value: T, field: str, errors: Errors, choices: Iterable[Any]) -> T:
    if value not in set(choices):
        errors.add(field, _("Choose one of the listed values."))
    return value
