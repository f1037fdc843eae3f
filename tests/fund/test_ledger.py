"""The ledger is append-only: corrections are reversals, never changes or deletions."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction

from madad.accounts.models import Organisation, User
from madad.core import append_only
from madad.core.models import AuditEvent
from madad.core.refusals import Invalid, Refused
from madad.fund import services
from madad.fund.models import JournalEntry, JournalLine
from madad.fund.selectors import unspent
from tests.fund.factories import Books, give

pytestmark = pytest.mark.django_db


@pytest.fixture
def guarded() -> None:
    # a transactional test elsewhere in the run lifts the guard for its flush
    for table in ("fund_journalentry", "fund_journalline"):
        append_only.registered_guard(table).install(connection)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE fund_journalline SET amount = 0",
        "DELETE FROM fund_journalline",
        "UPDATE fund_journalentry SET memo = 'changed'",
        "DELETE FROM fund_journalentry",
    ],
)
def test_the_database_refuses_to_change_or_delete_entries_and_lines(
    guarded: None, finance: User, books: Books, statement: str
) -> None:
    give(finance, account=books.pkr, earmark=books.general, amount="1000")
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    assert JournalLine.objects.filter(amount=Decimal("1000")).exists()


def test_the_orm_cannot_delete_a_line_either(guarded: None, finance: User, books: Books) -> None:
    donation = give(finance, account=books.pkr, earmark=books.general, amount="1000")
    with pytest.raises(DatabaseError), transaction.atomic():
        JournalLine.objects.filter(entry=donation.entry).delete()
    assert JournalLine.objects.filter(entry=donation.entry).count() == 2


def test_a_reversal_mirrors_every_line_and_keeps_the_original(finance: User, books: Books) -> None:
    donation = give(
        finance, account=books.usd, earmark=books.general, amount="50", fee="1", rate="280"
    )
    reversal = services.entry_reverse(
        entry=donation.entry, reversed_by=finance, reason="Recorded twice"
    )
    original = {
        (line.account_id, line.amount, line.base_amount) for line in donation.entry.lines.all()
    }
    mirrored = {(line.account_id, -line.amount, -line.base_amount) for line in reversal.lines.all()}
    assert original == mirrored
    assert reversal.reverses == donation.entry and reversal.reason == "Recorded twice"
    assert JournalEntry.objects.count() == 2
    event = AuditEvent.objects.get(action="fund.entry.reversed")
    assert event.fields == ["date", "reason", "reverses"]


def test_an_entry_is_reversed_once_and_a_reversal_is_not_reversed(
    finance: User, books: Books
) -> None:
    donation = give(finance, account=books.pkr, earmark=books.general, amount="1000")
    reversal = services.entry_reverse(entry=donation.entry, reversed_by=finance, reason="x")
    with pytest.raises(Refused) as twice:
        services.entry_reverse(entry=donation.entry, reversed_by=finance, reason="again")
    assert twice.value.code == "already_reversed"
    with pytest.raises(Refused) as of_reversal:
        services.entry_reverse(entry=reversal, reversed_by=finance, reason="undo the undo")
    assert of_reversal.value.code == "not_reversible"
    assert JournalEntry.objects.count() == 2


def test_a_donation_already_spent_cannot_be_reversed(
    finance: User, books: Books, relief_org: Organisation
) -> None:
    from tests.fund.factories import approved_assistance

    donation = give(finance, account=books.pkr, earmark=books.general, amount="1000")
    services.disbursement_make(
        made_by=finance,
        assistance=approved_assistance(relief_org, amount="600"),
        earmark=books.general,
        account=books.pkr,
        method="cash",
        reference="V-1",
    )
    with pytest.raises(Refused) as refused:
        services.entry_reverse(entry=donation.entry, reversed_by=finance, reason="Bounced")
    assert refused.value.code == "insufficient_funds"
    assert unspent(earmark=books.general) == Decimal("400")


def test_a_reason_is_required_to_reverse(finance: User, books: Books) -> None:

    donation = give(finance, account=books.pkr, earmark=books.general, amount="1000")
    with pytest.raises(Invalid) as refused:
        services.entry_reverse(entry=donation.entry, reversed_by=finance, reason="  ")
    assert "reason" in refused.value.fields
    assert JournalEntry.objects.count() == 1
