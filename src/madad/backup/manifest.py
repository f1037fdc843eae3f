"""What a backup says about itself, and the checks a restore makes against it.

The archive holds, in this order: `madad-backup.json` (the header: format, Madad version,
migrations, the field keys' fingerprints — enough to refuse early), `database.sqlite3`,
`files/...` (evidence and other uploads), and `manifest.json` (row counts of every table, the
audit chain's length and head hash, the SHA-256 and size of the database and of every file).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
from dataclasses import asdict, dataclass, field
from typing import Any

from django.conf import settings
from django.db.migrations.loader import MigrationLoader

from madad.core.refusals import Invalid

FORMAT = "madad-backup/1"
HEADER = "madad-backup.json"
DATABASE = "database.sqlite3"
MANIFEST = "manifest.json"
FILES = "files/"


def madad_version() -> str:
    return importlib.metadata.version("madad")


def known_migrations() -> set[str]:
    """Every migration this Madad's code has, applied or not."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return {f"{app}.{name}" for app, name in loader.disk_migrations}


def key_fingerprints(keys: list[str] | None = None) -> list[str]:
    """Short fingerprints of the field-encryption keys (never the keys): a restore names the
    keys a backup needs without revealing them."""
    keys = list(settings.FIELD_ENCRYPTION_KEYS) if keys is None else keys
    return [hashlib.sha256(b"madad field key\x00" + k.encode()).hexdigest()[:16] for k in keys]


def blind_index_fingerprint() -> str:
    key = settings.BLIND_INDEX_KEY.encode()
    return hashlib.sha256(b"madad blind index key\x00" + key).hexdigest()[:16]


@dataclass
class Header:
    format: str
    madad_version: str
    created_at: str
    engine: str
    migrations: list[str]
    field_keys: list[str]
    blind_index_key: str

    def dumps(self) -> bytes:
        return json.dumps(asdict(self), indent=1, sort_keys=True).encode()

    @classmethod
    def loads(cls, data: bytes) -> Header:
        raw = _object(data, HEADER)
        if raw.get("format") != FORMAT:
            raise Invalid(
                f"This file is not a Madad backup of a format this version reads "
                f"({raw.get('format')!r}; expected {FORMAT!r})."
            )
        try:
            return cls(**{name: raw[name] for name in cls.__dataclass_fields__})
        except (KeyError, TypeError):
            raise Invalid(f"The backup's {HEADER} is incomplete.") from None

    def refuse_if_newer(self) -> None:
        """A backup of a newer Madad cannot be restored by this one: its tables may hold what
        this code does not know."""
        unknown = sorted(set(self.migrations) - known_migrations())
        if unknown:
            raise Invalid(
                f"This backup was made by Madad {self.madad_version}, which is newer than the "
                f"running Madad {madad_version()}: it has migrations this version does not "
                f"({', '.join(unknown[:5])}{'...' if len(unknown) > 5 else ''}). Restore it with "
                f"Madad {self.madad_version} or newer."
            )

    def refuse_other_keys(self) -> None:
        """The blind index finds persons by CNIC and phone: under another key every lookup
        would silently find nobody."""
        if self.blind_index_key != blind_index_fingerprint():
            raise Invalid(
                "This backup was made with another MADAD_BLIND_INDEX_KEY (fingerprint "
                f"{self.blind_index_key}; the running key's is {blind_index_fingerprint()}). "
                "Set the key that was in use: under another one, searches by CNIC and phone "
                "would find nobody."
            )

    def is_older(self) -> bool:
        return set(self.migrations) != known_migrations()


@dataclass
class Manifest:
    tables: dict[str, int]
    audit_events: int
    audit_head: str
    database: dict[str, Any]
    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    files_included: bool = True

    def dumps(self) -> bytes:
        return json.dumps(asdict(self), indent=1, sort_keys=True).encode()

    @classmethod
    def loads(cls, data: bytes) -> Manifest:
        raw = _object(data, MANIFEST)
        try:
            return cls(**{name: raw[name] for name in cls.__dataclass_fields__})
        except (KeyError, TypeError):
            raise Invalid(f"The backup's {MANIFEST} is incomplete.") from None


def _object(data: bytes, name: str) -> dict[str, Any]:
    try:
        raw = json.loads(data)
    except (ValueError, UnicodeError):
        raise Invalid(f"The backup's {name} is not JSON.") from None
    if not isinstance(raw, dict):
        raise Invalid(f"The backup's {name} is not an object.")
    return raw
