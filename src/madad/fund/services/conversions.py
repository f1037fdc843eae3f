"""Currency conversions: an earmark's money moved from one currency account to another."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from madad.accounts.models import User
from madad.core.audit import audit_record
from madad.core.refusals import Conflict, Invalid, invalid
from madad.fund import ledger
from madad.fund.currencies import exact_amount, exact_rate, format_amount, fund_currency, quantize
from madad.fund.models import Account, Conversion, Earmark, JournalEntry
from madad.fund.services._common import (
    clean_date,
    clean_text,
    editor_organisation,
    field_error,
    own,
)


def conversion_record(
    *,
    recorded_by: User,
    earmark: Earmark,
    from_account: Account,
    to_account: Account,
    amount: Decimal | str,
    rate: Decimal | str,
    date: dt.date | str,
    rate_source: str = "",
) -> Conversion:
    """Converts `amount` of the earmark's money in `from_account` at `rate` (units of the
    target currency for one unit of the source currency) into `to_account`.

    The money leaves at its carrying value (what it was worth in the fund currency when it
    came in, averaged over the account); into the fund currency it arrives at its face value,
    and the difference is booked as an exchange gain or loss. Between two other currencies the
    carrying value moves with the money and the gain or loss is booked when it is converted
    into the fund currency. Refused, with nothing written, if the account does not hold that
    much of the earmark's money."""
    organisation = editor_organisation(recorded_by)
    own(earmark, organisation, "earmark")
    own(from_account, organisation, "from_account")
    own(to_account, organisation, "to_account")
    errors: dict[str, list[str]] = {}
    if not from_account.holds_money:
        errors["from_account"] = [_("Choose a bank or cash account.")]
    if not to_account.holds_money:
        errors["to_account"] = [_("Choose a bank or cash account.")]
    elif to_account.currency == from_account.currency:
        errors["to_account"] = [_("Choose an account in another currency.")]
    if errors:
        raise Invalid(fields=errors)
    source, target = from_account.currency, to_account.currency
    try:
        amount_ = exact_amount(amount, source)
    except Invalid as exc:
        raise field_error("amount", exc) from None
    try:
        rate_ = exact_rate(rate)
    except Invalid as exc:
        raise field_error("rate", exc) from None
    date_ = clean_date(date, "date")
    rate_source = clean_text(rate_source, "rate_source", max_length=100) or "entered"
    received = quantize(amount_ * rate_, target)
    if received == 0:
        raise invalid("amount", _("At this rate the amount converts to nothing."))
    base = fund_currency()
    with transaction.atomic():
        ledger.lock_earmarks([earmark.pk])
        held, carrying_total = ledger.money_balance(from_account, earmark)
        if amount_ > held:
            raise Conflict(
                code="insufficient_funds",
                message=_(
                    "%(account)s holds only %(held)s %(currency)s of the %(earmark)s money. "
                    "Nothing was converted."
                )
                % {
                    "account": from_account.label,
                    "held": format_amount(held, source),
                    "currency": source,
                    "earmark": earmark.name,
                },
            )
        if amount_ == held:
            carrying = carrying_total
        else:
            carrying = quantize(carrying_total * amount_ / held, base)
        # a carrying value below nothing (left by the reversal of a donation converted in
        # part) is not carried out; the account's clearing books it once it is empty
        carrying = max(carrying, ledger.ZERO)
        value_in = received if target == base else carrying
        gain = value_in - carrying
        lines = [
            ledger.Line(to_account, earmark, target, received, value_in),
            ledger.Line(from_account, earmark, source, -amount_, -carrying),
        ]
        if gain:
            exchange = ledger.system_account(organisation, Account.Kind.EXCHANGE)
            lines.append(ledger.Line(exchange, earmark, base, -gain, -gain))
        entry = ledger.post(
            organisation=organisation,
            kind=JournalEntry.Kind.CONVERSION,
            date=date_,
            posted_by=recorded_by,
            lines=lines,
            memo=f"{source} → {target}",
        )
        conversion = Conversion.objects.create(
            organisation=organisation,
            date=date_,
            earmark=earmark,
            from_account=from_account,
            to_account=to_account,
            amount_from=amount_,
            amount_to=received,
            rate=rate_,
            rate_source=rate_source,
            gain=gain,
            entry=entry,
            recorded_by=recorded_by,
        )
        audit_record(
            action="fund.conversion.recorded",
            actor=recorded_by,
            obj=conversion,
            fields=["earmark", "from_account", "to_account", "amount_from", "rate", "date"],
        )
    return conversion
