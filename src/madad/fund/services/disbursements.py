"""Paying approved assistance out of the fund."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from madad.accounts.models import User
from madad.assistance.models import Assistance, DisbursementMethod
from madad.assistance.services import assistance_disburse
from madad.core.audit import audit_record
from madad.core.refusals import Conflict, Invalid, Refused, Stale, invalid
from madad.core.versioned import update_versioned
from madad.fund import ledger
from madad.fund.currencies import format_amount, fund_currency
from madad.fund.models import Account, Disbursement, Earmark, JournalEntry
from madad.fund.services._common import clean_date, editor_organisation, own

S = Assistance.Status


def _locked_assistance(assistance: Assistance) -> Assistance:
    """The item as it is now, locked until commit where the database can lock rows."""
    items = Assistance.objects.select_related("case")
    if connection.vendor != "sqlite":
        items = items.select_for_update(of=("self",))
    return items.get(pk=assistance.pk)


def _refusal(item: Assistance, earmark: Earmark) -> Refused | None:
    if item.status != S.APPROVED:
        if Disbursement.objects.filter(
            assistance=item, reversed_at__isnull=True
        ).exists() or item.status in (S.DISBURSED, S.RECEIPT_CONFIRMED):
            return Conflict(
                code="already_paid",
                message=_("This assistance has already been paid. Nothing was recorded."),
            )
        return Conflict(
            code="not_approved",
            message=_(
                "Only approved assistance is paid; this item is “%(status)s”. Nothing was recorded."
            )
            % {"status": item.get_status_display()},
        )
    if item.amount is None:
        return Invalid(
            code="no_amount",
            message=_(
                "This assistance is help in kind without an amount: "
                "there is nothing to pay from the fund."
            ),
        )
    if not earmark.pays(item.kind):
        return Invalid(
            code="wrong_earmark",
            message=_(
                "The %(earmark)s money pays only for %(kinds)s, not for “%(kind)s”. Choose the "
                "general fund or a programme for this kind of help."
            )
            % {
                "earmark": earmark.name,
                "kinds": ", ".join(earmark.kinds),
                "kind": item.get_kind_display(),
            },
        )
    return None


def disbursement_make(
    *,
    made_by: User,
    assistance: Assistance,
    earmark: Earmark,
    account: Account,
    method: str,
    reference: str,
    paid_on: dt.date | str | None = None,
) -> Disbursement:
    """Pays an approved item of assistance from an earmark's money in a fund-currency bank or
    cash account, and marks the item disbursed (assistance.services.assistance_disburse), in
    one transaction.

    Refused (Conflict or Invalid, with a code) and a reason, writing nothing, when the item
    is not approved (or already paid), has no amount, is of a kind the earmark does not pay
    for, or the account does not hold enough of the earmark's money. Concurrent payments
    from the same earmark are serialised (ledger.lock_earmarks), so no money is ever spent
    twice; a second payment of the same item is refused (and a database constraint would
    refuse it too)."""
    organisation = editor_organisation(made_by)
    own(earmark, organisation, "earmark")
    own(account, organisation, "account")
    if not account.holds_money or account.currency != fund_currency():
        raise invalid(
            "account",
            _("Choose a bank or cash account in %(currency)s.") % {"currency": fund_currency()},
        )
    if method not in DisbursementMethod.values:
        raise invalid("method", _("Choose one of the listed methods."))
    paid_on = clean_date(paid_on or timezone.localdate(), "paid_on")
    if assistance.case.organisation_id != organisation.pk:
        raise invalid("assistance", _("Choose one of the listed values."))
    try:
        with transaction.atomic():
            ledger.lock_earmarks([earmark.pk])
            item = _locked_assistance(assistance)
            refusal = _refusal(item, earmark)
            if refusal is not None:
                raise refusal
            amount = item.amount
            if amount is None:  # _refusal refused it already; this says so to the type checker
                raise Invalid(code="no_amount", message="")
            held, _value = ledger.money_balance(account, earmark)
            if held < amount:
                raise Conflict(
                    code="insufficient_funds",
                    message=_(
                        "%(account)s holds %(held)s %(currency)s of the %(earmark)s money; this "
                        "assistance needs %(amount)s. Nothing was paid."
                    )
                    % {
                        "account": account.label,
                        "held": format_amount(held, account.currency),
                        "currency": account.currency,
                        "earmark": earmark.name,
                        "amount": format_amount(amount, account.currency),
                    },
                )
            expense = ledger.system_account(
                organisation, Account.Kind.ASSISTANCE, assistance_kind=item.kind
            )
            currency = account.currency
            entry = ledger.post(
                organisation=organisation,
                kind=JournalEntry.Kind.DISBURSEMENT,
                date=paid_on,
                posted_by=made_by,
                memo=f"Assistance #{item.pk}",
                lines=[
                    ledger.Line(expense, earmark, currency, amount, amount),
                    ledger.Line(account, earmark, currency, -amount, -amount),
                ],
            )
            disbursement = Disbursement.objects.create(
                organisation=organisation,
                assistance=item,
                account=account,
                earmark=earmark,
                amount=amount,
                paid_on=paid_on,
                entry=entry,
                made_by=made_by,
            )
            assistance_disburse(
                assistance=item,
                disbursed_by=made_by,
                method=method,
                reference=reference,
                expected_version=item.version,
            )
            audit_record(
                action="fund.disbursement.made",
                actor=made_by,
                obj=disbursement,
                fields=["assistance", "account", "earmark", "amount", "paid_on"],
            )
    except IntegrityError:
        # the database's own guard: the item was paid by somebody else at the same moment
        raise Conflict(
            code="already_paid",
            message=_("This assistance has already been paid. Nothing was recorded."),
        ) from None
    assistance.refresh_from_db()
    return disbursement


def assistance_return_to_approved(*, item: Assistance, by: User) -> None:
    """After its payment was reversed, the item waits to be paid again (a conditional UPDATE
    on its version, so that a concurrent change is never overwritten)."""
    update_versioned(
        item,
        where=Q(status=S.DISBURSED),
        refusal=Stale(
            _(
                "The assistance changed while its payment was being "
                "reversed. Nothing was changed: reload and try again."
            )
        ),
        status=S.APPROVED,
        disbursed_by=None,
        disbursed_at=None,
        disbursement_method="",
        disbursement_reference="",
    )
    audit_record(
        action="case.assistance.disbursement_reversed",
        actor=by,
        obj=item,
        fields=[
            "status",
            "disbursed_by",
            "disbursed_at",
            "disbursement_method",
            "disbursement_reference",
        ],
    )
