"""Reconciliation: the ledger's totals equal the sums of the donations and disbursements that
stand, and the reports say the same as the ledger."""

from __future__ import annotations

from decimal import Decimal

import pytest

from madad.accounts.models import Organisation, User
from madad.fund import services
from madad.fund.models import Disbursement, Donation
from madad.fund.reports import (
    assistance_by_kind_table,
    balances_table,
    donations_by_channel_table,
    income_expenditure_table,
    trial_balance_table,
)
from tests.fund.factories import Books, approved_assistance, give
from tests.fund.ledger_checks import assert_books_balance, assert_books_reconcile

pytestmark = pytest.mark.django_db


@pytest.fixture
def year_of_books(finance: User, books: Books, relief_org: Organisation) -> Books:
    """Donations in three currencies (one reversed), conversions with a gain and a loss,
    payments (one reversed)."""
    give(finance, account=books.usd, earmark=books.general, amount="1000", fee="25", rate="280")
    give(finance, account=books.usd, earmark=books.education, amount="300", rate="281.5")
    give(
        finance,
        account=books.pkr,
        earmark=books.general,
        amount="150000",
        fee="500",
        channel="cheque",
    )
    wrong = give(finance, account=books.pkr, earmark=books.general, amount="9999", channel="cash")
    services.entry_reverse(entry=wrong.entry, reversed_by=finance, reason="Recorded twice")
    for earmark, amount, rate in ((books.general, "975", "284"), (books.education, "300", "279")):
        services.conversion_record(
            recorded_by=finance,
            earmark=earmark,
            from_account=books.usd,
            to_account=books.pkr,
            amount=amount,
            rate=rate,
            date="2025-01-20",
        )
    payments = []
    for kind, amount, earmark in (
        ("school_fees", "12000", books.education),
        ("rent", "25000", books.general),
        ("medical_bills", "40000.50", books.general),
        ("school_fees", "8000", books.general),
    ):
        payments.append(
            services.disbursement_make(
                made_by=finance,
                assistance=approved_assistance(relief_org, amount=amount, kind=kind),
                earmark=earmark,
                account=books.pkr,
                method="bank_transfer",
                reference="TX",
                paid_on="2025-01-25",
            )
        )
    services.entry_reverse(
        entry=payments[1].entry, reversed_by=finance, reason="Bounced", date="2025-01-26"
    )
    return books


def test_ledger_totals_equal_the_donations_and_disbursements_that_stand(
    year_of_books: Books, relief_org: Organisation
) -> None:
    assert_books_balance(relief_org)
    assert_books_reconcile(relief_org)
    standing = Donation.objects.filter(entry__reversed_by__isnull=True)
    assert standing.count() == 3
    assert sum(d.base_amount for d in standing) == Decimal("280000") + Decimal("84450") + Decimal(
        "150000"
    )
    assert sum(d.amount for d in Disbursement.objects.filter(reversed_at__isnull=True)) == Decimal(
        "60000.50"
    )


def test_the_reports_agree_with_the_ledger(year_of_books: Books, relief_org: Organisation) -> None:
    trial = trial_balance_table(relief_org)
    assert trial.totals is not None
    assert trial.totals[1] == trial.totals[2] and trial.totals[3] == 0
    by_kind = assistance_by_kind_table(relief_org)
    assert by_kind.totals == ["Total", 3, Decimal("60000.50")]
    by_channel = donations_by_channel_table(relief_org)
    assert by_channel.totals == ["Total", "", 3, "", "", Decimal("514450.00")]
    income = income_expenditure_table(relief_org)
    assert income.totals is not None
    donations, exchange, assistance, fees, surplus = income.totals[1:]
    assert donations == Decimal("514450.00")
    assert assistance == Decimal("60000.50")
    assert fees == Decimal("7500.00")  # 25 dollars at 280, and 500 rupees
    # 975 dollars carried at 280 sold at 284 (+3,900); 300 carried at 281.5 sold at 279 (-750)
    assert exchange == Decimal("3150.00")
    balances = balances_table(relief_org)
    assert balances.totals is not None
    held = balances.totals[4]
    assert held == surplus == donations + exchange - assistance - fees
