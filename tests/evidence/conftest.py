"""Evidence tests keep their files in a temporary directory, never in var/files."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest_django import Settings

from madad.accounts.models import Organisation, User
from madad.incidents.models import Incident
from tests.evidence.factories import make_incident


@pytest.fixture(autouse=True)
def media_root(settings: Settings, tmp_path: Path) -> Path:
    root = tmp_path / "files"
    root.mkdir()
    settings.MEDIA_ROOT = str(root)
    return root


@pytest.fixture
def incident(relief_org: Organisation, documenter: User) -> Incident:
    return make_incident(organisation=relief_org, user=documenter)
