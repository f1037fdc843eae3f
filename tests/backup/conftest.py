"""An instance with something of everything a backup must keep: a person's encrypted identity,
an incident, a testimony, an evidence file on disk, and the audit trail their creation wrote.
Backups are encrypted to a key pair made once per test session."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection
from pytest_django import Settings

from madad.accounts.models import User
from madad.backup import database, keys
from madad.evidence.services import evidence_upload
from madad.people.models import Person
from tests.evidence.factories import make_incident, make_person, make_testimony, png_bytes, upload

ROOT = Path(__file__).resolve().parents[2]
NAME = "Fictitiousname Demoperson"
CNIC = "99999-7654321-3"


@pytest.fixture(scope="session")
def shared_var(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """var/ of the tests' Madad: the backup key pair and the cached SQLite schema live here,
    made once per session."""
    return tmp_path_factory.mktemp("var")


@pytest.fixture
def backup_settings(settings: Settings, shared_var: Path, tmp_path: Path) -> Path:
    settings.VAR_DIR = shared_var
    settings.BACKUP_DIR = tmp_path / "backups"
    settings.BACKUP_RECIPIENTS = []
    settings.BACKUP_IDENTITY = ""
    keys.recipients()  # makes the development key pair on first use
    return tmp_path


@pytest.fixture
def identity(backup_settings: Path) -> Path:
    found = keys.identity_path()
    assert found is not None and found.exists()
    return found


@dataclass
class Instance:
    person: Person
    counts: dict[str, int]
    files: dict[str, str]
    audit_head: str


def files_of(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def audit_head() -> str:
    from madad.core.models import AuditEvent

    return AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first() or ""


@pytest.fixture
def instance(
    transactional_db: None, backup_settings: Path, make_user: Callable[..., User]
) -> Instance:
    documenter = make_user("documenter")
    person = make_person(
        organisation=documenter.organisation, given_name=NAME, cnic=CNIC, phone="03991234567"
    )
    incident = make_incident(organisation=documenter.organisation, user=documenter)
    make_testimony(incident=incident, person=person, user=documenter)
    evidence_upload(
        incident=incident, uploaded_by=documenter, file=upload(png_bytes(text=NAME), "a.png")
    )
    return Instance(
        person=person,
        counts=database.row_counts(connection),
        files=files_of(Path(django_settings.MEDIA_ROOT)),
        audit_head=audit_head(),
    )


def environment_for(var: Path, database_url: str = "") -> dict[str, str]:
    """The environment of another Madad process on the instance whose var/ is `var`, with the
    keys of the tests' Madad (what an operator sets on a new machine)."""
    env = {
        **os.environ,
        "MADAD_MODE": "development",
        "MADAD_VAR_DIR": str(var),
        "MADAD_SECRET_KEY": django_settings.SECRET_KEY,
        "MADAD_FIELD_KEYS": ",".join(django_settings.FIELD_ENCRYPTION_KEYS),
        "MADAD_BLIND_INDEX_KEY": django_settings.BLIND_INDEX_KEY,
        # backups made there are encrypted to the tests' key pair
        "MADAD_BACKUP_RECIPIENTS": ",".join(str(r) for r in keys.recipients()),
    }
    env.pop("DATABASE_URL", None)
    env.pop("MADAD_SQLITE_PATH", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def madad(var: Path, *args: str, database_url: str = "") -> subprocess.CompletedProcess[str]:
    """Runs `madad ...` as another process on the instance whose var/ is `var`."""
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "madad.manage", *args],
        cwd=ROOT,
        env=environment_for(var, database_url),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
