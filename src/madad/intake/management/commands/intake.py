from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from madad.accounts.models import Organisation
from madad.core.refusals import Refused
from madad.intake import devices, encryption, fieldforms
from madad.intake.models import Device, Form


def _organisation(name: str | None) -> Organisation:
    relief = Organisation.objects.filter(kind=Organisation.Kind.RELIEF)
    if name:
        found = relief.filter(name=name).first()
        if found is None:
            raise CommandError(f"No relief organisation is named {name!r}.")
        return found
    organisations = list(relief[:2])
    if len(organisations) != 1:
        raise CommandError("Name the organisation with --organisation (there is not exactly one).")
    return organisations[0]


def _base_url(given: str | None) -> str:
    if given:
        return given.rstrip("/")
    if settings.PRODUCTION:
        return f"https://{settings.ALLOWED_HOSTS[0]}"
    return f"http://{os.environ.get('MADAD_BIND', '127.0.0.1:8000')}"


def _refused(refusal: Refused) -> CommandError:
    details = "; ".join(f"{k}: {' '.join(v)}" for k, v in refusal.fields.items())
    return CommandError(details or refusal.message)


class Command(BaseCommand):
    help = (
        "Field intake. `madad intake keys generate` makes the organisation's key for encrypted "
        "forms; `madad intake forms add FILE.xlsx [--encrypt]` adds an XLSForm (or a new "
        "version); `madad intake forms ship` adds Madad's two forms when their vocabularies "
        "changed; `madad intake devices create --name NAME [--form ID ...]` gives a phone its "
        "server URL; `madad intake devices revoke NAME` stops it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        what = parser.add_subparsers(dest="what", required=True)
        keys = what.add_parser("keys").add_subparsers(dest="action", required=True)
        keys.add_parser("generate", help="Write a new private key to MADAD_INTAKE_KEY_FILE.")
        keys.add_parser("public", help="Print the public key, as forms carry it.")

        forms = what.add_parser("forms").add_subparsers(dest="action", required=True)
        add = forms.add_parser("add", help="Add an XLSForm, or a new version of one.")
        add.add_argument("file", type=Path)
        add.add_argument("--encrypt", action="store_true", help="Add the organisation's key.")
        add.add_argument("--organisation")
        ship = forms.add_parser("ship", help="Add Madad's forms where they changed.")
        ship.add_argument("--organisation")
        listing = forms.add_parser("list")
        listing.add_argument("--organisation")

        devs = what.add_parser("devices").add_subparsers(dest="action", required=True)
        create = devs.add_parser("create", help="A new device; prints its server URL once.")
        create.add_argument("--name", required=True)
        create.add_argument("--form", action="append", default=[], help="A form id (repeatable).")
        create.add_argument("--url", help="Madad's address as phones reach it.")
        create.add_argument("--organisation")
        revoke = devs.add_parser("revoke", help="Stop a device at its next request.")
        revoke.add_argument("name")
        revoke.add_argument("--organisation")
        devlist = devs.add_parser("list")
        devlist.add_argument("--organisation")

    def handle(self, *args: Any, **options: Any) -> None:
        handler = getattr(self, f"_{options['what']}_{options['action']}")
        try:
            handler(options)
        except Refused as refusal:
            raise _refused(refusal) from refusal

    def _keys_generate(self, options: dict[str, Any]) -> None:
        path = encryption.key_path()
        try:
            encryption.generate_key(path)
        except FileExistsError:
            raise CommandError(f"{path} exists; a key is never overwritten.") from None
        self.stdout.write(f"Wrote {path} (mode 0600). Keep a copy with the backup keys.")

    def _keys_public(self, options: dict[str, Any]) -> None:
        try:
            self.stdout.write(encryption.public_key_base64())
        except encryption.KeyMissing as exc:
            raise CommandError(str(exc)) from exc

    def _forms_add(self, options: dict[str, Any]) -> None:
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}.") from exc
        version = fieldforms.form_add(
            organisation=_organisation(options["organisation"]),
            data=data,
            added_by=None,
            encrypt=options["encrypt"],
        )
        state = "encrypted" if version.encrypted else "not encrypted"
        self.stdout.write(f"Added {version.form.form_id} version {version.version} ({state}).")

    def _forms_ship(self, options: dict[str, Any]) -> None:
        added = fieldforms.forms_ship(
            organisation=_organisation(options["organisation"]), added_by=None
        )
        for version in added:
            self.stdout.write(f"Added {version.form.form_id} version {version.version}.")
        if not added:
            self.stdout.write("The shipped forms are up to date.")

    def _forms_list(self, options: dict[str, Any]) -> None:
        organisation = _organisation(options["organisation"])
        for form in Form.objects.filter(organisation=organisation):
            current = form.current
            self.stdout.write(
                f"{form.form_id}\t{current.version if current else '-'}\t{form.state}\t"
                f"{'encrypted' if current and current.encrypted else 'not encrypted'}"
            )

    def _devices_create(self, options: dict[str, Any]) -> None:
        organisation = _organisation(options["organisation"])
        forms = None
        if options["form"]:
            forms = list(
                Form.objects.filter(organisation=organisation, form_id__in=options["form"])
            )
            missing = sorted(set(options["form"]) - {f.form_id for f in forms})
            if missing:
                raise CommandError(f"No form with the id {', '.join(missing)}.")
        new = devices.device_create(
            organisation=organisation, name=options["name"], created_by=None, forms=forms
        )
        url = devices.server_url(_base_url(options["url"]), new.token)
        self.stdout.write(
            f"Device {new.device.name!r} for: "
            + ", ".join(f.form_id for f in new.device.forms.all())
        )
        self.stdout.write("Server URL (type it into Collect: Settings → Server; shown once):")
        self.stdout.write(url)

    def _devices_revoke(self, options: dict[str, Any]) -> None:
        organisation = _organisation(options["organisation"])
        device = Device.objects.filter(organisation=organisation, name=options["name"]).first()
        if device is None:
            raise CommandError(f"No device is named {options['name']!r}.")
        devices.device_revoke(device=device, by=None)
        self.stdout.write(f"Revoked {device.name!r}: its next request is refused.")

    def _devices_list(self, options: dict[str, Any]) -> None:
        organisation = _organisation(options["organisation"])
        for device in Device.objects.filter(organisation=organisation):
            state = "revoked" if device.revoked_at else "active"
            seen = device.last_seen_at.isoformat() if device.last_seen_at else "never"
            self.stdout.write(f"{device.name}\t{state}\tlast seen {seen}")
