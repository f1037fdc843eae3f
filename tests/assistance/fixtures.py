"""The people of the assistance, referral and claim tests: a caseworker and their case, a
coordinator, a second caseworker, finance and an administrator (the partner user, the outsider
and `bearer` are the suite's, in tests/conftest.py). Imported by each of their conftest
modules."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from madad.accounts.models import Organisation, User
from madad.accounts.roles import Role
from madad.assistance.models import Limit
from madad.cases.models import Case
from tests.assistance.factories import make_case, set_limit


@pytest.fixture
def caseworker(make_user: Callable[..., User]) -> User:
    return make_user(Role.CASEWORKER, full_name="Caseworker Khadija")


@pytest.fixture
def other_caseworker(make_user: Callable[..., User]) -> User:
    return make_user(Role.CASEWORKER, full_name="Caseworker Imran")


@pytest.fixture
def coordinator(make_user: Callable[..., User]) -> User:
    return make_user(Role.COORDINATOR, full_name="Coordinator Saima")


@pytest.fixture
def second_coordinator(make_user: Callable[..., User]) -> User:
    return make_user(Role.COORDINATOR, full_name="Coordinator Bilal")


@pytest.fixture
def finance(make_user: Callable[..., User]) -> User:
    return make_user(Role.FINANCE, full_name="Finance Officer Zainab")


@pytest.fixture
def administrator(make_user: Callable[..., User]) -> User:
    return make_user(Role.ADMINISTRATOR, full_name="Administrator Asif")


@pytest.fixture
def case(caseworker: User) -> Case:
    return make_case(caseworker=caseworker)


@pytest.fixture
def limits(relief_org: Organisation) -> dict[str, Limit]:
    """Limits for every kind used in these tests: 25,000 for a cash grant."""
    return {
        "cash_grant": set_limit(relief_org, "cash_grant", "25000.00"),
        "food": set_limit(relief_org, "food", "10000.00"),
    }
