"""Fixtures for the fund: a finance officer with books set up, and the people who look."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from madad.accounts.models import Organisation, User
from madad.accounts.roles import Role
from tests.fund.factories import Books
from tests.fund.factories import books as make_books


@pytest.fixture
def auditor(make_user: Callable[..., User]) -> User:
    return make_user(Role.AUDITOR)


@pytest.fixture
def outsider(make_user: Callable[..., User], other_relief_org: Organisation) -> User:
    """A finance officer of another relief organisation."""
    return make_user(Role.FINANCE, organisation=other_relief_org)


@pytest.fixture
def partner_user(make_user: Callable[..., User], partner_org: Organisation) -> User:
    return make_user(Role.PARTNER, organisation=partner_org)


@pytest.fixture
def books(finance: User, relief_org: Organisation) -> Books:
    return make_books(relief_org, finance)
