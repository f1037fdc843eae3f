"""The age keys backups are encrypted to, and the identities that open them.

A backup is encrypted to every recipient in MADAD_BACKUP_RECIPIENTS (an office key, whose
identity the server keeps for drills, and a recovery key kept offline). In development and demo
mode, with none set, a key pair is made once under var/backup-keys/ so that backups work out
of the box; production refuses to back up without recipients.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pyrage
from django.conf import settings
from pyrage import x25519

from madad.core.refusals import Invalid

DEV_IDENTITY = "identity.txt"


def generate(out: Path) -> str:
    """Writes a new age identity (secret key) to `out`, readable by its owner only, and
    returns its recipient (public key). Never overwrites a file."""
    identity = x25519.Identity.generate()
    recipient = str(identity.to_public())
    created = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    text = f"# created: {created}\n# public key: {recipient}\n{identity}\n"
    try:
        descriptor = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise Invalid(f"{out} already exists; a key file is never overwritten.") from None
    with os.fdopen(descriptor, "w", encoding="ascii") as file:
        file.write(text)
    return recipient


def _dev_identity_path() -> Path:
    return Path(settings.VAR_DIR) / "backup-keys" / DEV_IDENTITY


def _dev_recipient() -> str:
    path = _dev_identity_path()
    if not path.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        return generate(path)
    return str(load_identity(path).to_public())


def recipients() -> list[x25519.Recipient]:
    """The keys a new backup is encrypted to."""
    named = list(settings.BACKUP_RECIPIENTS)
    if not named:
        if settings.PRODUCTION:
            raise Invalid(
                "MADAD_BACKUP_RECIPIENTS is not set. Production backups are encrypted to the "
                "office key and an offline recovery key: make them with `madad backup keygen` "
                "and list both public keys (age1...), comma-separated."
            )
        named = [_dev_recipient()]
    found = []
    for text in named:
        try:
            found.append(x25519.Recipient.from_str(text))
        except pyrage.RecipientError:
            raise Invalid(
                f"MADAD_BACKUP_RECIPIENTS holds {text[:12]!r}..., which is not an age public "
                "key (age1...)."
            ) from None
    return found


def identity_path(given: str | Path | None = None) -> Path | None:
    """The identity to open backups with: the one given, MADAD_BACKUP_IDENTITY, or in
    development and demo mode the key pair made under var/."""
    if given:
        return Path(given)
    if settings.BACKUP_IDENTITY:
        return Path(settings.BACKUP_IDENTITY)
    if not settings.PRODUCTION and _dev_identity_path().exists():
        return _dev_identity_path()
    return None


def load_identity(path: Path) -> x25519.Identity:
    try:
        lines = path.read_text(encoding="ascii").splitlines()
    except (OSError, UnicodeError) as error:
        raise Invalid(f"The identity file {path} cannot be read: {error}.") from None
    secret = [line.strip() for line in lines if line.strip().startswith("AGE-SECRET-KEY-")]
    if len(secret) != 1:
        raise Invalid(f"{path} is not an age identity file (one AGE-SECRET-KEY-... line).")
    try:
        return x25519.Identity.from_str(secret[0])
    except pyrage.IdentityError:
        raise Invalid(f"{path} holds a damaged age secret key.") from None
