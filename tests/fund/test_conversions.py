"""Currency conversions move an earmark's money between currency accounts at a stated rate,
booking the difference from its carrying value as an exchange gain or loss."""

from __future__ import annotations

from decimal import Decimal

import pytest

from madad.accounts.models import User
from madad.core.refusals import Invalid, Refused
from madad.fund import services
from madad.fund.ledger import money_balance
from madad.fund.models import Conversion, JournalLine
from tests.fund.factories import Books, give
from tests.fund.ledger_checks import assert_books_balance

pytestmark = pytest.mark.django_db


def _convert(
    finance: User,
    books: Books,
    amount: str,
    rate: str,
    *,
    source: str = "usd",
    target: str = "pkr",
) -> Conversion:
    return services.conversion_record(
        recorded_by=finance,
        earmark=books.general,
        from_account=getattr(books, source),
        to_account=getattr(books, target),
        amount=amount,
        rate=rate,
        date="2025-02-01",
        rate_source="Bank's rate",
    )


def _exchange(conversion: Conversion) -> Decimal:
    return sum(
        (
            line.base_amount
            for line in JournalLine.objects.filter(entry=conversion.entry, account__kind="exchange")
        ),
        Decimal(0),
    )


def test_dollars_sold_above_the_rate_they_came_in_at_book_a_gain(
    finance: User, books: Books
) -> None:
    give(finance, account=books.usd, earmark=books.general, amount="100", rate="280")
    conversion = _convert(finance, books, "100", "285.50")
    assert (conversion.amount_to, conversion.gain) == (Decimal("28550.00"), Decimal("550.00"))
    assert _exchange(conversion) == Decimal("-550.00")  # a credit: income
    assert money_balance(books.pkr, books.general) == (Decimal("28550.00"), Decimal("28550.00"))
    assert money_balance(books.usd, books.general) == (Decimal(0), Decimal(0))
    assert_books_balance(books.pkr.organisation)


def test_dollars_sold_below_the_rate_they_came_in_at_book_a_loss(
    finance: User, books: Books
) -> None:
    give(finance, account=books.usd, earmark=books.general, amount="100", rate="280")
    conversion = _convert(finance, books, "40", "275")
    assert conversion.gain == Decimal("-200.00")
    assert _exchange(conversion) == Decimal("200.00")  # a debit: expense
    assert money_balance(books.usd, books.general) == (Decimal("60.00"), Decimal("16800.00"))


def test_money_leaves_at_its_average_carrying_value(finance: User, books: Books) -> None:
    give(finance, account=books.usd, earmark=books.general, amount="100", rate="280")
    give(finance, account=books.usd, earmark=books.general, amount="100", rate="290")
    conversion = _convert(finance, books, "50", "285")
    assert conversion.gain == Decimal("0.00")  # 50 dollars carried at 285 on average
    assert money_balance(books.usd, books.general) == (Decimal("150.00"), Decimal("42750.00"))


def test_an_account_emptied_of_an_earmarks_money_keeps_no_value(
    finance: User, books: Books
) -> None:
    give(finance, account=books.usd, earmark=books.general, amount="100", rate="280")
    give(finance, account=books.usd, earmark=books.general, amount="100", rate="300")
    _convert(finance, books, "100", "290")
    second = books.pkr.organisation.donations.order_by("id").last()
    assert second is not None
    # reversing the second donation takes 100 dollars carried at 290 but booked at 300
    services.entry_reverse(entry=second.entry, reversed_by=finance, reason="Bounced")
    assert money_balance(books.usd, books.general) == (Decimal(0), Decimal(0))
    assert_books_balance(books.pkr.organisation)


def test_more_than_the_account_holds_of_the_earmark_is_not_converted(
    finance: User, books: Books
) -> None:
    give(finance, account=books.usd, earmark=books.general, amount="100", rate="280")
    give(finance, account=books.usd, earmark=books.education, amount="500", rate="280")
    with pytest.raises(Refused) as refused:
        _convert(finance, books, "100.01", "285")
    assert refused.value.code == "insufficient_funds"
    assert not Conversion.objects.exists()


def test_rupees_bought_back_into_dollars_move_at_their_face_value(
    finance: User, books: Books
) -> None:
    give(finance, account=books.pkr, earmark=books.general, amount="28000")
    conversion = _convert(finance, books, "28000", "0.0035", source="pkr", target="usd")
    assert (conversion.amount_to, conversion.gain) == (Decimal("98.00"), Decimal("0"))
    assert money_balance(books.usd, books.general) == (Decimal("98.00"), Decimal("28000.00"))


def test_converting_into_the_same_currency_is_refused(finance: User, books: Books) -> None:
    give(finance, account=books.pkr, earmark=books.general, amount="1000")
    with pytest.raises(Invalid) as refused:
        _convert(finance, books, "100", "1", source="pkr", target="cash")
    assert "to_account" in refused.value.fields
