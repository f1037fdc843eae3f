"""Donors and their donations: money in, with a receipt."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from madad.accounts.models import Organisation, User
from madad.core.audit import audit_record
from madad.core.refusals import Invalid, Stale, invalid
from madad.core.versioned import update_versioned
from madad.fund import ledger
from madad.fund.currencies import (
    check_currency,
    exact_amount,
    exact_rate,
    fund_currency,
    quantize,
)
from madad.fund.models import (
    Account,
    Channel,
    Donation,
    Donor,
    Earmark,
    JournalEntry,
    ReceiptSequence,
)
from madad.fund.services._common import (
    clean_date,
    clean_text,
    editor_organisation,
    field_error,
    own,
)
from madad.fund.services.rates import rate_on


def donor_record(
    *,
    recorded_by: User,
    name: str,
    kind: str = Donor.Kind.PERSON,
    contact: str = "",
    named_in_public: bool = False,
) -> Donor:
    """A donor, their name and contact encrypted at rest. Anonymous in public unless
    `named_in_public` says they asked to be named."""
    organisation = editor_organisation(recorded_by)
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    for field, limit, required in (("name", 200, True), ("contact", 500, False)):
        try:
            cleaned[field] = clean_text(
                {"name": name, "contact": contact}[field],
                field,
                max_length=limit,
                required=required,
            )
        except Invalid as exc:
            errors.update(exc.fields)
    if kind not in Donor.Kind.values:
        errors["kind"] = [_("Choose a person or an organisation.")]
    if errors:
        raise Invalid(fields=errors)
    with transaction.atomic():
        donor = Donor.objects.create(
            organisation=organisation,
            kind=kind,
            named_in_public=bool(named_in_public),
            created_by=recorded_by,
            **cleaned,
        )
        audit_record(
            action="fund.donor.created",
            actor=recorded_by,
            obj=donor,
            fields=["kind", "named_in_public", *cleaned],
        )
    return donor


def donor_naming_set(
    *, donor: Donor, changed_by: User, named_in_public: bool, expected_version: int
) -> Donor:
    """Records the donor's choice to be named in the public account or to stay anonymous,
    unless somebody changed the donor since `expected_version` (Stale)."""
    organisation = editor_organisation(changed_by)
    own(donor, organisation, "donor")
    with transaction.atomic():
        update_versioned(
            donor,
            expected_version=expected_version,
            refusal=Stale(
                _(
                    "Somebody else changed this donor after you opened "
                    "it. Nothing was saved: reload and try again."
                )
            ),
            named_in_public=bool(named_in_public),
        )
        audit_record(
            action="fund.donor.naming_changed",
            actor=changed_by,
            obj=donor,
            fields=["named_in_public"],
        )
    donor.refresh_from_db()
    return donor


def _next_receipt_number(organisation: Organisation, year: int) -> str:
    """The next number of the year, without gaps (the counter row is locked until commit)."""
    sequence, _created = ReceiptSequence.objects.get_or_create(organisation=organisation, year=year)
    ReceiptSequence.objects.filter(pk=sequence.pk).update(last=F("last") + 1)
    sequence.refresh_from_db()
    return f"{year}-{sequence.last:05d}"


def _clean_money(*, amount: Any, fee: Any, currency: Any) -> tuple[str, Decimal, Decimal]:
    try:
        currency = check_currency(currency)
    except Invalid as exc:
        raise field_error("currency", exc) from None
    errors: dict[str, list[str]] = {}
    try:
        amount = exact_amount(amount, currency)
    except Invalid as exc:
        errors.update(field_error("amount", exc).fields)
    try:
        fee = exact_amount(fee if fee not in (None, "") else 0, currency, allow_zero=True)
    except Invalid as exc:
        errors.update(field_error("fee", exc).fields)
    if not errors and fee >= amount:
        errors["fee"] = [_("Fees are less than the amount given.")]
    if errors:
        raise Invalid(fields=errors)
    return currency, amount, fee


def donation_record(
    *,
    recorded_by: User,
    amount: Decimal | str,
    currency: str,
    received_on: dt.date | str,
    channel: str,
    earmark: Earmark,
    account: Account,
    donor: Donor | None = None,
    fee: Decimal | str = Decimal(0),
    rate: Decimal | str | None = None,
    rate_source: str = "",
) -> Donation:
    """Records a donation with the next receipt number of its year and posts it: the net
    amount into the receiving account, fees to administration, the whole amount to the
    earmark's donations income, all valued at the rate of the day (entered, or the stored
    one). Bad input raises Invalid by field and writes nothing."""
    organisation = editor_organisation(recorded_by)
    currency, amount_, fee_ = _clean_money(amount=amount, fee=fee, currency=currency)
    received_on = clean_date(received_on, "received_on")
    if channel not in Channel.values:
        raise invalid("channel", _("Choose one of the listed values."))
    own(earmark, organisation, "earmark")
    own(account, organisation, "account")
    if donor is not None:
        own(donor, organisation, "donor")
    if not account.holds_money or account.currency != currency:
        raise invalid(
            "account",
            _("Choose a bank or cash account that holds %(currency)s.") % {"currency": currency},
        )
    if currency == fund_currency():
        rate_, rate_date, source = Decimal(1), received_on, "fund currency"
    elif rate not in (None, ""):
        try:
            rate_ = exact_rate(rate)
        except Invalid as exc:
            raise field_error("rate", exc) from None
        rate_date = received_on
        source = clean_text(rate_source, "rate_source", max_length=100) or "entered"
    else:
        stored = rate_on(organisation=organisation, currency=currency, date=received_on)
        rate_, rate_date, source = stored.rate, stored.date, stored.source
    base = quantize(amount_ * rate_, fund_currency())
    base_fee = quantize(fee_ * rate_, fund_currency())
    if base == 0:
        raise invalid(
            "amount",
            _("The amount is worth nothing in %(currency)s at this rate.")
            % {"currency": fund_currency()},
        )
    income = ledger.system_account(organisation, Account.Kind.DONATIONS, earmark=earmark)
    lines = [
        ledger.Line(account, earmark, currency, amount_ - fee_, base - base_fee),
        ledger.Line(income, earmark, currency, -amount_, -base),
    ]
    if fee_:
        admin = ledger.system_account(organisation, Account.Kind.ADMINISTRATION)
        lines.append(ledger.Line(admin, earmark, currency, fee_, base_fee))
    with transaction.atomic():
        ledger.lock_earmarks([earmark.pk])
        receipt_number = _next_receipt_number(organisation, received_on.year)
        entry = ledger.post(
            organisation=organisation,
            kind=JournalEntry.Kind.DONATION,
            date=received_on,
            posted_by=recorded_by,
            lines=lines,
            memo=f"Donation {receipt_number}",
        )
        donation = Donation.objects.create(
            organisation=organisation,
            donor=donor,
            receipt_number=receipt_number,
            received_on=received_on,
            channel=channel,
            currency=currency,
            amount=amount_,
            fee=fee_,
            net=amount_ - fee_,
            earmark=earmark,
            account=account,
            rate=rate_,
            rate_date=rate_date,
            rate_source=source,
            base_amount=base,
            entry=entry,
            recorded_by=recorded_by,
        )
        audit_record(
            action="fund.donation.recorded",
            actor=recorded_by,
            obj=donation,
            fields=[
                "donor",
                "amount",
                "currency",
                "fee",
                "channel",
                "earmark",
                "account",
                "rate",
                "received_on",
            ],
        )
    return donation
