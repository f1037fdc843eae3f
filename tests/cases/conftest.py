"""The people who work on cases: two caseworkers and two coordinators of the relief
organisation (the outsider, the partner and `bearer` are the suite's, in tests/conftest.py);
and a case of the first caseworker."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from madad.accounts.models import User
from madad.accounts.roles import Role
from madad.cases.models import Case
from tests.cases.factories import open_case


@pytest.fixture
def caseworker(make_user: Callable[..., User]) -> User:
    return make_user(Role.CASEWORKER, full_name="Sana Caseworker")


@pytest.fixture
def other_caseworker(make_user: Callable[..., User]) -> User:
    return make_user(Role.CASEWORKER, full_name="Omar Caseworker")


@pytest.fixture
def coordinator(make_user: Callable[..., User]) -> User:
    return make_user(Role.COORDINATOR, full_name="Hina Coordinator")


@pytest.fixture
def second_coordinator(make_user: Callable[..., User]) -> User:
    return make_user(Role.COORDINATOR, full_name="Kamran Coordinator")


@pytest.fixture
def case(caseworker: User) -> Case:
    return open_case(caseworker=caseworker)
