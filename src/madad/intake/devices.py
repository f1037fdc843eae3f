"""Field devices: a phone running ODK Collect (or KoboCollect) gets a revocable token, carried
in the server URL as ODK Central's app users do, and a QR code Collect scans to set itself up.
The token is shown once; only its SHA-256 is kept."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import secrets
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

import qrcode
import qrcode.image.svg
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from madad.accounts.models import Organisation, User
from madad.core import validation
from madad.core.audit import audit_record
from madad.core.refusals import Conflict, Errors
from madad.intake.models import Device, Form

NAME_MAX = 100
TOKEN_BYTES = 32
# how often a device's "last seen" is written (not at every request)
SEEN_EVERY_SECONDS = 60


@dataclass(frozen=True)
class NewDevice:
    device: Device
    token: str  # shown once


def token_sha256(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def device_create(
    *,
    organisation: Organisation,
    name: str,
    created_by: User | None,
    forms: Iterable[Form] | None = None,
    holder: User | None = None,
) -> NewDevice:
    """A device for the named forms (by default every open form of the organisation)."""
    errors = Errors()
    name = validation.text(name, "name", errors, max_length=NAME_MAX, required=True)
    chosen = (
        list(forms)
        if forms is not None
        else list(Form.objects.filter(organisation=organisation, state=Form.State.OPEN))
    )
    if any(f.organisation_id != organisation.pk for f in chosen):
        errors.add("forms", _("Choose forms of your organisation."))
    if not chosen:
        errors.add("forms", _("Choose at least one form (add the forms first)."))
    if holder is not None and holder.organisation_id != organisation.pk:
        errors.add("holder", _("Choose a person of your organisation."))
    if name and Device.objects.filter(organisation=organisation, name=name).exists():
        errors.add("name", _("A device with this name exists. Choose another name."))
    errors.raise_if()
    token = secrets.token_urlsafe(TOKEN_BYTES)
    with transaction.atomic():
        device = Device.objects.create(
            organisation=organisation,
            name=name,
            holder=holder,
            token_sha256=token_sha256(token),
            created_by=created_by,
        )
        device.forms.set(chosen)
        audit_record(
            action="intake.device.created",
            actor=created_by,
            organisation=organisation,
            obj=device,
            fields=["forms", "holder"] if holder else ["forms"],
        )
    return NewDevice(device=device, token=token)


def device_revoke(*, device: Device, by: User | None) -> Device:
    if device.revoked_at is not None:
        raise Conflict(_("This device was already revoked."))
    with transaction.atomic():
        now = timezone.now()
        if (
            Device.objects.filter(pk=device.pk, revoked_at__isnull=True).update(
                revoked_at=now, revoked_by=by
            )
            != 1
        ):
            raise Conflict(_("This device was already revoked."))
        device.revoked_at, device.revoked_by = now, by
        audit_record(
            action="intake.device.revoked", actor=by, organisation=device.organisation, obj=device
        )
    return device


def device_for_token(token: str) -> Device | None:
    """The active device this token opens, or None (unknown and revoked alike)."""
    if not token or len(token) > 200:
        return None
    device = (
        Device.objects.select_related("organisation")
        .filter(token_sha256=token_sha256(token), revoked_at__isnull=True)
        .first()
    )
    if device is not None:
        now = timezone.now()
        seen = device.last_seen_at
        if seen is None or (now - seen).total_seconds() > SEEN_EVERY_SECONDS:
            Device.objects.filter(pk=device.pk).update(last_seen_at=now)
    return device


def server_url(base_url: str, token: str) -> str:
    """The address to type into Collect ("Server URL"): Collect adds /formList and
    /submission to it."""
    return f"{base_url.rstrip('/')}/intake/d/{token}"


def collect_settings(*, url: str, device: Device) -> str:
    """The text of the QR code Collect scans (Settings → Project → Reconfigure with QR code):
    its settings as JSON, zlib-compressed, in base64."""
    settings = {
        "general": {
            "server_url": url,
            "username": "",
            "form_update_mode": "match_exactly",
            "autosend": "wifi_and_cellular",
            "delete_send": True,
        },
        "admin": {"change_server": False, "admin_pw": ""},
        "project": {"name": f"Madad: {device.name}", "icon": "M", "color": "#1f6f5c"},
    }
    packed = zlib.compress(json.dumps(settings, ensure_ascii=False).encode())
    return base64.b64encode(packed).decode("ascii")


def qr_svg(text: str) -> str:
    """The QR code as inline SVG (no image request, no third party)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    out = io.BytesIO()
    image.save(out)
    return out.getvalue().decode()
