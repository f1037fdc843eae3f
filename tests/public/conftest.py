"""Fixtures of the public site: a small gazetteer, the staff who write and approve public
texts, and a cache emptied before every test (public figures are cached)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from madad.accounts.models import Organisation, User
from madad.accounts.roles import Role
from tests.incidents.factories import Gazetteer, gazetteer


@pytest.fixture(autouse=True)
def _empty_cache(db: None) -> None:
    cache.clear()


@pytest.fixture(autouse=True)
def _in_english() -> Iterator[None]:
    """A request in Urdu leaves Urdu active in the test's thread; each test starts in English."""
    with translation.override("en"):
        yield


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
