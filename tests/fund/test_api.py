"""/api/v1/fund asked by the finance officer, colleagues with other roles, and outsiders."""

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
from madad.fund.models import Disbursement, Donation, Donor, JournalEntry
from tests.api.helpers import assert_error_shape
from tests.fund.factories import Books, approved_assistance, give

pytestmark = pytest.mark.django_db
URL = "/api/v1/fund"
Bearer = Callable[[User], dict[str, str]]


def _post(client: Client, path: str, body: Any, headers: dict[str, str]) -> Any:
    return client.post(f"{URL}{path}", body, content_type="application/json", headers=headers)


@dataclass(frozen=True)
class Kept(Books):
    """The books with a donor's donation kept in them."""

    donor: Donor
    donation: Donation


@pytest.fixture
def kept(finance: User, books: Books) -> Kept:
    donor = services.donor_record(recorded_by=finance, name="Rubina Akhtar")
    donation = give(finance, account=books.pkr, earmark=books.general, amount="20000", donor=donor)
    return Kept(**vars(books), donor=donor, donation=donation)


def _donation_body(kept: Kept, **changes: Any) -> dict[str, Any]:
    return {
        "received_on": "2025-02-01",
        "amount": "250.75",
        "currency": "USD",
        "fee": "3.10",
        "channel": "bank_transfer",
        "earmark_id": kept.education.pk,
        "account_id": kept.usd.pk,
        "rate": "280.5",
        **changes,
    }


# --- the finance officer ---------------------------------------------------------------------
def test_a_finance_officer_records_a_donation_with_amounts_as_exact_strings(
    client: Client, finance: User, kept: Kept, bearer: Bearer
) -> None:
    response = _post(client, "/donations", _donation_body(kept), bearer(finance))
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["amount"], body["fee"], body["net"], body["value"]) == (
        "250.75",
        "3.10",
        "247.65",
        "70335.38",
    )
    assert body["receipt_number"] == "2025-00002" and body["reversed"] is False
    assert Donation.objects.get(pk=body["id"]).net == Decimal("247.65")


def test_amounts_sent_as_json_numbers_are_refused(
    client: Client, finance: User, kept: Kept, bearer: Bearer
) -> None:
    response = _post(client, "/donations", _donation_body(kept, amount=250.75), bearer(finance))
    error = assert_error_shape(response, 422, "invalid")
    assert "amount" in error["fields"]
    assert Donation.objects.count() == 1


def test_a_service_refusal_comes_back_on_the_field(
    client: Client, finance: User, kept: Kept, bearer: Bearer
) -> None:
    response = _post(client, "/donations", _donation_body(kept, currency="GBP"), bearer(finance))
    error = assert_error_shape(response, 422, "invalid")
    assert list(error["fields"]) == ["account_id"]


def test_a_finance_officer_pays_approved_assistance_and_refusals_say_why(
    client: Client, finance: User, kept: Kept, bearer: Bearer, relief_org: Organisation
) -> None:
    item = approved_assistance(relief_org, amount="12000", kind="medical_bills")
    body = {
        "assistance_id": item.pk,
        "earmark_id": kept.general.pk,
        "account_id": kept.pkr.pk,
        "method": "paid_to_provider",
        "reference": "HOSP-7",
    }
    response = _post(client, "/disbursements", body, bearer(finance))
    assert response.status_code == 201, response.content
    assert response.json()["amount"] == "12000.00"
    assert Assistance.objects.get(pk=item.pk).status == Assistance.Status.DISBURSED

    again = _post(client, "/disbursements", body, bearer(finance))
    assert assert_error_shape(again, 409, "already_paid")

    requested = approved_assistance(relief_org, amount="100", status=Assistance.Status.REQUESTED)
    refused = _post(
        client, "/disbursements", {**body, "assistance_id": requested.pk}, bearer(finance)
    )
    assert "Only approved" in assert_error_shape(refused, 409, "not_approved")["message"]

    too_much = approved_assistance(relief_org, amount="8000.01")
    refused = _post(
        client, "/disbursements", {**body, "assistance_id": too_much.pk}, bearer(finance)
    )
    assert assert_error_shape(refused, 409, "insufficient_funds")
    assert Disbursement.objects.count() == 1


def test_a_finance_officer_converts_and_reverses(
    client: Client, finance: User, kept: Kept, bearer: Bearer
) -> None:
    give(finance, account=kept.usd, earmark=kept.general, amount="100", rate="280")
    response = _post(
        client,
        "/conversions",
        {
            "date": "2025-02-01",
            "earmark_id": kept.general.pk,
            "from_account_id": kept.usd.pk,
            "to_account_id": kept.pkr.pk,
            "amount": "100",
            "rate": "282",
        },
        bearer(finance),
    )
    assert response.status_code == 201, response.content
    assert (response.json()["amount_to"], response.json()["gain"]) == ("28200.00", "200.00")
    entry_id = response.json()["entry_id"]
    reversed_ = _post(
        client, f"/entries/{entry_id}/reverse", {"reason": "Wrong rate"}, bearer(finance)
    )
    assert reversed_.status_code == 201, reversed_.content
    assert reversed_.json()["reverses_id"] == entry_id
    assert {line["value"] for line in reversed_.json()["lines"]} == {
        "-28200.00",
        "28000.00",
        "200.00",
    }


def test_the_books_and_reports_are_read_through_the_api(
    client: Client, finance: User, kept: Kept, bearer: Bearer
) -> None:
    balances = client.get(f"{URL}/balances", headers=bearer(finance)).json()
    assert balances["balances"] == [
        {
            "account_id": kept.pkr.pk,
            "account": "Bank PKR",
            "currency": "PKR",
            "earmark_id": kept.general.pk,
            "earmark": "General fund",
            "amount": "20000.00",
            "value": "20000.00",
        }
    ]
    entries = client.get(f"{URL}/entries", headers=bearer(finance)).json()
    assert entries["count"] == 1 and len(entries["items"][0]["lines"]) == 2
    report = client.get(f"{URL}/reports/trial-balance", headers=bearer(finance)).json()
    assert report["totals"] == ["Total", "20000.00", "20000.00", "0.00"]
    assert AuditEvent.objects.filter(action="fund.report.viewed").count() == 1
    assert client.get(f"{URL}/reports/nonsense", headers=bearer(finance)).status_code == 404


# --- colleagues with other roles -------------------------------------------------------------
@pytest.mark.parametrize("role", ["auditor", "coordinator"])
def test_auditors_and_coordinators_read_but_do_not_change(
    client: Client, kept: Kept, bearer: Bearer, role: str, request: pytest.FixtureRequest
) -> None:
    headers = bearer(request.getfixturevalue(role))
    listed = client.get(f"{URL}/donations", headers=headers)
    assert listed.status_code == 200 and listed.json()["count"] == 1
    assert client.get(f"{URL}/reports/balances", headers=headers).status_code == 200
    refused = _post(client, "/donations", _donation_body(kept), headers)
    assert_error_shape(refused, 403, "forbidden")
    refused = _post(client, f"/entries/{kept.donation.entry_id}/reverse", {"reason": "x"}, headers)
    assert_error_shape(refused, 403, "forbidden")
    assert Donation.objects.count() == 1 and JournalEntry.objects.count() == 1


def test_a_donors_name_is_answered_to_an_auditor_and_withheld_from_a_coordinator(
    client: Client, kept: Kept, bearer: Bearer, auditor: User, coordinator: User
) -> None:
    url = f"{URL}/donors/{kept.donor.pk}"
    assert client.get(url, headers=bearer(auditor)).json()["name"] == "Rubina Akhtar"
    shown = client.get(url, headers=bearer(coordinator)).json()
    assert "name" not in shown and "contact" not in shown
    assert AuditEvent.objects.filter(action="fund.donor.viewed").count() == 1


def test_a_caseworker_does_not_see_the_fund(
    client: Client, kept: Kept, bearer: Bearer, caseworker: User
) -> None:
    for path in ("/balances", "/donations", "/entries", "/reports/balances"):
        assert_error_shape(client.get(f"{URL}{path}", headers=bearer(caseworker)), 403)


# --- outsiders ------------------------------------------------------------------------------
def test_an_outsider_gets_404_for_our_records_and_cannot_use_them(
    client: Client, kept: Kept, bearer: Bearer, outsider: User, relief_org: Organisation
) -> None:
    headers = bearer(outsider)
    for path in (
        f"/donations/{kept.donation.pk}",
        f"/entries/{kept.donation.entry_id}",
        f"/donors/{kept.donor.pk}",
    ):
        assert_error_shape(client.get(f"{URL}{path}", headers=headers), 404, "not_found")
    assert client.get(f"{URL}/donations", headers=headers).json()["count"] == 0
    refused = _post(client, "/donations", _donation_body(kept), headers)
    assert set(assert_error_shape(refused, 422)["fields"]) == {"earmark_id"}
    item = approved_assistance(relief_org, amount="10")
    refused = _post(
        client,
        "/disbursements",
        {
            "assistance_id": item.pk,
            "earmark_id": kept.general.pk,
            "account_id": kept.pkr.pk,
            "method": "cash",
            "reference": "x",
        },
        headers,
    )
    assert "assistance_id" in assert_error_shape(refused, 422)["fields"]
    reversed_ = _post(
        client, f"/entries/{kept.donation.entry_id}/reverse", {"reason": "x"}, headers
    )
    assert_error_shape(reversed_, 404)
    assert not Disbursement.objects.exists() and JournalEntry.objects.count() == 1
