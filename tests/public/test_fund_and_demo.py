"""The fund's public account on the public site, and the demo's public texts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from madad.accounts.demo import demo_email, load_users
from madad.accounts.models import User
from madad.accounts.roles import Role
from madad.core.demo import DemoContext
from madad.incidents.demo import TYPES as DEMO_TYPES
from madad.public import demo
from madad.public.models import ClaimCheck, FactSheet, Status
from madad.public.views import pages
from tests.incidents.factories import Gazetteer
from tests.public.factories import incident, incident_type

pytestmark = pytest.mark.django_db


def test_the_fund_page_shows_the_funds_public_account(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        pages,
        "public_account",
        lambda: {
            "currency": "PKR",
            "published_until": dt.date(2014, 6, 30),
            "donors": ["A. Friend"],
            "months": [
                {
                    "month": "2014-05",
                    "total_in": Decimal("150000.00"),
                    "total_out": Decimal("90000.00"),
                    "in": [
                        {
                            "category": "donations:general",
                            "label": "Donations: general",
                            "amount": Decimal("150000.00"),
                        }
                    ],
                    "out": [
                        {
                            "category": "medical",
                            "label": "Medical help",
                            "amount": Decimal("90000.00"),
                        }
                    ],
                }
            ],
        },
    )
    page = client.get("/public/fund/").content.decode()
    assert "May 2014" in page and "Medical help" in page
    assert "150,000" in page and "90,000" in page
    assert "A. Friend" in page


def test_the_fund_page_says_not_yet_while_no_month_of_the_fund_is_published(client: Client) -> None:
    page = client.get("/public/fund/").content.decode()
    assert "has not been published yet" in page


def test_the_demo_publishes_fact_sheets_and_claim_checks_once(
    documenter: User, places: Gazetteer
) -> None:
    for code in DEMO_TYPES:
        incident_type(code)
    for n in range(12):
        incident(
            documenter,
            places.orchard,
            start_date=dt.date(2010 + n % 4, 3, 1 + n),
            types=(list(DEMO_TYPES)[n % 3],),
        )
    relief, partner = load_users(password="demo password for tests")
    users = {role: User.objects.get(email=demo_email(role)) for role in Role.values}
    context = DemoContext(relief=relief, partner=partner, users=users)
    demo.load(context)
    demo.load(context)
    assert FactSheet.objects.filter(status=Status.PUBLISHED).count() == 2
    assert ClaimCheck.objects.filter(status=Status.PUBLISHED).count() == 2
    for text in [*FactSheet.objects.all(), *ClaimCheck.objects.all()]:
        assert text.approved_by == users[Role.VERIFIER]
        assert text.created_by == users[Role.DOCUMENTER]
    assert context.report == ["2 fact sheets and 2 claim checks published"]
