"""Testimony tests: files (attachments) in a temporary directory, never in var/files."""

from __future__ import annotations

import datetime as dt
from importlib import import_module
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.db import connection
from pytest_django import Settings

from madad.accounts.models import Organisation, User
from madad.incidents.models import Incident
from madad.people.models import Person
from madad.testimonies.models import ConsentPurpose, ConsentRecord
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


def legacy_referral_consent(person: Person, recorded_by: User, date: dt.date) -> ConsentRecord:
    """A consent to referral as recorded before it named its partner (testimonies migration
    0003), which the database now refuses: its trigger is set aside for this one insert, inside
    the test's transaction."""
    migration = import_module("madad.testimonies.migrations.0003_referral_consent_names_partner")
    editor = SimpleNamespace(connection=connection)
    migration.remove(None, editor)
    record = ConsentRecord.objects.create(
        organisation=person.organisation,
        person=person,
        purpose=ConsentPurpose.REFERRAL,
        decision="given",
        date=date,
        recorded_by=recorded_by,
    )
    migration.install(None, editor)
    return record
