"""Receiving what a device sends (OpenRosa form submission): one submission may arrive in
several requests that repeat the same XML with some of its files each; it is merged by its
instanceID. The same XML again is a repeat, stored once; the same instanceID with other XML is
a conflict. An encrypted submission is decrypted once its last file has arrived, and its
signature checked; an unencrypted one to an encrypted form is refused.

Each request is all or nothing: when it is refused, the files it brought are removed and the
database keeps what it had before it.
"""

from __future__ import annotations

import hashlib
import mimetypes
import secrets
import tempfile
from dataclasses import dataclass
from typing import IO, Any
from xml.etree.ElementTree import Element

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException
from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import Storage
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from madad.core.audit import audit_record
from madad.core.refusals import Conflict, Invalid, NotVisible
from madad.evidence.services import evidence_storage
from madad.intake import encryption
from madad.intake.models import (
    FILE_NAME_MAX,
    INSTANCE_ID_MAX,
    Device,
    Form,
    FormVersion,
    IntakeAttachment,
    IntakeItem,
)

XFORMS_NS = "http://www.w3.org/2002/xforms"
CHUNK = 64 * 1024
SPOOL_IN_MEMORY = 1024 * 1024
# one submission may come in this many requests of MADAD_INTAKE_MAX_BYTES at most
SUBMISSION_MAX_REQUESTS = 10


@dataclass(frozen=True)
class Received:
    item: IntakeItem
    repeat: bool  # everything in this request was here already


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


MAX_DEPTH = 32  # no form nests deeper; reading a deeper one back would recurse too far


def parse_xml(data: bytes) -> Element:
    """XML from outside, parsed with defusedxml: no DTD, no entities, no external anything,
    UTF-8 (as Collect writes it), nested at most MAX_DEPTH deep."""
    refused = Invalid(
        _("The submission is not well-formed UTF-8 XML, or uses features that are refused."),
        code="bad_xml",
    )
    try:
        data.decode("utf-8")
        root: Element = ElementTree.fromstring(data, forbid_dtd=True)
    except (DefusedXmlException, ElementTree.ParseError, ValueError) as exc:
        raise refused from exc
    stack = [(root, 1)]
    while stack:
        element, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise refused
        stack.extend((child, depth + 1) for child in element)
    return root


def _instance_id(root: Element) -> str:
    for node in root.iter():
        if _local(node.tag) == "instanceID":
            return (node.text or "").strip()
    return ""


def binary_paths(form_xml: str) -> list[tuple[str, ...]]:
    """The instance paths (below the root) of the form's file questions: photos, audio."""
    root = parse_xml(form_xml.encode())
    paths = []
    for bind in root.iter(f"{{{XFORMS_NS}}}bind"):
        if bind.get("type") == "binary" and bind.get("nodeset", "").startswith("/"):
            paths.append(tuple(bind.get("nodeset", "").strip("/").split("/")[1:]))
    return paths


def _files_named(instance: Element, paths: list[tuple[str, ...]]) -> list[str]:
    names: list[str] = []

    def walk(node: Element, path: tuple[str, ...]) -> None:
        if not path:
            if (node.text or "").strip():
                names.append((node.text or "").strip())
            return
        for child in node:
            if _local(child.tag) == path[0]:
                walk(child, path[1:])

    for path in paths:
        walk(instance, path)
    return names


def _safe_name(name: str) -> bool:
    return (
        0 < len(name) <= FILE_NAME_MAX
        and "/" not in name
        and "\\" not in name
        and (name not in (".", ".."))
    )


@dataclass
class _Parsed:
    form_version: FormVersion
    instance_id: str
    envelope: encryption.Envelope | None
    named_files: list[str]
    xml_text: str


def _parse(device: Device, xml: bytes) -> _Parsed:
    root = parse_xml(xml)
    try:
        envelope = encryption.read_envelope(root) if encryption.is_envelope(root) else None
    except encryption.EncryptionError as exc:
        raise Invalid(str(exc), code="bad_envelope") from exc
    form_id = envelope.form_id if envelope else root.get("id", "")
    version = envelope.version if envelope else root.get("version")
    form = device.forms.filter(form_id=form_id).first() if form_id else None
    if form is None:
        raise NotVisible(_("This form is not on the server for this device."), code="no_form")
    if form.state != Form.State.OPEN:
        raise Conflict(
            _("The form “%(title)s” is closed: it takes no new submissions.")
            % {"title": form.title},
            code="form_closed",
        )
    form_version = form.versions.filter(version=version or "").first()
    if form_version is None:
        raise Invalid(
            _("This version of the form is not known here. Get the form again on the device."),
            code="no_version",
        )
    if form_version.encrypted and envelope is None:
        raise Invalid(
            _(
                "This form is encrypted, and this submission is not. Get the form again on the "
                "device and send it again."
            ),
            code="not_encrypted",
        )
    if envelope is not None and not form_version.encrypted:
        raise Invalid(_("This form is not encrypted; send it as it is."), code="encrypted")
    instance_id = envelope.instance_id if envelope else _instance_id(root)
    if not instance_id or len(instance_id) > INSTANCE_ID_MAX:
        raise Invalid(_("The submission has no instanceID."), code="no_instance_id")
    if envelope is not None:
        named = list(envelope.files)
    else:
        named = _files_named(root, binary_paths(form_version.xml))
    if not all(_safe_name(n) for n in named):
        raise Invalid(_("The submission names a file it cannot have."), code="bad_file_name")
    text = xml.decode("utf-8", errors="strict") if envelope is None else ""
    return _Parsed(form_version, instance_id, envelope, sorted(set(named)), text)


class _Saved:
    """Files stored during one request, removed again if the request does not commit."""

    def __init__(self, storage: Storage) -> None:
        self.storage = storage
        self.names: list[str] = []

    def save(self, content: IO[bytes] | File[Any]) -> tuple[str, str, int]:
        token = secrets.token_hex(16)
        hasher = hashlib.sha256()
        size = 0
        if not isinstance(content, File):
            content = File(content)
        content.seek(0)
        for chunk in content.chunks(CHUNK):
            hasher.update(chunk)
            size += len(chunk)
        content.seek(0)
        name = self.storage.save(f"intake/{token[:2]}/{token}", content)
        self.names.append(name)
        return name, hasher.hexdigest(), size

    def discard(self) -> None:
        for name in self.names:
            self.storage.delete(name)


def _content_type(name: str) -> str:
    return (mimetypes.guess_type(name)[0] or "application/octet-stream")[:50]


def submission_receive(*, device: Device, xml: bytes, files: dict[str, File[Any]]) -> Received:
    """Stores a submission (or one part of it) from a device. See the module's docstring."""
    parsed = _parse(device, xml)
    unknown = sorted(set(files) - set(parsed.named_files))
    if unknown:
        raise Invalid(
            _("The submission does not name the file %(name)s that came with it.")
            % {"name": unknown[0][:80]},
            code="unknown_file",
        )
    sha = hashlib.sha256(xml).hexdigest()
    saved = _Saved(evidence_storage())
    try:
        try:
            received = _store(device, parsed, sha, files, saved)
        except _Raced:
            # the same submission arriving twice at once: the other request made the item,
            # so this one is merged into it (or is a repeat of it)
            saved.discard()
            saved.names.clear()
            received = _store(device, parsed, sha, files, saved)
    except BaseException:
        saved.discard()
        raise
    return received


class _Raced(Exception):
    """Another request created the item between this one's look and its insert."""


def _total_max() -> int:
    """The most one submission may bring in all its requests together."""
    return int(settings.MADAD_INTAKE_MAX_BYTES) * SUBMISSION_MAX_REQUESTS


def _store(
    device: Device, parsed: _Parsed, sha: str, files: dict[str, File[Any]], saved: _Saved
) -> Received:
    with transaction.atomic():
        item = (
            IntakeItem.objects.select_for_update()
            .filter(organisation=device.organisation, instance_id=parsed.instance_id)
            .first()
        )
        if item is not None and (
            item.received_sha256 != sha or item.source != IntakeItem.Source.DEVICE
        ):
            raise Conflict(
                _("A different submission with the same instanceID is already here."),
                code="instance_conflict",
            )
        if item is not None and item.status != IntakeItem.Status.INCOMPLETE:
            # complete already (and, if encrypted, its files decrypted and checked): a repeat
            return Received(item=item, repeat=True)
        created = item is None
        if item is None:
            try:
                with transaction.atomic():
                    item = _create_item(device, parsed, sha)
            except IntegrityError as exc:
                raise _Raced from exc
        held = {a.name: a for a in item.attachments.all()}
        added = _merge_files(item, files, held, saved)
        missing = [n for n in parsed.named_files if n not in held]
        if item.status == IntakeItem.Status.INCOMPLETE and not missing:
            if parsed.envelope is not None:
                _decrypt_into(item, parsed.envelope, held, saved)
            IntakeItem.objects.filter(pk=item.pk).update(
                status=IntakeItem.Status.NEW, expected_files=[]
            )
        elif item.status == IntakeItem.Status.INCOMPLETE:
            IntakeItem.objects.filter(pk=item.pk).update(expected_files=missing)
        if created or added:
            audit_record(
                action="intake.submission.received",
                actor=None,
                actor_label=f"device #{device.pk}",
                organisation=device.organisation,
                obj=item,
                fields=sorted({"payload", *(["attachments"] if added else [])}),
            )
    item.refresh_from_db()
    return Received(item=item, repeat=not (created or added))


def _merge_files(
    item: IntakeItem,
    files: dict[str, File[Any]],
    held: dict[str, IntakeAttachment],
    saved: _Saved,
) -> bool:
    """Stores the files of this request that the item does not hold yet (into `held`);
    whether any was added. A file held already must come again with the same bytes."""
    if (
        sum(a.size for a in held.values())
        + sum((f.size or 0) for n, f in files.items() if n not in held)
        > _total_max()
    ):
        raise Invalid(
            _("The submission's files are larger together than the server takes (%(mb)s MB).")
            % {"mb": _total_max() // (1024 * 1024)},
            code="too_large",
        )
    added = False
    for name, upload in files.items():
        if name in held:
            digest = _hash_only(upload)
            if digest != held[name].sha256:
                raise Conflict(
                    _("The file %(name)s differs from the one already received.")
                    % {"name": name[:80]},
                    code="file_conflict",
                )
            continue
        storage_name, digest, size = saved.save(upload)
        held[name] = IntakeAttachment.objects.create(
            item=item,
            name=name,
            content_type=_content_type(name),
            size=size,
            sha256=digest,
            storage_name=storage_name,
        )
        added = True
    return added


def _create_item(device: Device, parsed: _Parsed, sha: str) -> IntakeItem:
    return IntakeItem.objects.create(
        organisation=device.organisation,
        source=IntakeItem.Source.DEVICE,
        device=device,
        form_version=parsed.form_version,
        instance_id=parsed.instance_id,
        payload=parsed.xml_text,
        received_sha256=sha,
        expected_files=parsed.named_files,
        encrypted=parsed.envelope is not None,
        status=IntakeItem.Status.INCOMPLETE,
    )


def _hash_only(upload: File[Any]) -> str:
    hasher = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks(CHUNK):
        hasher.update(chunk)
    upload.seek(0)
    return hasher.hexdigest()


def _decrypt_into(
    item: IntakeItem,
    envelope: encryption.Envelope,
    held: dict[str, IntakeAttachment],
    saved: _Saved,
) -> None:
    """Replaces the encrypted files of a complete submission with their clear contents, one
    file at a time (a spooled file each: memory stays bounded), once the signature matches."""
    storage = saved.storage
    try:
        aes_key = encryption.submission_key(envelope)
        ivs = encryption.file_ivs(envelope.instance_id, aes_key, len(envelope.files))
        clear: dict[str, IO[bytes]] = {}
        md5s: dict[str, str] = {}
        for name, iv in zip(envelope.files, ivs, strict=True):
            plain = name[: -len(".enc")]
            clear[plain] = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115
            with storage.open(held[name].storage_name, "rb") as source:
                md5s[plain] = encryption.decrypt_stream(aes_key, iv, source, clear[plain])
        encryption.check_signature(envelope, md5s)
    except encryption.EncryptionError as exc:
        raise Invalid(str(exc), code="undecryptable") from exc
    xml_file = clear.pop(envelope.xml_file[: -len(".enc")])
    xml_file.seek(0)
    xml = xml_file.read()
    root = parse_xml(xml)
    if _instance_id(root) != envelope.instance_id:
        raise Invalid(
            _("The decrypted submission's instanceID is not the envelope's."), code="mismatch"
        )
    old = [held[name] for name in envelope.files]
    IntakeAttachment.objects.filter(pk__in=[a.pk for a in old]).delete()
    for name, data in clear.items():
        if not _safe_name(name):
            raise Invalid(_("The submission names a file it cannot have."), code="bad_file_name")
        data.seek(0)
        storage_name, digest, size = saved.save(data)
        IntakeAttachment.objects.create(
            item=item,
            name=name,
            content_type=_content_type(name),
            size=size,
            sha256=digest,
            storage_name=storage_name,
            received_at=min(a.received_at for a in old),
        )
    IntakeItem.objects.filter(pk=item.pk).update(payload=xml.decode("utf-8"))
    names = [a.storage_name for a in old]
    transaction.on_commit(lambda: _delete_files(storage, names), robust=True)


def _delete_files(storage: Storage, names: list[str]) -> None:
    for name in names:
        storage.delete(name)
