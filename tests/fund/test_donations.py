"""Recording donations: money in, in any currency, with a receipt number and balanced entries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection

from madad.accounts.models import Organisation, User
from madad.core.models import AuditEvent
from madad.core.refusals import Invalid, Refused
from madad.fund import services
from madad.fund.models import Account, Channel, Donation, Donor, JournalLine
from tests.fund.factories import DAY, Books, books, give

pytestmark = pytest.mark.django_db


def _lines(donation: Donation) -> dict[str, tuple[Decimal, Decimal]]:
    return {
        line.account.name: (line.amount, line.base_amount)
        for line in JournalLine.objects.filter(entry=donation.entry).select_related("account")
    }


def test_a_dollar_donation_posts_its_net_to_the_bank_its_fee_to_administration_and_all_to_income(
    finance: User, books: Books
) -> None:
    donation = give(
        finance,
        account=books.usd,
        earmark=books.education,
        amount="100.00",
        fee="3.50",
        rate="280.25",
    )
    assert (donation.net, donation.base_amount) == (Decimal("96.50"), Decimal("28025.00"))
    assert _lines(donation) == {
        "Bank USD": (Decimal("96.50"), Decimal("27044.12")),
        "system:administration": (Decimal("3.50"), Decimal("980.88")),  # 980.875, half up
        "system:donations:education": (Decimal("-100.00"), Decimal("-28025.00")),
    }


def test_receipt_numbers_follow_each_other_without_gaps_within_a_year(
    finance: User, books: Books
) -> None:
    numbers = [
        give(
            finance, account=books.pkr, earmark=books.general, amount="500", day=day
        ).receipt_number
        for day in (DAY, DAY, dt.date(2024, 12, 31), DAY)
    ]
    assert numbers == ["2025-00001", "2025-00002", "2024-00001", "2025-00003"]


def test_without_an_entered_rate_the_stored_rate_of_the_day_or_of_a_few_days_before_is_used(
    finance: User, books: Books
) -> None:
    services.rate_record(
        recorded_by=finance,
        currency="USD",
        date=DAY - dt.timedelta(days=2),
        rate="279.10",
        source="State Bank",
    )
    donation = services.donation_record(
        recorded_by=finance,
        amount="10",
        currency="USD",
        received_on=DAY,
        channel=Channel.CARD_ONLINE,
        earmark=books.general,
        account=books.usd,
    )
    assert (donation.rate, donation.rate_date, donation.rate_source) == (
        Decimal("279.10"),
        DAY - dt.timedelta(days=2),
        "State Bank",
    )
    assert donation.base_amount == Decimal("2791.00")


def test_without_any_rate_near_the_day_the_donation_is_refused_and_nothing_is_written(
    finance: User, books: Books
) -> None:
    services.rate_record(
        recorded_by=finance,
        currency="USD",
        date=DAY - dt.timedelta(days=30),
        rate="279.10",
        source="State Bank",
    )
    with pytest.raises(Invalid) as refused:
        services.donation_record(
            recorded_by=finance,
            amount="10",
            currency="USD",
            received_on=DAY,
            channel=Channel.CARD_ONLINE,
            earmark=books.general,
            account=books.usd,
        )
    assert "rate" in refused.value.fields
    assert not Donation.objects.exists() and not JournalLine.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"amount": 10.5}, "amount"),  # a float
        ({"amount": "-5"}, "amount"),
        ({"amount": "10.005"}, "amount"),  # more places than the currency has
        ({"fee": "10"}, "fee"),  # fees as large as the gift
        ({"currency": "XYZ"}, "currency"),
        ({"currency": "GBP"}, "account"),  # the account holds dollars
        ({"channel": "pigeon"}, "channel"),
        ({"received_on": "2999-01-01"}, "received_on"),
        ({"rate": "0"}, "rate"),
    ],
)
def test_bad_input_is_refused_by_field_and_nothing_is_written(
    finance: User, books: Books, changes: dict[str, object], field: str
) -> None:
    data: dict[str, Any] = {  # a valid donation's arguments, some replaced by `changes`
        "recorded_by": finance,
        "amount": "10",
        "currency": "USD",
        "received_on": DAY,
        "channel": Channel.BANK_TRANSFER,
        "earmark": books.general,
        "account": books.usd,
        "fee": "1",
        "rate": "280",
        **changes,
    }
    with pytest.raises(Invalid) as refused:
        services.donation_record(**data)
    assert field in refused.value.fields
    assert not Donation.objects.exists() and not JournalLine.objects.exists()


def test_fractions_that_binary_floats_cannot_hold_are_kept_exactly(
    finance: User, books: Books
) -> None:
    donation = give(finance, account=books.pkr, earmark=books.general, amount="0.30", fee="0.10")
    donation.refresh_from_db()
    assert (donation.amount, donation.fee, donation.net) == (
        Decimal("0.30"),
        Decimal("0.10"),
        Decimal("0.20"),
    )


def test_another_organisations_earmark_or_account_is_refused_as_if_it_did_not_exist(
    finance: User, books: Books, outsider: User, other_relief_org: Organisation
) -> None:
    theirs = books_of(other_relief_org, outsider)
    with pytest.raises(Invalid) as refused:
        give(finance, account=theirs.pkr, earmark=books.general, amount="10")
    assert "account" in refused.value.fields
    with pytest.raises(Invalid) as refused:
        give(finance, account=books.pkr, earmark=theirs.general, amount="10")
    assert "earmark" in refused.value.fields


def books_of(organisation: Organisation, finance: User) -> Books:
    return books(organisation, finance)


@pytest.mark.parametrize("role", ["auditor", "coordinator", "caseworker"])
def test_only_a_finance_officer_records_money(
    books: Books, role: str, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(role)
    with pytest.raises(Refused) as refused:
        give(user, account=books.pkr, earmark=books.general, amount="10")
    assert refused.value.code == "forbidden"
    assert not Donation.objects.exists()


def test_donor_names_and_contacts_are_encrypted_at_rest_and_audited_by_field_name_only(
    finance: User,
) -> None:
    donor = services.donor_record(
        recorded_by=finance, name="Nadia Siddiqui", contact="nadia@example.org"
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, contact FROM fund_donor WHERE id = %s", [donor.pk])
        stored = cursor.fetchone()
    assert "Nadia" not in stored[0] and "nadia@" not in stored[1]
    assert Donor.objects.get(pk=donor.pk).name == "Nadia Siddiqui"
    event = AuditEvent.objects.get(action="fund.donor.created")
    assert event.fields == ["contact", "kind", "name", "named_in_public"]
    assert donor.named_in_public is False  # anonymous in public unless they ask


def test_a_donor_who_changes_their_mind_is_recorded_unless_somebody_changed_them_first(
    finance: User,
) -> None:
    donor = services.donor_record(recorded_by=finance, name="Imran Aziz")
    services.donor_naming_set(
        donor=donor, changed_by=finance, named_in_public=True, expected_version=1
    )
    assert Donor.objects.get(pk=donor.pk).named_in_public is True
    with pytest.raises(Refused) as stale:
        services.donor_naming_set(
            donor=donor, changed_by=finance, named_in_public=False, expected_version=1
        )
    assert stale.value.code == "stale"
    assert Donor.objects.get(pk=donor.pk).named_in_public is True


def test_opening_an_account_in_an_unknown_currency_or_with_a_taken_name_is_refused(
    finance: User, books: Books
) -> None:
    with pytest.raises(Invalid) as refused:
        services.account_open(
            opened_by=finance, kind=Account.Kind.BANK, name="Other", currency="ABC"
        )
    assert "currency" in refused.value.fields
    with pytest.raises(Invalid) as refused:
        services.account_open(
            opened_by=finance, kind=Account.Kind.BANK, name="Bank PKR", currency="PKR"
        )
    assert "name" in refused.value.fields
