"""Fixtures for the fund: a finance officer with books set up, and the people who look."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from madad.accounts.models import Organisation, User
from madad.accounts.roles import Role
from tests.api.helpers import TOKEN_URL, bearer_headers, totp_secret_of
from tests.factories import PASSWORD, current_totp_code
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


@pytest.fixture
def bearer(client: Client) -> Callable[[User], dict[str, str]]:
    """Headers with a bearer token issued to the user as a client gets one (once per user: a
    two-factor code is accepted only once)."""
    issued: dict[int, dict[str, str]] = {}

    def issue(user: User) -> dict[str, str]:
        if user.pk in issued:
            return issued[user.pk]
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
