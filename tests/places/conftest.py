"""Fixtures for the gazetteer: Karachi ships with every install (a data migration), and
another city is written as a CSV like an administrator would."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from madad.accounts.models import Organisation, User
from madad.accounts.roles import Role
from madad.places.models import Place
from tests.api.conftest import bearer  # noqa: F401 -- bearer tokens as a client gets them

HEADER = "code,level,parent_code,name,name_ur,latitude,longitude\n"


@pytest.fixture
def write_csv(tmp_path: Path) -> Callable[[str], Path]:
    """A gazetteer file with the header and these lines."""

    def write(lines: str, header: str = HEADER) -> Path:
        path = tmp_path / "places.csv"
        path.write_text(header + lines, encoding="utf-8")
        return path

    return write


@pytest.fixture
def partner(make_user: Callable[..., User], partner_org: Organisation) -> User:
    """An outsider: a partner organisation's user, who may still look places up."""
    return make_user(Role.PARTNER, organisation=partner_org)


@pytest.fixture
def nazimabad(db: None) -> Place:
    return Place.objects.get(code="khi.central.liaquatabad.nazimabad")
