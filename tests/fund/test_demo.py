"""The demo fund: fictitious donors in several currencies, conversions, and payment of the
demo's approved assistance; loaded once, books balanced."""

from __future__ import annotations

import pytest

from madad.accounts.demo import demo_email, load_users
from madad.accounts.models import User
from madad.accounts.roles import Role
from madad.assistance.models import Assistance
from madad.core.demo import DemoContext
from madad.core.models import AuditEvent
from madad.fund import demo
from madad.fund.models import Conversion, Disbursement, Donation, Donor, JournalEntry
from tests.fund.factories import approved_assistance
from tests.fund.ledger_checks import assert_books_balance, assert_books_reconcile

pytestmark = pytest.mark.django_db


def _context(scale: float = 0.2) -> DemoContext:
    relief, partner = load_users(password="demo password for tests")
    users = {role: User.objects.get(email=demo_email(role)) for role in Role.values}
    return DemoContext(relief=relief, partner=partner, users=users, scale=scale)


def test_the_demo_fund_loads_once_with_balanced_books(db: None) -> None:
    context = _context()
    items = [
        approved_assistance(context.relief, amount="5000", kind=kind)
        for kind in ("school_fees", "cash_grant", "rent")
    ]
    demo.load(context)
    donations = Donation.objects.filter(organisation=context.relief)
    assert donations.count() == 12
    assert set(donations.values_list("currency", flat=True)) > {"PKR"}
    assert Conversion.objects.exists()
    assert Disbursement.objects.count() == 3
    assert {a.status for a in Assistance.objects.filter(pk__in=[i.pk for i in items])} == {
        Assistance.Status.DISBURSED
    }
    assert_books_balance(context.relief)
    assert_books_reconcile(context.relief)
    assert all(donor.name.endswith("(demo)") for donor in Donor.objects.all())
    assert context.report == [
        f"12 donations, {Conversion.objects.count()} conversions, 3 disbursements (fund)"
    ]
    entries = JournalEntry.objects.count()
    demo.load(_context())
    assert JournalEntry.objects.count() == entries
    assert AuditEvent.objects.filter(action="demo.fund.loaded").count() == 1


def test_the_demo_fund_loads_without_any_assistance_to_pay(db: None) -> None:
    context = _context(scale=0.05)
    demo.load(context)
    assert Donation.objects.count() == 3 and not Disbursement.objects.exists()
