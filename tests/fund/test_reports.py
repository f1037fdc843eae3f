"""Reports for finance officers and auditors: on a page and as CSV, every export audited."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from madad.accounts.models import Organisation, User
from madad.core.models import AuditEvent
from madad.fund import services
from madad.fund.reports import REPORTS
from tests.fund.factories import Books, approved_assistance, give

pytestmark = pytest.mark.django_db
SignIn = Callable[[User], Client]


@pytest.fixture
def kept(finance: User, books: Books, relief_org: Organisation) -> Books:
    give(
        finance,
        account=books.usd,
        earmark=books.general,
        amount="100",
        fee="2",
        rate="280",
        channel="card_online",
    )
    give(finance, account=books.pkr, earmark=books.general, amount="30000", channel="cash")
    services.account_open(opened_by=finance, kind="bank", name="=HYPERLINK(evil)", currency="PKR")
    services.disbursement_make(
        made_by=finance,
        assistance=approved_assistance(relief_org, amount="12500", kind="rent"),
        earmark=books.general,
        account=books.pkr,
        method="cash",
        reference="V-1",
        paid_on="2025-01-20",
    )
    return books


def _csv(response: Any) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


@pytest.mark.parametrize("name", list(REPORTS))
@pytest.mark.parametrize("role", ["finance", "auditor", "coordinator"])
def test_every_report_opens_for_finance_auditors_and_coordinators(
    kept: Books, signed_in: SignIn, role: str, name: str, request: pytest.FixtureRequest
) -> None:
    client = signed_in(request.getfixturevalue(role))
    assert client.get(f"/fund/reports/{name}/").status_code == 200
    response = client.get(f"/fund/reports/{name}.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    event = AuditEvent.objects.get(action="fund.report.exported")
    assert (event.object_id, event.fields) == (name, [])


@pytest.mark.parametrize("role", ["caseworker", "partner_user"])
def test_nobody_else_opens_reports(
    kept: Books, signed_in: SignIn, role: str, request: pytest.FixtureRequest
) -> None:
    client = signed_in(request.getfixturevalue(role))
    assert client.get("/fund/reports/").status_code == 404
    assert client.get("/fund/reports/balances.csv").status_code == 404
    assert not AuditEvent.objects.filter(action="fund.report.exported").exists()


def test_an_outsider_exports_their_own_books_not_ours(
    kept: Books, signed_in: SignIn, outsider: User
) -> None:
    rows = _csv(signed_in(outsider).get("/fund/reports/donations-by-channel.csv"))
    assert rows == [
        ["Channel", "Currency", "Donations", "Amount", "Fees", "Value (PKR)"],
        ["Total", "", "0", "", "", "0"],
    ]


def test_an_unknown_report_is_not_found(signed_in: SignIn, finance: User) -> None:
    assert signed_in(finance).get("/fund/reports/salaries/").status_code == 404
    assert signed_in(finance).get("/fund/reports/salaries.csv").status_code == 404


def test_donations_by_channel_and_assistance_by_kind_add_up(
    kept: Books, signed_in: SignIn, finance: User
) -> None:
    client = signed_in(finance)
    assert _csv(client.get("/fund/reports/donations-by-channel.csv")) == [
        ["Channel", "Currency", "Donations", "Amount", "Fees", "Value (PKR)"],
        ["Card, online", "USD", "1", "100.00", "2.00", "28000.00"],
        ["Cash", "PKR", "1", "30000.00", "0.00", "30000.00"],
        ["Total", "", "2", "", "", "58000.00"],
    ]
    assert _csv(client.get("/fund/reports/assistance-by-kind.csv")) == [
        ["Kind", "Payments", "Amount (PKR)"],
        ["Rent", "1", "12500.00"],
        ["Total", "1", "12500.00"],
    ]


def test_a_period_narrows_the_report(kept: Books, signed_in: SignIn, finance: User) -> None:
    rows = _csv(signed_in(finance).get("/fund/reports/assistance-by-kind.csv?date_from=2025-02-01"))
    assert rows == [["Kind", "Payments", "Amount (PKR)"], ["Total", "0", "0"]]


def test_a_name_typed_like_a_formula_is_exported_as_text(
    kept: Books, signed_in: SignIn, finance: User
) -> None:
    give(
        finance,
        account=kept.pkr.organisation.fund_accounts.get(name="=HYPERLINK(evil)"),
        earmark=kept.general,
        amount="5",
    )
    rows = _csv(signed_in(finance).get("/fund/reports/balances.csv"))
    assert ["'=HYPERLINK(evil)", "PKR", "General fund", "5.00", "5.00"] in rows
