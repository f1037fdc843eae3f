"""The people of the assistance, referral and claim tests: a caseworker and their case, a
coordinator, a second caseworker, finance, an administrator, a partner user and an outsider
(a coordinator of another relief organisation). Imported by each of their conftest modules."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from madad.accounts.models import Organisation, User
from madad.accounts.roles import Role
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
def partner_user(make_user: Callable[..., User], partner_org: Organisation) -> User:
    return make_user(Role.PARTNER, organisation=partner_org, full_name="Partner Lawyer Rabia")


@pytest.fixture
def outsider(make_user: Callable[..., User], other_relief_org: Organisation) -> User:
    return make_user(
        Role.COORDINATOR, organisation=other_relief_org, full_name="Outsider Coordinator"
    )


@pytest.fixture
def case(caseworker: User) -> Case:
    return make_case(caseworker=caseworker)


@pytest.fixture
def limits(relief_org: Organisation) -> dict[str, Any]:
    """Limits for every kind used in these tests: 25,000 for a cash grant."""
    return {
        "cash_grant": set_limit(relief_org, "cash_grant", "25000.00"),
        "food": set_limit(relief_org, "food", "10000.00"),
    }


@pytest.fixture
def bearer(client: Any) -> Callable[[User], dict[str, str]]:
    """Headers with a bearer token issued to the user as a client gets one (once per user: a
    two-factor code is accepted only once)."""
    from tests.api.helpers import TOKEN_URL, bearer_headers, totp_secret_of
    from tests.factories import PASSWORD, current_totp_code

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
