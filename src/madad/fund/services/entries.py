"""Corrections: an entry is never changed or deleted, it is reversed."""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from madad.accounts.models import User
from madad.assistance.models import Assistance
from madad.core.audit import audit_record
from madad.core.refusals import Conflict
from madad.fund import ledger
from madad.fund.models import Disbursement, JournalEntry, JournalLine
from madad.fund.services._common import clean_date, clean_text, editor_organisation, own
from madad.fund.services.disbursements import assistance_return_to_approved


def entry_reverse(
    *, entry: JournalEntry, reversed_by: User, reason: str, date: dt.date | str | None = None
) -> JournalEntry:
    """Posts the mirror image of an entry (every line with the opposite sign), dated `date`
    (today by default), with the reason. The original stays in the books.

    Refused, writing nothing, for a reversal (post the event again instead), an entry already
    reversed, or when undoing it would take money an account no longer holds (a donation
    already spent, say). Reversing a payment of assistance puts the item back to approved, to
    be paid again, unless the family already confirmed receiving it."""
    organisation = editor_organisation(reversed_by)
    own(entry, organisation, "entry")
    reason = clean_text(reason, "reason", max_length=2000, required=True)
    date_ = clean_date(date or timezone.localdate(), "date")
    if entry.kind == JournalEntry.Kind.REVERSAL:
        raise Conflict(
            code="not_reversible",
            message=_("A reversal is not itself reversed: record the event again instead."),
        )
    lines = list(JournalLine.objects.filter(entry=entry).select_related("account", "earmark"))
    with transaction.atomic():
        ledger.lock_earmarks(line.earmark_id for line in lines)
        if JournalEntry.objects.filter(reverses=entry).exists():
            raise Conflict(
                code="already_reversed", message=_("This entry has already been reversed.")
            )
        disbursement = Disbursement.objects.filter(entry=entry).first()
        if disbursement is not None:
            items = Assistance.objects.all()
            if connection.vendor != "sqlite":
                items = items.select_for_update()
            item = items.get(pk=disbursement.assistance_id)
            if item.status == Assistance.Status.RECEIPT_CONFIRMED:
                raise Conflict(
                    code="receipt_confirmed",
                    message=_(
                        "The family confirmed receiving this assistance, so its payment is not "
                        "reversed. Record a correction with the finance coordinator instead."
                    ),
                )
        mirror = [
            ledger.Line(line.account, line.earmark, line.currency, -line.amount, -line.base_amount)
            for line in lines
        ]
        reversal = ledger.post(
            organisation=organisation,
            kind=JournalEntry.Kind.REVERSAL,
            date=date_,
            posted_by=reversed_by,
            lines=mirror,
            memo=f"Reversal of entry #{entry.pk}",
            reverses=entry,
            reason=reason,
        )
        if disbursement is not None:
            Disbursement.objects.filter(pk=disbursement.pk).update(reversed_at=timezone.now())
            if item.status == Assistance.Status.DISBURSED:
                assistance_return_to_approved(item=item, by=reversed_by)
        audit_record(
            action="fund.entry.reversed",
            actor=reversed_by,
            obj=reversal,
            fields=["reverses", "reason", "date"],
        )
    return reversal
