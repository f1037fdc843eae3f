"""Fixtures for the gazetteer: Karachi ships with every install (a data migration), and
another city is written as a CSV like an administrator would."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from madad.accounts.models import Organisation, User
from madad.accounts.roles import Role
from madad.places.models import Place

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
def administrator(make_user: Callable[..., User]) -> User:
    """Changes the gazetteer (place.edit): proposes a change of a place."""
    return make_user(Role.ADMINISTRATOR)


@pytest.fixture
def second_administrator(make_user: Callable[..., User], other_relief_org: Organisation) -> User:
    """Another administrator, who approves what the first proposed (the gazetteer is the
    deployment's, so an administrator of any organisation may)."""
    return make_user(Role.ADMINISTRATOR, organisation=other_relief_org)


@pytest.fixture
def nazimabad(db: None) -> Place:
    return Place.objects.get(code="khi.central.liaquatabad.nazimabad")
