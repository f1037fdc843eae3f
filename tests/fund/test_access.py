"""Who may see and change the fund: finance officers change; auditors and coordinators read;
donors' names only for finance officers and auditors; nobody else, and no partner."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from madad import access
from madad.access.roles import Capability
from madad.accounts.models import Organisation, User
from madad.accounts.roles import Role
from madad.fund import services
from madad.fund.models import Donation, Donor, JournalEntry
from tests.fund.factories import Books, give

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "reads", "changes", "reports", "donors"),
    [
        (Role.FINANCE, True, True, True, True),
        (Role.AUDITOR, True, False, True, True),
        (Role.COORDINATOR, True, False, True, False),
        (Role.CASEWORKER, False, False, False, False),
        (Role.ADMINISTRATOR, False, False, False, False),
        (Role.DOCUMENTER, False, False, False, False),
    ],
)
def test_capabilities_by_role(
    make_user: Callable[..., User],
    role: str,
    reads: bool,
    changes: bool,
    reports: bool,
    donors: bool,
) -> None:
    user = make_user(role)
    assert access.can(user, Capability.FUND_VIEW) is reads
    assert access.can(user, Capability.FUND_EDIT) is changes
    assert access.can(user, Capability.FUND_REPORT) is reports
    assert access.can_export(user, "fund") is reports
    assert access.can(user, Capability.FUND_DONOR_VIEW) is donors


def test_records_are_visible_within_the_organisation_only(
    finance: User,
    books: Books,
    outsider: User,
    auditor: User,
    partner_org: Organisation,
    make_user: Callable[..., User],
) -> None:
    donation = give(finance, account=books.pkr, earmark=books.general, amount="10")
    assert list(access.visible_to(auditor, Donation)) == [donation]
    assert list(access.visible_to(outsider, Donation)) == []
    assert list(access.visible_to(outsider, JournalEntry)) == []
    # a partner organisation's user with a finance role still sees nothing of anybody's fund
    partner_finance = make_user(Role.FINANCE, organisation=partner_org)
    assert list(access.visible_to(partner_finance, Donation)) == []


def test_donor_names_are_fields_only_finance_and_auditors_read(
    finance: User, auditor: User, coordinator: User
) -> None:
    donor = services.donor_record(recorded_by=finance, name="Anjum Rashid")
    assert {"name", "contact"} <= access.readable_fields(auditor, Donor)
    assert "name" not in access.readable_fields(coordinator, Donor)
    assert access.reveal(coordinator, donor, wanted=["name"]) == {}


def test_only_finance_officers_may_change_records(
    finance: User, auditor: User, books: Books
) -> None:
    entry = give(finance, account=books.pkr, earmark=books.general, amount="10").entry
    assert access.can_change(finance, entry) is True
    assert access.can_change(auditor, entry) is False
