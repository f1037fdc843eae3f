"""A copy that leaves the organisation has no EXIF or GPS; the original keeps them and its
hash."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from PIL import Image

from madad.accounts.models import User
from madad.core.models import AuditEvent
from madad.core.refusals import Conflict, Invalid
from madad.evidence.models import CustodyEntry, EvidenceFile
from madad.evidence.services import (
    evidence_export_copy,
    evidence_upload,
)
from madad.incidents.models import Incident
from tests.evidence.factories import GPS_IFD, MAKE, PDF_BYTES, jpeg_bytes, png_bytes, upload

pytestmark = pytest.mark.django_db


def _upload(incident: Incident, user: User, content: bytes, name: str = "a") -> EvidenceFile:
    return evidence_upload(incident=incident, uploaded_by=user, file=upload(content, name))


def _exif(content: bytes) -> Image.Exif:
    with Image.open(io.BytesIO(content)) as image:
        return image.getexif()


def test_the_shared_copy_has_no_exif_or_gps_while_the_original_keeps_both_and_its_hash(
    incident: Incident, documenter: User, media_root: Path
) -> None:
    original = jpeg_bytes(gps=True)
    assert _exif(original).get_ifd(GPS_IFD)  # the test image really carries a position
    evidence = _upload(incident, documenter, original)

    copy = evidence_export_copy(evidence=evidence, user=documenter)
    with copy.file:
        shared = copy.file.read()

    assert _exif(shared).get_ifd(GPS_IFD) == {}
    assert len(_exif(shared)) == 0
    assert b"TestCam" not in shared and b"Exif" not in shared
    with Image.open(io.BytesIO(shared)) as image:
        assert image.size == (40, 30) and image.format == "JPEG"
    stored = (media_root / evidence.storage_name).read_bytes()
    assert stored == original
    assert _exif(stored).get_ifd(GPS_IFD) and _exif(stored)[MAKE] == "TestCam"
    evidence.refresh_from_db()
    assert evidence.sha256 == hashlib.sha256(original).hexdigest()


def test_the_shared_copy_is_turned_upright_before_its_orientation_tag_goes(
    incident: Incident, documenter: User
) -> None:
    evidence = _upload(incident, documenter, jpeg_bytes(orientation=6, size=(40, 30)))
    copy = evidence_export_copy(evidence=evidence, user=documenter)
    with copy.file, Image.open(copy.file) as image:
        assert image.size == (30, 40)


def test_png_text_chunks_do_not_reach_the_shared_copy(incident: Incident, documenter: User) -> None:
    evidence = _upload(incident, documenter, png_bytes(text="Recorded at Block 7, Orangi"))
    copy = evidence_export_copy(evidence=evidence, user=documenter)
    with copy.file:
        shared = copy.file.read()
    assert b"Orangi" not in shared
    with Image.open(io.BytesIO(shared)) as image:
        assert image.format == "PNG" and "Comment" not in image.info


def test_an_export_is_recorded_with_the_copys_hash(incident: Incident, documenter: User) -> None:
    evidence = _upload(incident, documenter, jpeg_bytes())
    copy = evidence_export_copy(evidence=evidence, user=documenter)
    with copy.file:
        shared = copy.file.read()
    entry = CustodyEntry.objects.filter(evidence=evidence).first()
    assert entry is not None and entry.action == "exported"
    assert entry.sha256 == hashlib.sha256(shared).hexdigest() != evidence.sha256
    assert AuditEvent.objects.filter(action="evidence.exported").count() == 1


def test_no_copy_is_made_of_a_type_whose_metadata_cannot_be_removed(
    incident: Incident, documenter: User
) -> None:
    evidence = _upload(incident, documenter, PDF_BYTES, "statement.pdf")
    with pytest.raises(Invalid, match="cannot yet remove the hidden metadata"):
        evidence_export_copy(evidence=evidence, user=documenter)
    assert not CustodyEntry.objects.filter(action="exported").exists()


def test_no_copy_is_made_of_an_altered_original(
    incident: Incident, documenter: User, media_root: Path
) -> None:
    evidence = _upload(incident, documenter, jpeg_bytes())
    (media_root / evidence.storage_name).write_bytes(jpeg_bytes(gps=False))
    with pytest.raises(Conflict):
        evidence_export_copy(evidence=evidence, user=documenter)
    assert AuditEvent.objects.filter(action="evidence.integrity.failed").count() == 1
    assert not CustodyEntry.objects.filter(action="exported").exists()


def test_plain_text_is_copied_as_it_is(incident: Incident, documenter: User) -> None:
    evidence = _upload(incident, documenter, b"Typed statement.\n", "s.txt")
    copy = evidence_export_copy(evidence=evidence, user=documenter)
    with copy.file:
        assert copy.file.read() == b"Typed statement.\n"
