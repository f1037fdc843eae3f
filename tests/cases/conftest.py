"""The people who work on cases: two caseworkers and two coordinators of the relief
organisation, an outsider of another one and a partner; and a case of the first caseworker."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from madad.accounts.models import Organisation, User
from madad.accounts.roles import Role
from madad.cases.models import Case
from tests.api.helpers import TOKEN_URL, bearer_headers, totp_secret_of
from tests.cases.factories import open_case
from tests.factories import PASSWORD, current_totp_code


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
def outsider(make_user: Callable[..., User], other_relief_org: Organisation) -> User:
    """A coordinator of another relief organisation: sees every case of their own only."""
    return make_user(Role.COORDINATOR, organisation=other_relief_org)


@pytest.fixture
def partner_user(make_user: Callable[..., User], partner_org: Organisation) -> User:
    return make_user(Role.PARTNER, organisation=partner_org)


@pytest.fixture
def case(caseworker: User) -> Case:
    return open_case(caseworker=caseworker)


@pytest.fixture
def bearer(client: Any) -> Callable[[User], dict[str, str]]:
    """Headers with a bearer token issued to the user as a client gets one (once per user: a
    two-factor code is accepted only once)."""
    issued: dict[int, dict[str, str]] = {}

    def issue(user: User) -> dict[str, str]:
        if user.pk not in issued:
            response = client.post(
                TOKEN_URL,
                {
                    "email": user.email,
                    "password": PASSWORD,
                    "totp": current_totp_code(totp_secret_of(user)),
                },
                content_type="application/json",
            )
            assert response.status_code == 200, response.content
            issued[user.pk] = bearer_headers(response.json()["token"])
        return issued[user.pk]

    return issue
