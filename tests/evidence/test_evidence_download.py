"""Every download re-computes the SHA-256 taken at ingest, and refuses a changed file."""

from __future__ import annotations

import hashlib
from importlib import import_module
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.db import DatabaseError, connection, transaction

from madad.accounts.models import User
from madad.core import append_only
from madad.core.models import AuditEvent
from madad.core.refusals import Conflict
from madad.evidence.models import CustodyEntry, EvidenceFile
from madad.evidence.services import (
    evidence_open_for_download,
    evidence_upload,
)
from madad.incidents.models import Incident
from tests.evidence.factories import jpeg_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def evidence(incident: Incident, documenter: User) -> EvidenceFile:
    return evidence_upload(incident=incident, uploaded_by=documenter, file=upload(jpeg_bytes()))


def _stored_path(media_root: Path, evidence: EvidenceFile) -> Path:
    return media_root / evidence.storage_name


def test_a_download_serves_the_very_bytes_uploaded(
    evidence: EvidenceFile, documenter: User
) -> None:
    download = evidence_open_for_download(evidence=evidence, user=documenter)
    with download.file:
        assert download.file.read() == jpeg_bytes()
    assert download.sha256 == evidence.sha256
    assert download.filename == f"madad-evidence-{evidence.pk}.jpg"


def test_a_download_enters_the_custody_log_and_the_audit_trail(
    evidence: EvidenceFile, documenter: User
) -> None:
    evidence_open_for_download(evidence=evidence, user=documenter).file.close()
    entry = CustodyEntry.objects.filter(evidence=evidence).first()
    assert entry is not None
    assert (entry.action, entry.by_id, entry.sha256) == (
        "downloaded",
        documenter.pk,
        evidence.sha256,
    )
    assert (
        AuditEvent.objects.filter(action="evidence.downloaded", object_id=str(evidence.pk)).count()
        == 1
    )


def test_an_altered_file_is_refused_with_an_audit_event(
    evidence: EvidenceFile, documenter: User, media_root: Path
) -> None:
    stored = _stored_path(media_root, evidence)
    altered = bytearray(stored.read_bytes())
    altered[-10] ^= 0xFF  # one byte changed behind Madad's back
    stored.write_bytes(bytes(altered))

    with pytest.raises(Conflict, match="has changed since it was uploaded"):
        evidence_open_for_download(evidence=evidence, user=documenter)

    failed = AuditEvent.objects.get(action="evidence.integrity.failed")
    assert failed.object_id == str(evidence.pk) and failed.actor_id == documenter.pk
    entry = CustodyEntry.objects.filter(evidence=evidence).first()
    assert entry is not None and entry.action == "integrity_failed"
    assert entry.sha256 == hashlib.sha256(bytes(altered)).hexdigest()
    assert not CustodyEntry.objects.filter(action="downloaded").exists()
    assert not AuditEvent.objects.filter(action="evidence.downloaded").exists()


def test_a_missing_file_is_refused_with_an_audit_event(
    evidence: EvidenceFile, documenter: User, media_root: Path
) -> None:
    _stored_path(media_root, evidence).unlink()
    with pytest.raises(Conflict):
        evidence_open_for_download(evidence=evidence, user=documenter)
    assert AuditEvent.objects.filter(action="evidence.integrity.failed").count() == 1
    entry = CustodyEntry.objects.filter(evidence=evidence).first()
    assert entry is not None and (entry.action, entry.sha256) == ("integrity_failed", "")


def test_the_database_refuses_to_rewrite_a_custody_entry(evidence: EvidenceFile) -> None:
    entry = CustodyEntry.objects.get(evidence=evidence)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        CustodyEntry.objects.filter(pk=entry.pk).update(action="viewed")
    entry.refresh_from_db()
    assert entry.action == "uploaded"


def test_the_database_refuses_to_delete_a_custody_entry(evidence: EvidenceFile) -> None:
    entry = CustodyEntry.objects.get(evidence=evidence)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        CustodyEntry.objects.filter(pk=entry.pk).delete()
    assert CustodyEntry.objects.filter(pk=entry.pk).exists()


def test_the_migration_installs_the_guard(evidence: EvidenceFile) -> None:
    entry = CustodyEntry.objects.get(evidence=evidence)
    append_only.registered_guard("evidence_custodyentry").remove(connection)
    migration = import_module("madad.evidence.migrations.0003_custody_append_only_guard")
    editor = SimpleNamespace(connection=connection)
    for operation in migration.Migration.operations:
        operation.code(None, editor)
    for change in (
        lambda: CustodyEntry.objects.filter(pk=entry.pk).update(action="viewed"),
        lambda: CustodyEntry.objects.filter(pk=entry.pk).delete(),
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            change()
