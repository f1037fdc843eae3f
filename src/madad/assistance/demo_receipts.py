"""Demo: the families confirm receipt of some of the assistance the fund's loader paid.

Runs after the fund's loader (which pays the approved demo assistance that has an amount, with
its ledger entries). Idempotent: once any paid item is confirmed, it adds nothing.
"""

from __future__ import annotations

from django.db import transaction

from madad.accounts.roles import Role
from madad.assistance import services
from madad.assistance.models import Assistance
from madad.core.demo import DemoContext


def load(context: DemoContext) -> None:
    paid = Assistance.objects.filter(
        case__organisation=context.relief, amount__isnull=False
    ).select_related("case")
    if paid.filter(status=Assistance.Status.RECEIPT_CONFIRMED).exists():
        return
    disbursed = list(paid.filter(status=Assistance.Status.DISBURSED).order_by("pk"))
    worker = context.users[Role.CASEWORKER]
    confirmed = 0
    with transaction.atomic():
        for item in disbursed[::2]:  # every other one: the rest are still on their way
            if item.case.caseworker_id != worker.pk:
                continue
            services.assistance_confirm_receipt(assistance=item, confirmed_by=worker)
            confirmed += 1
    if confirmed:
        context.report.append(f"{confirmed} receipts of paid assistance confirmed")
