"""National ID (CNIC) and phone numbers: validation, canonical form, display form."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from madad.core.validation import ascii_digits

_NON_DIGITS = re.compile(r"[\s\-\u2010-\u2015.()+]")


def _digits(value: str) -> str:
    """The digits typed, as ASCII (fullwidth, Arabic-Indic and Urdu digits included), without
    the separators people write between them."""
    return _NON_DIGITS.sub("", ascii_digits(value))


def looks_like_a_number(value: str) -> bool:
    """True for what someone types as a CNIC or phone number (digits, in either script, with
    dashes, spaces, dots, brackets or a leading +), false for anything with letters."""
    digits = _digits(value or "")
    return digits.isdigit() and digits.isascii() and len(digits) >= 7


def normalise_cnic(value: str) -> str:
    """13 ASCII digits, whatever dashes, spaces or script of digits were typed;
    ValidationError otherwise."""
    digits = _digits(value or "")
    if not re.fullmatch(r"[0-9]{13}", digits):
        raise ValidationError(
            _("A CNIC has 13 digits, written #####-#######-#."), code="invalid_cnic"
        )
    return digits


def format_cnic(digits: str) -> str:
    if len(digits) != 13:
        return digits
    return f"{digits[:5]}-{digits[5:12]}-{digits[12]}"


def normalise_phone(value: str) -> str:
    """Pakistani numbers in international form without '+': 03001234567 → 923001234567."""
    digits = _digits(value or "")
    if digits.startswith("0092"):
        digits = digits[2:]
    elif digits.startswith("0") and len(digits) == 11:
        digits = "92" + digits[1:]
    elif digits.startswith("3") and len(digits) == 10:
        digits = "92" + digits
    if not re.fullmatch(r"[0-9]{10,15}", digits):
        raise ValidationError(
            _("Enter a phone number such as 0300-1234567 or +92 300 1234567."),
            code="invalid_phone",
        )
    return digits


def format_phone(digits: str) -> str:
    if digits.startswith("92") and len(digits) == 12:
        return f"0{digits[2:5]}-{digits[5:]}"
    return f"+{digits}"
