"""Writes about evidence files: ingest, verified download, export copy, and their custody.

Guarantees:
- A file is stored only once it has passed every check (size, type by content, a readable
  image); a refused upload leaves no file in storage and no row.
- The SHA-256 recorded is that of the bytes as stored (the stored file is hashed again).
- A download or export serves only bytes whose hash matched the one taken at ingest: the
  file is copied and hashed in one pass, and the copy is what is served. A mismatch is
  refused, recorded in the file's custody log and audited as ``evidence.integrity.failed``.
- Every upload, view, download and export adds a custody entry and an audit event.
"""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
import tempfile
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import Storage, storages
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from madad.accounts.models import User
from madad.core.audit import audit_record
from madad.evidence import files
from madad.evidence.models import CustodyEntry, EvidenceFile
from madad.incidents.models import Incident
from madad.testimonies.models import Testimony

logger = logging.getLogger(__name__)

CHUNK = 64 * 1024
SPOOL_BYTES = 4 * 1024 * 1024
ORIGINAL_NAME_MAX = 255
DESCRIPTION_MAX = 2000


def evidence_storage() -> Storage:
    """Django's default storage (a directory outside the web root, or S3-compatible storage
    configured in STORAGES)."""
    return storages["default"]


def max_bytes() -> int:
    return int(settings.MADAD_EVIDENCE_MAX_MB) * 1024 * 1024


class EvidenceIntegrityError(Exception):
    """The stored file no longer matches the hash taken at ingest (or is missing)."""


class EvidenceNotExportable(Exception):
    """No copy free of metadata can be made of this type of file."""


def _allowed_types_text() -> str:
    return ", ".join(str(t.label) for t in files.ALLOWED.values())


@dataclass(frozen=True)
class _Inspected:
    file_type: files.FileType
    size: int
    sha256: str


def _inspect(upload: File) -> _Inspected:
    """Streams the upload once: size limit, type by content, hash. Raises ValidationError."""
    limit = max_bytes()
    declared = getattr(upload, "size", None)
    if declared is not None and declared > limit:
        raise ValidationError({"file": [_too_large(declared, limit)]})
    upload.seek(0)
    head = upload.read(files.HEAD_BYTES)
    if not head:
        raise ValidationError({"file": [_("The file is empty.")]})
    file_type = files.sniff(head)
    if file_type is None:
        raise ValidationError(
            {
                "file": [
                    _("This type of file is not accepted. Accepted types: %(types)s.")
                    % {"types": _allowed_types_text()}
                ]
            }
        )
    hasher = hashlib.sha256()
    size = 0
    text = files.TextCheck() if file_type == files.TEXT else None
    upload.seek(0)
    for chunk in upload.chunks(CHUNK):
        size += len(chunk)
        if size > limit:
            raise ValidationError({"file": [_too_large(size, limit)]})
        hasher.update(chunk)
        if text is not None:
            text.feed(chunk)
    if text is not None:
        text.feed(b"", final=True)
        if not text.ok:
            raise ValidationError(
                {
                    "file": [
                        _(
                            "This text file is not plain UTF-8 text. Save it as UTF-8 text, or "
                            "upload it as a PDF."
                        )
                    ]
                }
            )
    if file_type in (files.JPEG, files.PNG):
        try:
            files.check_image(upload)
        except files.ImageRefused as exc:
            raise ValidationError({"file": [str(exc.args[0])]}) from None
    upload.seek(0)
    return _Inspected(file_type=file_type, size=size, sha256=hasher.hexdigest())


def _too_large(size: int, limit: int) -> str:
    return _("The file is larger than the limit of %(limit)s MB.") % {
        "limit": limit // (1024 * 1024)
    }


def _hash_stored(storage: Storage, name: str, copy_to: IO[bytes] | None = None) -> str:
    hasher = hashlib.sha256()
    with storage.open(name, "rb") as stored:
        while chunk := stored.read(CHUNK):
            hasher.update(chunk)
            if copy_to is not None:
                copy_to.write(chunk)
    return hasher.hexdigest()


def _custody(
    evidence: EvidenceFile,
    action: str,
    user: User,
    sha256: str,
    request: HttpRequest | None,
    audit_action: str,
) -> CustodyEntry:
    with transaction.atomic():
        entry = CustodyEntry.objects.create(
            evidence=evidence, action=action, by=user, sha256=sha256
        )
        audit_record(action=audit_action, request=request, actor=user, obj=evidence)
    return entry


def evidence_upload(
    *,
    incident: Incident,
    uploaded_by: User,
    file: File,
    testimony: Testimony | None = None,
    description: str = "",
    request: HttpRequest | None = None,
) -> EvidenceFile:
    """Stores an evidence file for an incident (and optionally one of its testimonies) under a
    random name, with its SHA-256, and opens its custody log. Raises ValidationError (by field)
    and stores nothing when the file or the links are refused."""
    errors: dict[str, list[str]] = {}
    organisation_id = uploaded_by.organisation_id
    if incident.organisation_id != organisation_id:
        errors["incident"] = [_("This incident is not one of your organisation's records.")]
    if testimony is not None:
        if testimony.organisation_id != organisation_id:
            errors["testimony"] = [_("This testimony is not one of your organisation's records.")]
        elif testimony.incident_id not in (None, incident.pk):
            errors["testimony"] = [_("This testimony is about another incident.")]
    description = (description or "").strip()
    if len(description) > DESCRIPTION_MAX:
        errors["description"] = [
            _("A description has at most %(max)s characters.") % {"max": DESCRIPTION_MAX}
        ]
    if "\x00" in description:
        errors["description"] = [_("The text contains a character that cannot be stored.")]
    if errors:
        raise ValidationError(errors)
    inspected = _inspect(file)

    storage = evidence_storage()
    token = secrets.token_hex(16)
    # A random name with no extension: the stored name tells nothing of the file.
    stored_name = storage.save(f"evidence/{token[:2]}/{token}", file)
    try:
        if _hash_stored(storage, stored_name) != inspected.sha256:
            raise OSError("the stored bytes differ from the uploaded ones")
        original_name = os.path.basename((getattr(file, "name", "") or "").replace("\\", "/"))
        with transaction.atomic():
            evidence = EvidenceFile.objects.create(
                organisation_id=organisation_id,
                incident=incident,
                testimony=testimony,
                kind=inspected.file_type.kind,
                content_type=inspected.file_type.content_type,
                size=inspected.size,
                sha256=inspected.sha256,
                storage_name=stored_name,
                original_name=original_name[:ORIGINAL_NAME_MAX].replace("\x00", ""),
                description=description,
                uploaded_by=uploaded_by,
            )
            CustodyEntry.objects.create(
                evidence=evidence,
                action=CustodyEntry.Action.UPLOADED,
                by=uploaded_by,
                sha256=inspected.sha256,
            )
            audit_record(
                action="evidence.uploaded",
                request=request,
                actor=uploaded_by,
                obj=evidence,
                fields=["description", "original_name"] if description else ["original_name"],
            )
    except BaseException:
        storage.delete(stored_name)
        raise
    return evidence


def evidence_record_viewed(
    *, evidence: EvidenceFile, user: User, request: HttpRequest | None = None
) -> CustodyEntry:
    """Notes in the custody log that the user opened the file's record."""
    return _custody(evidence, CustodyEntry.Action.VIEWED, user, "", request, "evidence.viewed")


def _verified_copy(
    evidence: EvidenceFile, user: User, request: HttpRequest | None
) -> tuple[IO[bytes], str]:
    """A temporary copy of the stored bytes, made while hashing them, and their hash; raises
    EvidenceIntegrityError (after recording it) if the hash is not the one taken at ingest."""
    copy: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115
    try:
        digest = _hash_stored(evidence_storage(), evidence.storage_name, copy_to=copy)
    except OSError:
        digest = ""
    if digest != evidence.sha256:
        copy.close()
        logger.warning("Evidence file %s failed its integrity check", evidence.pk)
        _custody(
            evidence,
            CustodyEntry.Action.INTEGRITY_FAILED,
            user,
            digest,
            request,
            "evidence.integrity.failed",
        )
        raise EvidenceIntegrityError(
            _(
                "This file has changed since it was uploaded (or is missing): its fingerprint "
                "no longer matches the one taken at upload. It was not served. The refusal has "
                "been recorded; tell your coordinator."
            )
        )
    copy.seek(0)
    return copy, digest


@dataclass
class Download:
    file: IO[bytes]
    filename: str
    content_type: str
    sha256: str


def neutral_filename(evidence: EvidenceFile) -> str:
    """A file name that says nothing but the record it comes from."""
    file_type = files.ALLOWED.get(evidence.content_type)
    return f"madad-evidence-{evidence.pk}{file_type.extension if file_type else ''}"


def evidence_open_for_download(
    *, evidence: EvidenceFile, user: User, request: HttpRequest | None = None
) -> Download:
    """The original file, verified against its SHA-256, to be streamed to the user; the
    download enters the custody log. The caller closes Download.file (FileResponse does)."""
    copy, digest = _verified_copy(evidence, user, request)
    try:
        _custody(
            evidence, CustodyEntry.Action.DOWNLOADED, user, digest, request, "evidence.downloaded"
        )
    except BaseException:
        copy.close()
        raise
    return Download(
        file=copy,
        filename=neutral_filename(evidence),
        content_type=evidence.content_type,
        sha256=digest,
    )


def evidence_export_copy(
    *, evidence: EvidenceFile, user: User, request: HttpRequest | None = None
) -> Download:
    """A copy fit to leave the organisation: the original is verified first, then copied
    without its metadata (EXIF, GPS and the rest). The stored original is only read, so it and
    its hash stay as they were. The custody entry records the copy's hash.

    PDF, audio and video copies are refused (EvidenceNotExportable): no tool installed here
    removes their metadata reliably, and a copy that might still carry a location must not leave.
    """
    file_type = files.ALLOWED.get(evidence.content_type)
    if file_type is None or not file_type.strippable:
        raise EvidenceNotExportable(
            _(
                "Madad cannot yet remove the hidden metadata (such as author, device or location) "
                "from this type of file, so it does not make a copy to leave the organisation. "
                "Only images and plain text can be exported."
            )
        )
    original, _digest = _verified_copy(evidence, user, request)
    try:
        cleaned = files.strip_metadata(original, file_type)
    except (
        OSError,
        ValueError,
        files.Image.DecompressionBombWarning,
        files.Image.DecompressionBombError,
    ) as exc:
        raise EvidenceNotExportable(_("The image could not be read to make a clean copy.")) from exc
    finally:
        original.close()
    copy: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115
    copy.write(cleaned)
    copy.seek(0)
    digest = hashlib.sha256(cleaned).hexdigest()
    try:
        _custody(evidence, CustodyEntry.Action.EXPORTED, user, digest, request, "evidence.exported")
    except BaseException:
        copy.close()
        raise
    return Download(
        file=copy,
        filename=neutral_filename(evidence),
        content_type=evidence.content_type,
        sha256=digest,
    )
