"""The demo testimonies and files: fictitious, under consent, attached to demo incidents,
loaded once."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from pytest_django import Settings

from madad.accounts.demo import demo_email, load_users
from madad.accounts.models import Organisation, User
from madad.accounts.roles import Role
from madad.core.demo import DemoContext
from madad.evidence import demo as evidence_demo
from madad.evidence.models import CustodyEntry, EvidenceFile
from madad.incidents.models import Act
from madad.testimonies import demo as testimonies_demo
from madad.testimonies import models
from madad.testimonies.models import ConsentRecord
from tests.evidence.factories import make_incident, make_person

pytestmark = pytest.mark.django_db


def _context(scale: float = 0.1) -> DemoContext:
    relief, partner = load_users(password="demo password for tests")
    users = {role: User.objects.get(email=demo_email(role)) for role in Role.values}
    return DemoContext(relief=relief, partner=partner, users=users, scale=scale)


def _incidents_with_victims(context: DemoContext, count: int = 12) -> None:
    documenter = context.users[Role.DOCUMENTER]
    for n in range(count):
        incident = make_incident(organisation=context.relief, user=documenter, title=f"Demo {n}")
        victim = make_person(organisation=context.relief, cnic=f"99999{n:07d}1")
        Act.objects.create(incident=incident, victim=victim, act_type="threatened")


def test_the_demo_records_testimonies_with_consent_once() -> None:
    context = _context()
    _incidents_with_victims(context)
    testimonies_demo.load(context)
    testimonies = models.Testimony.objects.filter(organisation=context.relief)
    assert testimonies.count() == 12  # one per victim, at most the demo's share of 300
    assert all(t.incident_id is not None for t in testimonies)
    assert all(
        "(Demo statement, fictitious.)" in t.transcript or "(ڈیمو بیان — فرضی)" in t.transcript
        for t in testimonies
    )
    assert ConsentRecord.objects.filter(organisation=context.relief).exists()
    rights = Organisation.objects.filter(kind=Organisation.Kind.HUMAN_RIGHTS)
    assert all(o.name.endswith("(demo)") for o in rights) and rights.count() == 2
    testimonies_demo.load(_context())
    assert testimonies.count() == 12


def test_without_incidents_testimonies_are_given_by_demo_persons() -> None:
    context = _context(scale=0.02)
    make_person(organisation=context.relief)
    testimonies_demo.load(context)
    assert models.Testimony.objects.filter(incident__isnull=True).count() == 6


def test_the_demo_files_carry_fake_gps_for_the_export_copy_to_remove(
    settings: Settings, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    context = _context()
    _incidents_with_victims(context)
    testimonies_demo.load(context)
    evidence_demo.load(context)
    files = EvidenceFile.objects.filter(organisation=context.relief)
    assert files.count() == 10
    photo = files.filter(content_type="image/jpeg").first()
    assert photo is not None
    with Image.open(io.BytesIO((tmp_path / photo.storage_name).read_bytes())) as image:
        assert image.getexif().get_ifd(0x8825)
    assert CustodyEntry.objects.filter(action="exported").count() == 1
    evidence_demo.load(context)
    assert files.count() == 10


def test_without_incidents_the_demo_adds_no_files() -> None:
    context = _context()
    evidence_demo.load(context)
    assert not EvidenceFile.objects.exists()
    assert context.report == ["no evidence files (no incidents yet)"]
