"""Fixtures for incidents: a gazetteer, the people who work on incidents, and a recorded one."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from madad.accounts.models import Organisation, User
from madad.accounts.roles import Role
from madad.incidents.models import Incident
from tests.incidents.factories import Gazetteer, gazetteer, record_incident


@pytest.fixture
def places(db: None) -> Gazetteer:
    return gazetteer()


@pytest.fixture
def outsiders_documenter(make_user: Callable[..., User], other_relief_org: Organisation) -> User:
    """A documenter of another relief organisation: records incidents, but not ours."""
    return make_user(Role.DOCUMENTER, organisation=other_relief_org)


@pytest.fixture
def incident(documenter: User, places: Gazetteer) -> Incident:
    return record_incident(by=documenter, place=places.orchard)
