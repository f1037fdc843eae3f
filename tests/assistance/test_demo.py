"""The demo assistance, referrals and claims: every stage, through the services, loaded once,
and skipped with a word when there are no cases yet."""

from __future__ import annotations

import pytest
from django.db.models import F

from madad import access
from madad.accounts.demo import demo_email, load_users
from madad.accounts.models import User
from madad.accounts.roles import Role
from madad.assistance import demo as assistance_demo
from madad.assistance import demo_receipts
from madad.assistance.models import Assistance, Limit
from madad.cases import demo as case_demo
from madad.claims import demo as claim_demo
from madad.claims.models import Claim
from madad.claims.selectors import claims_needing_action
from madad.core.demo import DemoContext
from madad.households import demo as household_demo
from madad.incidents import demo as incident_demo
from madad.referrals import demo as referral_demo
from madad.referrals.models import Referral
from tests.incidents.factories import gazetteer

pytestmark = pytest.mark.django_db


def _context(scale: float = 0.5) -> DemoContext:
    relief, partner = load_users(password="demo password for tests")
    users = {role: User.objects.get(email=demo_email(role)) for role in Role.values}
    return DemoContext(relief=relief, partner=partner, users=users, scale=scale)


def _load_mine(context: DemoContext) -> None:
    for module in (assistance_demo, referral_demo, claim_demo, demo_receipts):
        module.load(context)


def test_without_cases_the_loaders_say_so_and_add_nothing() -> None:
    context = _context()
    _load_mine(context)
    assert not Assistance.objects.exists() and not Referral.objects.exists()
    assert not Claim.objects.exists()
    assert "no assistance (no cases with an agreed plan yet)" in context.report


def test_the_demo_reaches_every_stage_once() -> None:
    context = _context(scale=0.5)
    gazetteer()
    incident_demo.load(
        DemoContext(relief=context.relief, partner=context.partner, users=context.users, scale=0.05)
    )
    household_demo.load(context)
    case_demo.load(context)
    _load_mine(context)
    statuses = set(Assistance.objects.values_list("status", flat=True))
    # "disbursed" money comes from the fund's loader; help in kind is handed over here
    assert statuses == set(Assistance.Status.values)
    assert Assistance.objects.filter(approved_over_limit=True).exists()
    assert Limit.objects.filter(organisation=context.relief).count() == 7
    assert not Assistance.objects.filter(requested_by=F("approved_by")).exists()
    assert set(Referral.objects.values_list("status", flat=True)) == set(Referral.Status.values)
    partner = context.users[Role.PARTNER]
    seen = access.visible_to(partner, Referral)
    assert 0 < seen.count() < Referral.objects.exclude(status="withdrawn").count()
    assert {"filed", "documents_requested", "approved", "paid", "rejected", "appealed"} <= set(
        Claim.objects.values_list("status", flat=True)
    )
    assert Claim.objects.filter(documents__isnull=False).exists()
    assert claims_needing_action(context.users[Role.CASEWORKER]).exists()
    counts = (Assistance.objects.count(), Referral.objects.count(), Claim.objects.count())
    _load_mine(_context(scale=0.5))
    assert (Assistance.objects.count(), Referral.objects.count(), Claim.objects.count()) == counts
