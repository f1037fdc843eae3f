"""The public account: monthly totals in and out, only for months old enough, naming only
donors who asked to be, and never an individual payment or a family."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from pytest_django import Settings

from madad.accounts.models import Organisation, User
from madad.fund import services
from madad.fund.models import Disbursement
from madad.fund.selectors import public_account
from tests.fund.factories import Books, approved_assistance, give

pytestmark = pytest.mark.django_db


def _months_ago(months: int, day: int = 10) -> dt.date:
    today = timezone.localdate()
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    return dt.date(year, month + 1, day)


def _pay(
    finance: User,
    books: Books,
    organisation: Organisation,
    amount: str,
    kind: str,
    day: dt.date,
) -> Disbursement:
    item = approved_assistance(organisation, amount=amount, kind=kind)
    return services.disbursement_make(
        made_by=finance,
        assistance=item,
        earmark=books.general,
        account=books.pkr,
        method="bank_transfer",
        reference=f"REF-{item.pk}-SECRET",
        paid_on=day,
    )


def _month(account: dict[str, Any], when: dt.date) -> dict[str, Any]:
    return next(m for m in account["months"] if m["month"] == when.strftime("%Y-%m"))


def _everything(account: dict[str, Any]) -> str:
    return json.dumps(account, default=str)


@pytest.fixture
def funded(finance: User, books: Books) -> Books:
    give(finance, account=books.pkr, earmark=books.general, amount="1000000", day=_months_ago(6))
    return books


def test_only_months_that_ended_at_least_the_delay_ago_are_published(
    finance: User, funded: Books
) -> None:
    give(finance, account=funded.pkr, earmark=funded.education, amount="700", day=_months_ago(1))
    account = public_account(delay_days=60)
    months = [m["month"] for m in account["months"]]
    assert _months_ago(6).strftime("%Y-%m") in months
    assert _months_ago(1).strftime("%Y-%m") not in months
    assert account["published_until"] <= timezone.localdate() - dt.timedelta(days=60)
    assert public_account(delay_days=0)["months"][-1]["month"] == _months_ago(1).strftime("%Y-%m")


def test_the_delay_defaults_to_the_setting(
    finance: User, funded: Books, settings: Settings
) -> None:
    settings.MADAD_FUND_PUBLIC_DELAY_DAYS = 400
    assert public_account()["months"] == []
    settings.MADAD_FUND_PUBLIC_DELAY_DAYS = 60
    assert public_account()["months"] != []


def test_money_in_is_shown_by_earmark_and_money_out_by_kind_of_assistance(
    finance: User, funded: Books, relief_org: Organisation
) -> None:
    day = _months_ago(4)
    for n in range(5):
        _pay(finance, funded, relief_org, f"{1000 + n}", "school_fees", day)
    month = _month(public_account(delay_days=60, min_payments=5), day)
    assert month["out"] == [
        {"category": "assistance:school_fees", "label": "School fees", "amount": Decimal("5010.00")}
    ]
    assert month["total_out"] == Decimal("5010.00")
    first = _month(public_account(delay_days=60), _months_ago(6))
    assert first["in"] == [
        {
            "category": "donations:general",
            "label": "Donations: General fund",
            "amount": Decimal("1000000.00"),
        }
    ]


def test_no_single_payment_can_be_read_from_the_account(
    finance: User, funded: Books, relief_org: Organisation
) -> None:
    day = _months_ago(4)
    # five rent payments: shown; one medical bill and one legal fee: never on their own
    for n in range(5):
        _pay(finance, funded, relief_org, f"{2000 + n}", "rent", day)
    _pay(finance, funded, relief_org, "7777.77", "medical_bills", day)
    _pay(finance, funded, relief_org, "3333.33", "legal_aid", day)
    account = public_account(delay_days=60, min_payments=5)
    text = _everything(account)
    assert "7777.77" not in text and "3333.33" not in text
    assert "Medical" not in text and "Legal" not in text
    out = _month(account, day)["out"]
    # rent (5) is the smallest group of at least five, combined with the two small ones
    assert out == [
        {
            "category": "assistance:combined",
            "label": "Other assistance (kinds combined)",
            "amount": Decimal("10010.00") + Decimal("7777.77") + Decimal("3333.33"),
        }
    ]


def test_a_month_with_too_few_payments_is_carried_into_the_next(
    finance: User, funded: Books, relief_org: Organisation
) -> None:
    early, later = _months_ago(5), _months_ago(4)
    _pay(finance, funded, relief_org, "4444.44", "cash_grant", early)
    for _ in range(4):
        _pay(finance, funded, relief_org, "1000", "cash_grant", later)
    account = public_account(delay_days=60, min_payments=5)
    assert _month(account, early)["out"] == []
    assert "4444.44" not in _everything(account)
    assert _month(account, later)["out"] == [
        {
            "category": "assistance:combined",
            "label": "Other assistance (kinds combined)",
            "amount": Decimal("8444.44"),
        }
    ]


def test_no_family_case_reference_or_payment_record_appears(
    finance: User, funded: Books, relief_org: Organisation
) -> None:
    day = _months_ago(4)
    payments = [_pay(finance, funded, relief_org, "1500", "food", day) for _ in range(6)]
    text = _everything(public_account(delay_days=60, min_payments=5))
    for payment in payments:
        item = payment.assistance
        assert f"REF-{item.pk}-SECRET" not in text
    assert set(json.loads(text)) == {"currency", "published_until", "months", "donors"}
    for month in json.loads(text)["months"]:
        assert set(month) == {"month", "in", "out", "total_in", "total_out"}
        for row in month["in"] + month["out"]:
            assert set(row) == {"category", "label", "amount"}


def test_only_donors_who_opted_in_are_named_and_never_their_contact(
    finance: User, funded: Books
) -> None:
    named = services.donor_record(
        recorded_by=finance,
        name="Saima Trust UK",
        contact="saima@example.org",
        named_in_public=True,
    )
    anonymous = services.donor_record(
        recorded_by=finance, name="Rashid Mehmood", contact="+44 7700 900123"
    )
    recent = services.donor_record(
        recorded_by=finance, name="Too Recent Donor", named_in_public=True
    )
    for donor, day in (
        (named, _months_ago(5)),
        (anonymous, _months_ago(5)),
        (recent, _months_ago(0, day=1)),
    ):
        give(
            finance, account=funded.pkr, earmark=funded.general, amount="500", donor=donor, day=day
        )
    account = public_account(delay_days=60)
    text = _everything(account)
    assert account["donors"] == ["Saima Trust UK"]
    assert "Rashid" not in text and "saima@" not in text and "+44" not in text
    assert "Too Recent" not in text


def test_a_donor_who_withdraws_consent_to_be_named_disappears(finance: User, funded: Books) -> None:
    donor = services.donor_record(recorded_by=finance, name="Khalid Ahmed", named_in_public=True)
    give(
        finance,
        account=funded.pkr,
        earmark=funded.general,
        amount="500",
        donor=donor,
        day=_months_ago(5),
    )
    assert public_account(delay_days=60)["donors"] == ["Khalid Ahmed"]
    services.donor_naming_set(
        donor=donor, changed_by=finance, named_in_public=False, expected_version=1
    )
    assert public_account(delay_days=60)["donors"] == []


def test_another_organisations_fund_is_kept_apart_when_one_is_asked_for(
    finance: User, funded: Books, outsider: User, other_relief_org: Organisation
) -> None:
    from tests.fund.factories import books

    theirs = books(other_relief_org, outsider)
    give(outsider, account=theirs.pkr, earmark=theirs.general, amount="5", day=_months_ago(6))
    ours = public_account(delay_days=60, organisation=funded.pkr.organisation)
    everyone = public_account(delay_days=60)
    assert _month(ours, _months_ago(6))["total_in"] == Decimal("1000000.00")
    assert _month(everyone, _months_ago(6))["total_in"] == Decimal("1000005.00")
