"""evidence_upload: what is stored, under which name, and what is refused without a trace."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest
from django.db import connection
from pytest_django import Settings

from madad.accounts.models import Organisation, User
from madad.core.models import AuditEvent
from madad.core.refusals import Invalid
from madad.evidence.models import CustodyEntry, EvidenceFile
from madad.evidence.services import evidence_upload
from madad.incidents.models import Incident
from tests.evidence.factories import (
    PDF_BYTES,
    jpeg_bytes,
    make_incident,
    make_person,
    make_testimony,
    refused,
    stored_files,
    upload,
)

pytestmark = pytest.mark.django_db


def test_a_file_is_stored_under_a_random_name_with_its_sha256(
    incident: Incident, documenter: User, media_root: Path
) -> None:
    content = jpeg_bytes()
    evidence = evidence_upload(
        incident=incident, uploaded_by=documenter, file=upload(content, "Zainab_Orangi_Town.jpg")
    )
    assert evidence.sha256 == hashlib.sha256(content).hexdigest()
    assert evidence.size == len(content)
    assert evidence.content_type == "image/jpeg" and evidence.kind == "image"
    [stored] = stored_files(media_root)
    assert stored.read_bytes() == content
    assert "Zainab" not in evidence.storage_name and "Orangi" not in evidence.storage_name
    assert not stored.suffix  # not even the extension is kept in the stored name


def test_the_original_name_is_encrypted_at_rest(incident: Incident, documenter: User) -> None:
    evidence = evidence_upload(
        incident=incident,
        uploaded_by=documenter,
        file=upload(jpeg_bytes(), "Zainab_Orangi_Town.jpg"),
        description="Taken by the brother",
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT original_name, description FROM evidence_evidencefile WHERE id = %s",
            [evidence.pk],
        )
        raw_name, raw_description = cursor.fetchone()
    assert raw_name.startswith("enc1:") and "Zainab" not in raw_name
    assert raw_description.startswith("enc1:") and "brother" not in raw_description
    assert EvidenceFile.objects.get(pk=evidence.pk).original_name == "Zainab_Orangi_Town.jpg"


def test_an_upload_opens_the_custody_log_and_is_audited(
    incident: Incident, documenter: User
) -> None:
    evidence = evidence_upload(
        incident=incident,
        uploaded_by=documenter,
        file=upload(b"Statement typed by the family.\n", "note.txt"),
    )
    [entry] = CustodyEntry.objects.filter(evidence=evidence)
    assert (entry.action, entry.by_id, entry.sha256) == ("uploaded", documenter.pk, evidence.sha256)
    event = AuditEvent.objects.get(action="evidence.uploaded")
    assert event.object_id == str(evidence.pk) and event.actor_id == documenter.pk
    assert event.fields == ["original_name"]


def test_a_file_over_the_size_limit_is_refused_and_nothing_is_stored(
    settings: Settings, incident: Incident, documenter: User, media_root: Path
) -> None:
    settings.MADAD_EVIDENCE_MAX_MB = 1
    too_big = b"a" * (1024 * 1024 + 1)
    with pytest.raises(Invalid) as refused:
        evidence_upload(incident=incident, uploaded_by=documenter, file=upload(too_big, "x.txt"))
    assert "larger than the limit of 1 MB" in refused.value.fields["file"][0]
    assert not EvidenceFile.objects.exists()
    assert not CustodyEntry.objects.exists()
    assert stored_files(media_root) == []


def test_a_file_of_exactly_the_size_limit_is_accepted(
    settings: Settings, incident: Incident, documenter: User
) -> None:
    settings.MADAD_EVIDENCE_MAX_MB = 1
    evidence = evidence_upload(
        incident=incident, uploaded_by=documenter, file=upload(b"a" * (1024 * 1024), "x.txt")
    )
    assert evidence.size == 1024 * 1024


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff", "photo.jpg"),  # a program, renamed
        (b"PK\x03\x04\x14\x00\x00\x00\x08\x00", "statement.pdf"),  # a zip archive
        (b"GIF89a\x01\x00\x01\x00\x80\x00\x00", "image.gif"),  # an image type not on the list
        (b"\x00\x00\x00\x18ftyp3gp4\x00\x00\x00\x00", "clip.mp4"),  # 3GP, not MP4
        (b"plain start\x00\x01\x02 then binary", "notes.txt"),
    ],
)
def test_a_type_not_on_the_list_is_refused_by_its_content_whatever_its_name(
    incident: Incident, documenter: User, media_root: Path, content: bytes, name: str
) -> None:
    with pytest.raises(Invalid) as refused:
        evidence_upload(incident=incident, uploaded_by=documenter, file=upload(content, name))
    assert "This type of file is not accepted" in refused.value.fields["file"][0]
    assert "JPEG image" in refused.value.fields["file"][0]
    assert not EvidenceFile.objects.exists()
    assert stored_files(media_root) == []


def test_a_text_file_with_binary_after_its_first_lines_is_refused(
    incident: Incident, documenter: User, media_root: Path
) -> None:
    content = b"An innocent first line.\n" * 100 + b"\x00\x01\x02\x03"
    with refused("not plain UTF-8 text"):
        evidence_upload(incident=incident, uploaded_by=documenter, file=upload(content, "a.txt"))
    assert stored_files(media_root) == []


def test_a_damaged_image_is_refused(incident: Incident, documenter: User, media_root: Path) -> None:
    damaged = jpeg_bytes()[:40]
    with refused("damaged or is not really an image"):
        evidence_upload(incident=incident, uploaded_by=documenter, file=upload(damaged))
    assert stored_files(media_root) == []


def test_an_empty_file_is_refused(incident: Incident, documenter: User) -> None:
    with refused("The file is empty"):
        evidence_upload(incident=incident, uploaded_by=documenter, file=upload(b"", "a.txt"))


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (PDF_BYTES, "application/pdf"),
        (b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\x00" * 20, "audio/mpeg"),
        (b"\xff\xfb\x90\x64" + b"\x00" * 40, "audio/mpeg"),
        (b"\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00", "audio/mp4"),
        (b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00", "video/mp4"),
        (b"OggS\x00\x02" + b"\x00" * 22 + b"\x01\x1e\x01vorbis", "audio/ogg"),
        ("بیان: میں نے دو آدمی دیکھے\n".encode(), "text/plain"),
    ],
)
def test_each_type_on_the_list_is_recognised_by_its_content(
    incident: Incident, documenter: User, content: bytes, content_type: str
) -> None:
    evidence = evidence_upload(
        incident=incident, uploaded_by=documenter, file=upload(content, "no-extension")
    )
    assert evidence.content_type == content_type


def test_an_incident_of_another_organisation_is_refused(
    other_relief_org: Organisation,
    documenter: User,
    make_user: Callable[..., User],
    media_root: Path,
) -> None:
    outsider = make_user("documenter", other_relief_org)
    theirs = make_incident(organisation=other_relief_org, user=outsider)
    with pytest.raises(Invalid) as refused:
        evidence_upload(incident=theirs, uploaded_by=documenter, file=upload(jpeg_bytes()))
    assert "incident" in refused.value.fields
    assert stored_files(media_root) == []


def test_a_testimony_about_another_incident_cannot_be_linked(
    relief_org: Organisation, incident: Incident, documenter: User, media_root: Path
) -> None:
    other = make_incident(organisation=relief_org, user=documenter, title="Another")
    testimony = make_testimony(
        person=make_person(organisation=relief_org), user=documenter, incident=other
    )
    with pytest.raises(Invalid) as refused:
        evidence_upload(
            incident=incident,
            testimony=testimony,
            uploaded_by=documenter,
            file=upload(jpeg_bytes()),
        )
    assert refused.value.fields["testimony"] == ["This testimony is about another incident."]
    assert stored_files(media_root) == []


def test_a_file_can_be_attached_to_a_testimony_of_its_incident(
    relief_org: Organisation, incident: Incident, documenter: User
) -> None:
    testimony = make_testimony(
        person=make_person(organisation=relief_org), user=documenter, incident=incident
    )
    evidence = evidence_upload(
        incident=incident, testimony=testimony, uploaded_by=documenter, file=upload(jpeg_bytes())
    )
    assert list(testimony.attachments.all()) == [evidence]


def test_a_failure_after_the_file_was_stored_removes_it_again(
    incident: Incident, documenter: User, media_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(**kwargs: object) -> None:
        raise RuntimeError("the audit trail is unavailable")

    monkeypatch.setattr("madad.evidence.services.audit_record", broken)
    with pytest.raises(RuntimeError):
        evidence_upload(incident=incident, uploaded_by=documenter, file=upload(jpeg_bytes()))
    assert not EvidenceFile.objects.exists()
    assert not CustodyEntry.objects.exists()
    assert stored_files(media_root) == []
