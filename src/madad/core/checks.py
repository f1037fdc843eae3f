"""Deployment checks of Madad's own keys (`madad check --deploy`).

A key that cannot work fails at the first encryption, after the service is up and taking
testimonies; a short blind-index key makes the CNIC, phone and name indexes guessable. Both
are refused here, naming the variable, before anything is stored.
"""

from __future__ import annotations

from typing import Any

from cryptography.fernet import Fernet
from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register

# HMAC-SHA256 gains nothing from a longer key; a shorter one is weaker than the digest.
BLIND_INDEX_KEY_MIN_BYTES = 32


@register(Tags.security, deploy=True)
def field_keys_are_fernet_keys(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    keys = list(getattr(settings, "FIELD_ENCRYPTION_KEYS", []))
    if not keys:
        return [Error("MADAD_FIELD_KEYS holds no key.", id="madad.E001")]
    errors: list[CheckMessage] = []
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key.encode())
        except (ValueError, TypeError):
            errors.append(
                Error(
                    f"MADAD_FIELD_KEYS: key {position} of {len(keys)} is not a valid Fernet "
                    "key (32 url-safe base64-encoded bytes).",
                    hint="Generate one with: python -c 'from cryptography.fernet import "
                    "Fernet; print(Fernet.generate_key().decode())'",
                    id="madad.E001",
                )
            )
    return errors


@register(Tags.security, deploy=True)
def blind_index_key_is_long(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    key = str(getattr(settings, "BLIND_INDEX_KEY", ""))
    if len(key.encode("utf-8")) >= BLIND_INDEX_KEY_MIN_BYTES:
        return []
    return [
        Error(
            f"MADAD_BLIND_INDEX_KEY is shorter than {BLIND_INDEX_KEY_MIN_BYTES} bytes: it "
            "protects the indexes of national ID numbers, phone numbers and names.",
            hint="Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(32))'",
            id="madad.E002",
        )
    ]
