"""Writes about evidence files: ingest, verified download, export copy, and their custody.

Guarantees:
- A file is stored only once it has passed every check (size, type by content, a readable
  image); a refused upload leaves no file in storage and no row.
- The SHA-256 recorded is that of the bytes as stored (the stored file is hashed again).
- A download or export serves only bytes whose hash matched the one taken at ingest: the
  file is copied and hashed in one pass, and the copy is what is served. A mismatch is
  refused (`Conflict`, code "integrity_failed"), recorded in the file's custody log and
  audited as ``evidence.integrity.failed``.
- Bad input is refused with `Invalid` (by field), a file of which no clean copy can be made
  with `Invalid` (code "not_exportable").
- Every upload, view, download and export adds a custody entry and an audit event.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import os
import secrets
import tempfile
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage, storages
from django.db import transaction
from django.http import FileResponse
from django.utils.translation import gettext as _
from PIL import Image

from madad.accounts.models import User
from madad.core import validation
from madad.core.audit import audit_record
from madad.core.refusals import Conflict, Errors, Invalid, invalid
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


def _allowed_types_text() -> str:
    return ", ".join(str(t.label) for t in files.ALLOWED.values())


@dataclass(frozen=True)
class _Inspected:
    file_type: files.FileType
    size: int
    sha256: str


def _inspect(upload: File[Any]) -> _Inspected:
    """Streams the upload once: size limit, type by content, hash. Refuses (`Invalid`, of the
    field "file") what does not pass."""
    limit = max_bytes()
    declared = getattr(upload, "size", None)
    if declared is not None and declared > limit:
        raise invalid("file", _too_large(limit))
    upload.seek(0)
    head = upload.read(files.HEAD_BYTES)
    if not head:
        raise invalid("file", _("The file is empty."))
    file_type = files.sniff(head)
    if file_type is None:
        raise invalid(
            "file",
            _("This type of file is not accepted. Accepted types: %(types)s.")
            % {"types": _allowed_types_text()},
        )
    hasher = hashlib.sha256()
    size = 0
    text = files.TextCheck() if file_type == files.TEXT else None
    upload.seek(0)
    for chunk in upload.chunks(CHUNK):
        size += len(chunk)
        if size > limit:
            raise invalid("file", _too_large(limit))
        hasher.update(chunk)
        if text is not None:
            text.feed(chunk)
    if text is not None:
        text.feed(b"", final=True)
        if not text.ok:
            raise invalid(
                "file",
                _(
                    "This text file is not plain UTF-8 text. Save it as UTF-8 text, or upload "
                    "it as a PDF."
                ),
            )
    if file_type in (files.JPEG, files.PNG):
        files.check_image(upload)
    upload.seek(0)
    return _Inspected(file_type=file_type, size=size, sha256=hasher.hexdigest())


def _too_large(limit: int) -> str:
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
    audit_action: str,
    fields: list[str] | None = None,
) -> CustodyEntry:
    with transaction.atomic():
        entry = CustodyEntry.objects.create(
            evidence=evidence, action=action, by=user, sha256=sha256
        )
        # the organisation whose evidence it is keeps the event, whoever acted (a grantee too)
        audit_record(
            action=audit_action,
            actor=user,
            organisation=evidence.organisation,
            obj=evidence,
            fields=fields or (),
        )
    return entry


def _original_name(file: File[Any]) -> str:
    """The file's name on the uploader's device, without its folders, as text that can be
    stored (empty if it cannot)."""
    name = os.path.basename((getattr(file, "name", "") or "").replace("\\", "/"))
    name = validation.clean_text(name)[:ORIGINAL_NAME_MAX]
    return name if validation.storable(name) else ""


def _check_links(
    incident: Incident, testimony: Testimony | None, uploaded_by: User, errors: Errors
) -> None:
    organisation_id = uploaded_by.organisation_id
    if incident.organisation_id != organisation_id:
        errors.add("incident", _("This incident is not one of your organisation's records."))
    if testimony is None:
        return
    if testimony.organisation_id != organisation_id:
        errors.add("testimony", _("This testimony is not one of your organisation's records."))
    elif testimony.incident_id not in (None, incident.pk):
        errors.add("testimony", _("This testimony is about another incident."))


def evidence_upload(
    *,
    incident: Incident,
    uploaded_by: User,
    file: File[Any],
    testimony: Testimony | None = None,
    description: str = "",
) -> EvidenceFile:
    """Stores an evidence file for an incident (and optionally one of its testimonies) under a
    random name, with its SHA-256, and opens its custody log. Refuses (`Invalid`, by field)
    and stores nothing when the file or the links are refused."""
    errors = Errors()
    _check_links(incident, testimony, uploaded_by, errors)
    description = validation.text(
        description, "description", errors, max_length=DESCRIPTION_MAX, multiline=True
    )
    errors.raise_if()
    inspected = _inspect(file)

    storage = evidence_storage()
    token = secrets.token_hex(16)
    # A random name with no extension: the stored name tells nothing of the file.
    stored_name = storage.save(f"evidence/{token[:2]}/{token}", file)
    try:
        if _hash_stored(storage, stored_name) != inspected.sha256:
            raise OSError("the stored bytes differ from the uploaded ones")
        with transaction.atomic():
            evidence = EvidenceFile.objects.create(
                organisation_id=uploaded_by.organisation_id,
                incident=incident,
                testimony=testimony,
                kind=inspected.file_type.kind,
                content_type=inspected.file_type.content_type,
                size=inspected.size,
                sha256=inspected.sha256,
                storage_name=stored_name,
                original_name=_original_name(file),
                description=description,
                uploaded_by=uploaded_by,
            )
            _custody(
                evidence,
                CustodyEntry.Action.UPLOADED,
                uploaded_by,
                inspected.sha256,
                "evidence.uploaded",
                fields=["description", "original_name"] if description else ["original_name"],
            )
    except BaseException:
        storage.delete(stored_name)
        raise
    return evidence


def evidence_from_intake(
    *,
    incident: Incident,
    uploaded_by: User,
    stored_name: str,
    sha256: str,
    received_at: datetime.datetime,
    received_by: User | None = None,
    original_name: str = "",
) -> EvidenceFile:
    """Makes a file that came with a submission (kept in evidence storage under `stored_name`
    since its receipt) an evidence file of the incident. The bytes pass the same checks as an
    upload and must still be those received (`sha256`, taken at receipt): otherwise
    `Conflict` (code "integrity_failed") and nothing is stored. The received file is copied,
    never moved: what the submission held stays as it was.

    Its custody log starts where the file entered Madad: "received", dated `received_at`
    (by `received_by`, the device's holder, or else the reviewer), then "uploaded" by the
    reviewer who made it evidence."""
    errors = Errors()
    _check_links(incident, None, uploaded_by, errors)
    errors.raise_if()
    storage = evidence_storage()
    try:
        source = storage.open(stored_name, "rb")
    except OSError:
        raise _changed_since_receipt() from None
    with source:
        upload = File(source, name=original_name)
        inspected = _inspect(upload)
        if inspected.sha256 != sha256:
            raise _changed_since_receipt()
        token = secrets.token_hex(16)
        upload.seek(0)
        new_name = storage.save(f"evidence/{token[:2]}/{token}", upload)
    try:
        if _hash_stored(storage, new_name) != inspected.sha256:
            raise OSError("the stored bytes differ from the received ones")
        with transaction.atomic():
            evidence = EvidenceFile.objects.create(
                organisation_id=uploaded_by.organisation_id,
                incident=incident,
                kind=inspected.file_type.kind,
                content_type=inspected.file_type.content_type,
                size=inspected.size,
                sha256=inspected.sha256,
                storage_name=new_name,
                original_name=_original_name(File(None, name=original_name)),
                uploaded_by=uploaded_by,
            )
            CustodyEntry.objects.create(
                evidence=evidence,
                action=CustodyEntry.Action.RECEIVED,
                by=received_by or uploaded_by,
                at=received_at,
                sha256=sha256,
            )
            audit_record(
                action="evidence.received",
                actor=uploaded_by,
                organisation=evidence.organisation,
                obj=evidence,
                fields=["original_name"],
            )
            _custody(
                evidence,
                CustodyEntry.Action.UPLOADED,
                uploaded_by,
                inspected.sha256,
                "evidence.uploaded",
                fields=["original_name"],
            )
    except BaseException:
        storage.delete(new_name)
        raise
    return evidence


def _changed_since_receipt() -> Conflict:
    return Conflict(
        _(
            "This file is missing or has changed since it was received: its fingerprint no "
            "longer matches the one taken on receipt. It was not made evidence; tell your "
            "coordinator."
        ),
        code="integrity_failed",
    )


def evidence_record_viewed(*, evidence: EvidenceFile, user: User) -> CustodyEntry:
    """Notes in the custody log that the user opened the file's record."""
    return _custody(evidence, CustodyEntry.Action.VIEWED, user, "", "evidence.viewed")


def _verified_copy(evidence: EvidenceFile, user: User) -> tuple[IO[bytes], str]:
    """A temporary copy of the stored bytes, made while hashing them, and their hash. Refused
    (`Conflict`, after recording the refusal) if the hash is not the one taken at ingest."""
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
            "evidence.integrity.failed",
        )
        raise Conflict(
            _(
                "This file has changed since it was uploaded (or is missing): its fingerprint "
                "no longer matches the one taken at upload. It was not served. The refusal has "
                "been recorded; tell your coordinator."
            ),
            code="integrity_failed",
        )
    copy.seek(0)
    return copy, digest


@dataclass
class Download:
    file: IO[bytes]
    filename: str
    content_type: str
    sha256: str

    def response(self) -> FileResponse:
        """The file as an attachment under its neutral name, its SHA-256 in a header; the
        response closes the file."""
        response = FileResponse(
            self.file, as_attachment=True, filename=self.filename, content_type=self.content_type
        )
        response["X-Content-SHA256"] = self.sha256
        return response


def neutral_filename(evidence: EvidenceFile) -> str:
    """A file name that says nothing but the record it comes from."""
    file_type = files.ALLOWED.get(evidence.content_type)
    return f"madad-evidence-{evidence.pk}{file_type.extension if file_type else ''}"


def _served(
    evidence: EvidenceFile, user: User, copy: IO[bytes], digest: str, action: str
) -> Download:
    """The copy to serve, once its serving is in the custody log (closed if that fails)."""
    try:
        _custody(evidence, action, user, digest, f"evidence.{action}")
    except BaseException:
        copy.close()
        raise
    return Download(
        file=copy,
        filename=neutral_filename(evidence),
        content_type=evidence.content_type,
        sha256=digest,
    )


def evidence_open_for_download(*, evidence: EvidenceFile, user: User) -> Download:
    """The original file, verified against its SHA-256, to be streamed to the user; the
    download enters the custody log. The caller closes Download.file (FileResponse does)."""
    copy, digest = _verified_copy(evidence, user)
    return _served(evidence, user, copy, digest, CustodyEntry.Action.DOWNLOADED)


def _not_exportable(message: str) -> Invalid:
    return Invalid(message, code="not_exportable")


def evidence_export_copy(*, evidence: EvidenceFile, user: User) -> Download:
    """A copy fit to leave the organisation: the original is verified first, then copied
    without its metadata (EXIF, GPS and the rest). The stored original is only read, so it and
    its hash stay as they were. The custody entry records the copy's hash.

    PDF, audio and video copies are refused (`Invalid`, code "not_exportable"): no tool
    installed here removes their metadata reliably, and a copy that might still carry a
    location must not leave.
    """
    file_type = files.ALLOWED.get(evidence.content_type)
    if file_type is None or not file_type.strippable:
        raise _not_exportable(
            _(
                "Madad cannot yet remove the hidden metadata (such as author, device or location) "
                "from this type of file, so it does not make a copy to leave the organisation. "
                "Only images and plain text can be exported."
            )
        )
    original, _digest = _verified_copy(evidence, user)
    try:
        cleaned = files.strip_metadata(original, file_type)
    except (
        OSError,
        ValueError,
        Image.DecompressionBombWarning,
        Image.DecompressionBombError,
    ) as exc:
        raise _not_exportable(_("The image could not be read to make a clean copy.")) from exc
    finally:
        original.close()
    copy: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115
    copy.write(cleaned)
    copy.seek(0)
    return _served(
        evidence, user, copy, hashlib.sha256(cleaned).hexdigest(), CustodyEntry.Action.EXPORTED
    )
