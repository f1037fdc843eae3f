"""Fixtures of the public site: a small gazetteer, the staff who write and approve public
texts, and a cache emptied before every test (public figures are cached)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.cache import cache
from django.test import Client

from madad.accounts.models import Organisation, User
from madad.accounts.roles import Role
from madad.public import services
from madad.public.models import FactSheet
from tests.incidents.factories import Gazetteer, gazetteer


@pytest.fixture(autouse=True)
def _empty_cache(db: None) -> None:
    cache.clear()


@pytest.fixture
def places(db: None) -> Gazetteer:
    return gazetteer()


@pytest.fixture
def outsider(make_user: Callable[..., User], other_relief_org: Organisation) -> User:
    """A coordinator of another relief organisation."""
    return make_user(Role.COORDINATOR, organisation=other_relief_org)


@pytest.fixture
def anonymous(client: Client) -> Client:
    return client


# A fact sheet's texts, as its form and factsheet_write take them.
FACTSHEET = {
    "title_en": "Killings",
    "title_ur": "ٹارگٹ کلنگ",
    "summary_en": "",
    "summary_ur": "",
    "body_en": "Killings: {{count:incidents}}",
    "body_ur": "ٹارگٹ کلنگ: {{count:incidents}}",
}


@pytest.fixture
def sheet(documenter: User) -> FactSheet:
    """A draft fact sheet written by the documenter."""
    return services.factsheet_write(
        by=documenter, organisation=documenter.organisation, values=FACTSHEET
    )
