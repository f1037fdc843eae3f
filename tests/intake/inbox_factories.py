"""Intake items made directly with the ORM, as the device and public channels store them: a
payload string (XForm instance XML or the public form's JSON), files in evidence storage."""

from __future__ import annotations

import hashlib
import io
import json
import secrets
import uuid
from typing import Any

from django.core.files.base import ContentFile
from PIL import Image

from madad.accounts.models import Organisation, User
from madad.evidence.services import evidence_storage
from madad.intake.models import Device, Form, FormVersion, IntakeAttachment, IntakeItem

NS = "http://www.opendatakit.org/xforms"


def incident_xml(
    *,
    date: str = "2024-03-05",
    precision: str = "day",
    district: str = "khi.south",
    town: str = "khi.south.saddar",
    neighbourhood: str = "khi.south.saddar.clifton",
    location: str = "24.81400 67.03000 0 5",
    types: str = "extortion-demand",
    title: str = "Shopkeeper threatened for bhatta",
    description: str = "Two men on a motorcycle demanded money.",
    victims: list[dict[str, str]] | None = None,
    source: str = "witness",
    photo: str = "",
    audio: str = "",
    omit: tuple[str, ...] = (),
) -> str:
    """An incident_report instance as Collect saves it (with the default namespace)."""
    victims = (
        [{"victim_name": "Ahmed Raza", "act": "extorted", "sex": "male", "age": "41"}]
        if victims is None
        else victims
    )
    values = {
        "incident_date": date,
        "date_precision": precision,
        "district": district,
        "town": town,
        "neighbourhood": neighbourhood,
        "location": location,
        "types": types,
        "title": title,
        "description": description,
    }
    parts = [f"<{k}>{_esc(v)}</{k}>" for k, v in values.items() if k not in omit]
    for victim in victims:
        inner = "".join(f"<{k}>{_esc(v)}</{k}>" for k, v in victim.items())
        parts.append(f"<victim>{inner}</victim>")
    tail = {"source": source, "photo": photo, "audio": audio}
    parts += [f"<{k}>{_esc(v)}</{k}>" for k, v in tail.items() if k not in omit]
    parts.append(f"<meta><instanceID>uuid:{uuid.uuid4()}</instanceID></meta>")
    return (
        f'<incident_report xmlns="{NS}" id="incident_report" version="2024030501">'
        + "".join(parts)
        + "</incident_report>"
    )


def household_xml(
    *,
    head: str = "Bilqees Bano",
    members: list[dict[str, str]] | None = None,
    what_hit: str = "killed",
    needs: str = "cash_grant school_fees",
) -> str:
    members = (
        [
            {"member_name": "Bilqees Bano", "relation": "head", "age": "38", "sex": "female"},
            {"member_name": "Sana", "relation": "daughter", "age": "12", "sex": "female"},
        ]
        if members is None
        else members
    )
    rows = "".join(
        "<member>" + "".join(f"<{k}>{_esc(v)}</{k}>" for k, v in m.items()) + "</member>"
        for m in members
    )
    return (
        '<household_needs id="household_needs" version="1">'
        f"<head_name>{_esc(head)}</head_name><district>khi.central</district>"
        "<town>khi.central.liaquatabad</town><neighbourhood></neighbourhood>"
        "<address>House 12, Block 3</address>"
        f"{rows}<what_hit>{what_hit}</what_hit><needs>{needs}</needs><notes>Rent due</notes>"
        f"<meta><instanceID>uuid:{uuid.uuid4()}</instanceID></meta></household_needs>"
    )


def public_json(**answers: Any) -> str:
    values: dict[str, Any] = {
        "what": "A man was shot outside his shop in Saddar.",
        "when": "2024-03-05",
        "place": "khi.south.saddar",
        "where": "Near the market",
        "types": ["targeted-killing"],
        "contact": "0300 1234567",
    }
    values.update(answers)
    return json.dumps(values, ensure_ascii=False)


def _esc(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def form_version(organisation: Organisation, form_id: str) -> FormVersion:
    form, _ = Form.objects.get_or_create(
        organisation=organisation, form_id=form_id, defaults={"title": form_id.replace("_", " ")}
    )
    version, _ = FormVersion.objects.get_or_create(
        form=form, version="1", defaults={"xml": "<h:html/>", "md5": "0" * 32, "xlsform": b""}
    )
    return version


def make_item(
    organisation: Organisation,
    *,
    payload: str | None = None,
    source: str = IntakeItem.Source.DEVICE,
    form_id: str = "incident_report",
    status: str = IntakeItem.Status.NEW,
    holder: User | None = None,
    **extra: Any,
) -> IntakeItem:
    if payload is None:
        payload = incident_xml() if source == IntakeItem.Source.DEVICE else public_json()
    device = None
    version = None
    if source == IntakeItem.Source.DEVICE:
        version = form_version(organisation, form_id)
        device = Device.objects.create(
            organisation=organisation,
            name=f"Phone {secrets.token_hex(3)}",
            holder=holder,
            token_sha256=secrets.token_hex(32),
        )
    return IntakeItem.objects.create(
        organisation=organisation,
        source=source,
        device=device,
        form_version=version,
        instance_id=f"uuid:{uuid.uuid4()}",
        payload=payload,
        received_sha256=hashlib.sha256(payload.encode()).hexdigest(),
        status=status,
        **extra,
    )


def png_bytes(colour: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), colour).save(out, format="PNG")
    return out.getvalue()


def add_file(
    item: IntakeItem, data: bytes, name: str = "photo.png", content_type: str = "image/png"
) -> IntakeAttachment:
    storage = evidence_storage()
    token = secrets.token_hex(16)
    stored = storage.save(f"intake/{token[:2]}/{token}", ContentFile(data))
    return IntakeAttachment.objects.create(
        item=item,
        name=name,
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        storage_name=stored,
    )


def tamper(attachment: IntakeAttachment) -> None:
    """Changes the stored bytes behind the attachment's back."""
    storage = evidence_storage()
    storage.delete(attachment.storage_name)
    storage.save(attachment.storage_name, ContentFile(png_bytes((0, 0, 255))))
