"""Currencies the fund keeps money in, and how amounts in them are rounded.

Money is never a float: amounts are Decimals with an ISO 4217 code beside them (a currency
column next to every amount column). Each currency rounds to its own minor unit (rupees and
dollars to cents, yen to whole units, dinars to fils); the database columns hold three decimal
places so that every currency listed here fits.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.utils.translation import gettext as _

from madad.core.refusals import WHOLE, Invalid
from madad.core.validation import ascii_digits

# ISO 4217 code → digits after the decimal point. The currencies donations to a relief fund in
# Pakistan arrive in; add a code here (with its minor unit) to accept another.
MINOR_UNITS: dict[str, int] = {
    "PKR": 2,
    "USD": 2,
    "CAD": 2,
    "GBP": 2,
    "EUR": 2,
    "AED": 2,
    "SAR": 2,
    "QAR": 2,
    "KWD": 3,
    "BHD": 3,
    "OMR": 3,
    "AUD": 2,
    "NZD": 2,
    "CHF": 2,
    "SEK": 2,
    "NOK": 2,
    "DKK": 2,
    "JPY": 0,
    "MYR": 2,
    "TRY": 2,
    "HKD": 2,
    "SGD": 2,
    "ZAR": 2,
    "INR": 2,
    "BDT": 2,
    "CNY": 2,
}
# The largest amount any column holds (18 digits, 3 after the point).
MAX_AMOUNT = Decimal("999999999999999.999")
# Rates: fund-currency units for one unit of the other currency.
RATE_DIGITS, RATE_PLACES = 20, 10
MAX_RATE = Decimal("9999999999.9999999999")


def _refused(message: str) -> Invalid:
    """A value refused without its field's name (the caller names it: _common.field_error)."""
    return Invalid(fields={WHOLE: [message]})


def fund_currency() -> str:
    """The currency the books are kept in (assistance is paid in it): PKR unless configured."""
    return str(getattr(settings, "MADAD_FUND_CURRENCY", "PKR"))


def currency_choices() -> list[tuple[str, str]]:
    return [(code, code) for code in sorted(MINOR_UNITS)]


def check_currency(code: object) -> str:
    if not isinstance(code, str) or code.strip().upper() not in MINOR_UNITS:
        raise _refused(
            _("Choose one of the currencies the fund accepts: %(codes)s.")
            % {"codes": ", ".join(sorted(MINOR_UNITS))}
        )
    return code.strip().upper()


def to_decimal(value: object) -> Decimal:
    """A Decimal from a Decimal, an int or text; floats are refused (they are not exact)."""
    if isinstance(value, bool | float):
        raise _refused(_("Enter the amount as a number written in digits."))
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, str):
        try:
            result = Decimal(ascii_digits(value).strip().replace(",", ""))
        except InvalidOperation:
            raise _refused(_("Enter the amount as a number written in digits.")) from None
    else:
        raise _refused(_("Enter the amount as a number written in digits."))
    if not result.is_finite():
        raise _refused(_("Enter the amount as a number written in digits."))
    return result


def quantize(amount: Decimal, currency: str) -> Decimal:
    """The amount rounded to the currency's minor unit (half up, as banks round)."""
    return amount.quantize(Decimal(1).scaleb(-MINOR_UNITS[currency]), rounding=ROUND_HALF_UP)


def exact_amount(value: object, currency: str, *, allow_zero: bool = False) -> Decimal:
    """A positive amount with no more decimals than the currency has, or Invalid."""
    amount = to_decimal(value)
    if amount < 0 or (amount == 0 and not allow_zero):
        raise _refused(_("Enter an amount greater than zero."))
    if amount > MAX_AMOUNT:
        raise _refused(_("The amount is too large."))
    if quantize(amount, currency) != amount:
        raise _refused(
            _("%(currency)s amounts have at most %(places)s digits after the point.")
            % {"currency": currency, "places": MINOR_UNITS[currency]}
        )
    return quantize(amount, currency)


def exact_rate(value: object) -> Decimal:
    rate = to_decimal(value)
    if rate <= 0:
        raise _refused(_("An exchange rate is greater than zero."))
    if rate > MAX_RATE or rate.as_tuple().exponent < -RATE_PLACES:  # type: ignore[operator]
        raise _refused(
            _("Give the rate with at most %(places)s digits after the point.")
            % {"places": RATE_PLACES}
        )
    return rate


def format_amount(amount: Decimal | None, currency: str) -> str:
    """1234567.5, "PKR" → "1,234,567.50"; the currency code is shown beside it by the caller."""
    if amount is None:
        return ""
    places = MINOR_UNITS.get(currency, 2)
    return f"{quantize(amount, currency) if currency in MINOR_UNITS else amount:,.{places}f}"


def rate_text(rate: Decimal) -> str:
    """278.5000000000 → "278.5" (never "2.785E+2")."""
    text = format(rate.normalize(), "f")
    return text
