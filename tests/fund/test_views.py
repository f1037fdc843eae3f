"""The fund's staff pages, asked by the finance officer who keeps the books, colleagues with
other roles (auditor and coordinator read; a caseworker does not see the fund), and outsiders
from another organisation (404 for every record of ours)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from madad.accounts.models import Organisation, User
from madad.assistance.models import Assistance
from madad.core.models import AuditEvent
from madad.fund import services
from madad.fund.models import (
    Account,
    Conversion,
    Disbursement,
    Donation,
    Donor,
    Earmark,
    ExchangeRate,
    JournalEntry,
)
from madad.fund.selectors import unspent
from tests.fund.factories import Books, approved_assistance, give

pytestmark = pytest.mark.django_db
SignIn = Callable[[User], Client]


@dataclass(frozen=True)
class Kept(Books):
    """The books with a donor's donation (and its journal entry) kept in them."""

    donor: Donor
    donation: Donation
    entry: JournalEntry


@pytest.fixture
def kept(finance: User, books: Books) -> Kept:
    donor = services.donor_record(
        recorded_by=finance, name="Farah Baig", contact="farah@example.org"
    )
    donation = give(
        finance,
        account=books.usd,
        earmark=books.general,
        amount="200",
        fee="5",
        rate="280",
        donor=donor,
    )
    give(finance, account=books.pkr, earmark=books.general, amount="50000")
    return Kept(**vars(books), donor=donor, donation=donation, entry=donation.entry)


def _urls(kept: Kept) -> dict[str, str]:
    return {
        "overview": "/fund/",
        "donations": "/fund/donations/",
        "donation": f"/fund/donations/{kept.donation.pk}/",
        "ledger": "/fund/ledger/",
        "entry": f"/fund/ledger/{kept.entry.pk}/",
        "rates": "/fund/rates/",
        "conversions": "/fund/conversions/",
        "setup": "/fund/setup/",
        "disbursements": "/fund/disbursements/",
    }


READ_PAGES = [
    "overview",
    "donations",
    "donation",
    "ledger",
    "entry",
    "rates",
    "conversions",
    "setup",
    "disbursements",
]


# --- reading ----------------------------------------------------------------------------------
@pytest.mark.parametrize("page", READ_PAGES)
@pytest.mark.parametrize("role", ["finance", "auditor", "coordinator"])
def test_finance_officers_auditors_and_coordinators_read_the_fund(
    kept: Kept, signed_in: SignIn, role: str, page: str, request: pytest.FixtureRequest
) -> None:
    response = signed_in(request.getfixturevalue(role)).get(_urls(kept)[page])
    assert response.status_code == 200


@pytest.mark.parametrize("page", READ_PAGES)
@pytest.mark.parametrize("role", ["caseworker", "partner_user"])
def test_other_roles_and_partners_do_not_see_the_fund(
    kept: Kept, signed_in: SignIn, role: str, page: str, request: pytest.FixtureRequest
) -> None:
    assert signed_in(request.getfixturevalue(role)).get(_urls(kept)[page]).status_code == 404


@pytest.mark.parametrize("page", ["donation", "entry"])
def test_an_outsider_gets_404_for_our_records_and_the_attempt_is_audited(
    kept: Kept, signed_in: SignIn, outsider: User, page: str
) -> None:
    assert signed_in(outsider).get(_urls(kept)[page]).status_code == 404
    assert AuditEvent.objects.filter(action="access.denied", actor=outsider).exists()


def test_an_outsider_sees_their_own_empty_fund_not_ours(
    kept: Kept, signed_in: SignIn, outsider: User
) -> None:
    html = signed_in(outsider).get("/fund/donations/").content.decode()
    assert kept.donation.receipt_number not in html
    assert "No donation matches." in html


def test_the_menu_shows_the_fund_to_those_who_may_see_it(
    signed_in: SignIn, finance: User, caseworker: User
) -> None:
    assert 'href="/fund/"' in signed_in(finance).get("/").content.decode()
    assert 'href="/fund/"' not in signed_in(caseworker).get("/").content.decode()


# --- donors: names for finance officers and auditors only, every read audited ---------------
def test_the_donation_page_names_the_donor_to_finance_and_audits_it(
    kept: Kept, signed_in: SignIn, finance: User
) -> None:
    html = signed_in(finance).get(_urls(kept)["donation"]).content.decode()
    assert "Farah Baig" in html
    event = AuditEvent.objects.get(action="fund.donor.viewed")
    assert (event.actor, event.fields) == (finance, ["name"])


def test_a_coordinator_sees_the_figures_but_not_who_gave(
    kept: Kept, signed_in: SignIn, coordinator: User
) -> None:
    client = signed_in(coordinator)
    html = client.get(_urls(kept)["donation"]).content.decode()
    assert "Farah" not in html and "195.00" in html
    assert client.get("/fund/donors/").status_code == 404
    assert client.get(f"/fund/donors/{kept.donor.pk}/").status_code == 404
    assert client.get(f"/fund/donations/{kept.donation.pk}/receipt/en/").status_code == 404


@pytest.mark.parametrize("role", ["finance", "auditor"])
def test_donor_pages_show_name_and_contact_to_finance_and_auditors(
    kept: Kept, signed_in: SignIn, role: str, request: pytest.FixtureRequest
) -> None:
    client = signed_in(request.getfixturevalue(role))
    assert "Farah Baig" in client.get("/fund/donors/").content.decode()
    html = client.get(f"/fund/donors/{kept.donor.pk}/").content.decode()
    assert "farah@example.org" in html
    assert AuditEvent.objects.filter(action="fund.donor.viewed").count() == 2


def test_an_outsider_cannot_open_our_donor(kept: Kept, signed_in: SignIn, outsider: User) -> None:
    assert signed_in(outsider).get(f"/fund/donors/{kept.donor.pk}/").status_code == 404


@pytest.mark.parametrize("language", ["en", "ur"])
def test_the_printable_receipt_comes_in_english_and_urdu(
    kept: Kept, signed_in: SignIn, finance: User, language: str
) -> None:
    response = signed_in(finance).get(f"/fund/donations/{kept.donation.pk}/receipt/{language}/")
    html = response.content.decode()
    assert response.status_code == 200 and response["Content-Language"] == language
    assert f'lang="{language}" dir="{"rtl" if language == "ur" else "ltr"}"' in html
    assert kept.donation.receipt_number in html and "Farah Baig" in html
    assert "200.00 USD" in html
    printed = AuditEvent.objects.get(action="fund.receipt.printed")
    assert (printed.actor, printed.object_id) == (finance, str(kept.donation.pk))


def test_there_is_no_receipt_in_another_language(
    kept: Kept, signed_in: SignIn, finance: User
) -> None:
    url = f"/fund/donations/{kept.donation.pk}/receipt/fr/"
    assert signed_in(finance).get(url).status_code == 404


# --- changing: finance officers only -----------------------------------------------------------
def _donation_form(books: Books, **changes: Any) -> dict[str, Any]:
    return {
        "received_on": "2025-02-01",
        "amount": "120",
        "currency": "USD",
        "fee": "2",
        "channel": "card_online",
        "earmark": books.education.pk,
        "account": books.usd.pk,
        "rate": "281",
        "rate_source": "Bank",
        "donor_name": "Usman Ghani",
        "donor_kind": "person",
        "donor_contact": "",
        **changes,
    }


def test_a_finance_officer_records_a_donation_from_a_new_donor(
    kept: Kept, signed_in: SignIn, finance: User
) -> None:
    response = signed_in(finance).post("/fund/donations/new/", _donation_form(kept))
    donation = Donation.objects.latest("id")
    assert response.status_code == 302 and response["Location"] == f"/fund/donations/{donation.pk}/"
    assert donation.donor is not None
    assert (donation.amount, donation.fee, donation.donor.name) == (
        Decimal("120"),
        Decimal("2"),
        "Usman Ghani",
    )


def test_a_wrong_donation_form_is_answered_422_and_records_nothing(
    kept: Kept, signed_in: SignIn, finance: User
) -> None:
    donors = Donor.objects.count()
    response = signed_in(finance).post("/fund/donations/new/", _donation_form(kept, currency="GBP"))
    assert response.status_code == 422
    assert "Choose a bank or cash account that holds GBP." in response.content.decode()
    assert Donation.objects.count() == 2 and Donor.objects.count() == donors


@pytest.mark.parametrize("role", ["auditor", "coordinator"])
def test_readers_cannot_record_anything(
    kept: Kept, signed_in: SignIn, role: str, request: pytest.FixtureRequest
) -> None:
    client = signed_in(request.getfixturevalue(role))
    assert client.get("/fund/donations/new/").status_code == 404
    assert client.post("/fund/donations/new/", _donation_form(kept)).status_code == 404
    assert client.post("/fund/donors/new/", {"name": "X", "kind": "person"}).status_code == 404
    assert (
        client.post(
            "/fund/rates/", {"currency": "USD", "date": "2025-01-01", "rate": "280", "source": "x"}
        ).status_code
        == 404
    )
    assert client.post(f"/fund/ledger/{kept.entry.pk}/reverse/", {"reason": "x"}).status_code == 404
    assert (
        client.post(
            "/fund/setup/accounts/", {"kind": "bank", "name": "X", "currency": "PKR"}
        ).status_code
        == 404
    )
    assert Donation.objects.count() == 2 and not ExchangeRate.objects.exists()
    assert not JournalEntry.objects.filter(kind="reversal").exists()


def test_an_outsider_cannot_record_into_our_earmark_or_account(
    kept: Kept, signed_in: SignIn, outsider: User, other_relief_org: Organisation
) -> None:
    from tests.fund.factories import books

    books(other_relief_org, outsider)
    response = signed_in(outsider).post("/fund/donations/new/", _donation_form(kept))
    assert response.status_code == 422
    assert Donation.objects.filter(organisation=other_relief_org).count() == 0


def test_a_finance_officer_records_a_donor_and_their_choice_to_be_named(
    signed_in: SignIn, finance: User, auditor: User
) -> None:
    client = signed_in(finance)
    response = client.post(
        "/fund/donors/new/", {"name": "Nida Farooq", "kind": "person", "contact": ""}
    )
    donor = Donor.objects.get()
    assert response["Location"] == f"/fund/donors/{donor.pk}/"
    client.post(f"/fund/donors/{donor.pk}/naming/", {"named_in_public": "1", "version": "1"})
    assert Donor.objects.get().named_in_public is True
    assert (
        signed_in(auditor)
        .post(f"/fund/donors/{donor.pk}/naming/", {"named_in_public": "0", "version": "2"})
        .status_code
        == 404
    )
    assert Donor.objects.get().named_in_public is True


def test_a_finance_officer_records_a_rate_and_a_conversion(
    kept: Kept, signed_in: SignIn, finance: User
) -> None:
    client = signed_in(finance)
    assert (
        client.post(
            "/fund/rates/",
            {"currency": "USD", "date": "2025-01-02", "rate": "278.5", "source": "SBP"},
        ).status_code
        == 302
    )
    response = client.post(
        "/fund/conversions/",
        {
            "date": "2025-02-01",
            "earmark": kept.general.pk,
            "from_account": kept.usd.pk,
            "to_account": kept.pkr.pk,
            "amount": "195",
            "rate": "285",
            "rate_source": "Bank",
        },
    )
    assert response.status_code == 302
    conversion = Conversion.objects.get()
    assert conversion.gain == Decimal("975.00")  # 195 dollars carried at 280, sold at 285


def test_converting_more_than_there_is_is_refused_on_the_page(
    kept: Kept, signed_in: SignIn, finance: User
) -> None:
    response = signed_in(finance).post(
        "/fund/conversions/",
        {
            "date": "2025-02-01",
            "earmark": kept.general.pk,
            "from_account": kept.usd.pk,
            "to_account": kept.pkr.pk,
            "amount": "500",
            "rate": "285",
        },
    )
    assert response.status_code == 409
    assert "holds only 195.00 USD" in response.content.decode()
    assert not Conversion.objects.exists()


def test_a_finance_officer_sets_up_a_programme_and_an_account(
    signed_in: SignIn, finance: User
) -> None:
    client = signed_in(finance)
    assert (
        client.post(
            "/fund/setup/earmarks/", {"name": "Widows' livelihoods", "kinds": ["livelihood_grant"]}
        ).status_code
        == 302
    )
    assert Earmark.objects.filter(code="widows-livelihoods", kinds=["livelihood_grant"]).exists()
    assert (
        client.post(
            "/fund/setup/accounts/", {"kind": "cash", "name": "Petty cash", "currency": "PKR"}
        ).status_code
        == 302
    )
    assert Account.objects.filter(name="Petty cash", currency="PKR").exists()
    response = client.post("/fund/setup/earmarks/", {"name": "No kinds"})
    assert response.status_code == 422


# --- paying and reversing ------------------------------------------------------------------
def test_a_finance_officer_pays_approved_assistance_from_the_queue(
    kept: Kept, signed_in: SignIn, finance: User, relief_org: Organisation
) -> None:
    item = approved_assistance(relief_org, amount="15000", kind="food")
    client = signed_in(finance)
    assert (
        f"/fund/disbursements/pay/{item.pk}/" in client.get("/fund/disbursements/").content.decode()
    )
    response = client.post(
        f"/fund/disbursements/pay/{item.pk}/",
        {
            "earmark": kept.general.pk,
            "account": kept.pkr.pk,
            "method": "mobile_wallet",
            "reference": "JC-99812",
            "paid_on": "2025-02-02",
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == Assistance.Status.DISBURSED
    assert unspent(earmark=kept.general) == Decimal("35000")


def test_unapproved_assistance_is_refused_on_the_page_with_the_reason(
    kept: Kept, signed_in: SignIn, finance: User, relief_org: Organisation
) -> None:
    item = approved_assistance(relief_org, amount="1000", status=Assistance.Status.REQUESTED)
    response = signed_in(finance).post(
        f"/fund/disbursements/pay/{item.pk}/",
        {
            "earmark": kept.general.pk,
            "account": kept.pkr.pk,
            "method": "cash",
            "reference": "V-1",
            "paid_on": "2025-02-02",
        },
    )
    assert response.status_code == 409
    assert "Only approved assistance is paid" in response.content.decode()
    assert not Disbursement.objects.exists()


def test_paying_beyond_the_earmarks_money_is_refused_on_the_page(
    kept: Kept, signed_in: SignIn, finance: User, relief_org: Organisation
) -> None:
    item = approved_assistance(relief_org, amount="50000.01")
    response = signed_in(finance).post(
        f"/fund/disbursements/pay/{item.pk}/",
        {
            "earmark": kept.general.pk,
            "account": kept.pkr.pk,
            "method": "cash",
            "reference": "V-1",
            "paid_on": "2025-02-02",
        },
    )
    assert response.status_code == 409
    assert "holds 50,000.00 PKR" in response.content.decode()


def test_nobody_else_pays_and_an_outsider_does_not_find_our_assistance(
    kept: Kept,
    signed_in: SignIn,
    auditor: User,
    outsider: User,
    relief_org: Organisation,
) -> None:
    item = approved_assistance(relief_org, amount="1000")
    url = f"/fund/disbursements/pay/{item.pk}/"
    assert signed_in(auditor).get(url).status_code == 404
    assert signed_in(outsider).get(url).status_code == 404
    assert signed_in(outsider).post(url, {"reference": "x"}).status_code == 404
    assert not Disbursement.objects.exists()


def test_a_finance_officer_reverses_an_entry_with_a_reason(
    kept: Kept, signed_in: SignIn, finance: User
) -> None:
    client = signed_in(finance)
    assert client.post(f"/fund/ledger/{kept.entry.pk}/reverse/", {"reason": ""}).status_code == 422
    response = client.post(
        f"/fund/ledger/{kept.entry.pk}/reverse/", {"reason": "Recorded against the wrong donor"}
    )
    reversal = JournalEntry.objects.get(kind="reversal")
    assert response["Location"] == f"/fund/ledger/{reversal.pk}/"
    again = client.post(f"/fund/ledger/{kept.entry.pk}/reverse/", {"reason": "again"})
    assert again.status_code == 409
    assert "already been reversed" in again.content.decode()


def test_an_outsider_cannot_reverse_our_entry(
    kept: Kept, signed_in: SignIn, outsider: User
) -> None:
    assert (
        signed_in(outsider)
        .post(f"/fund/ledger/{kept.entry.pk}/reverse/", {"reason": "x"})
        .status_code
        == 404
    )
    assert not JournalEntry.objects.filter(kind="reversal").exists()
