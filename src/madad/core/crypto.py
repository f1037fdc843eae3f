"""Field encryption and blind indexes.

Sensitive values are encrypted with Fernet (AES-128-CBC with HMAC-SHA256) under the keys in
settings.FIELD_ENCRYPTION_KEYS. The first key encrypts; every key decrypts, so that a new key
can be put first and `madad keys rotate` can re-encrypt at leisure.

A blind index is a keyed HMAC of a normalised value: equal inputs give equal digests, so an
exact lookup (a national ID, a phone number) needs no decryption, while the digest reveals
nothing without the separate blind-index key.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PREFIX = "enc1:"  # marks a stored value as a Madad ciphertext


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("MADAD_FIELD_KEYS holds no key.")
    try:
        return MultiFernet([Fernet(k.encode()) for k in keys])
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(
            "MADAD_FIELD_KEYS must hold Fernet keys (32 url-safe base64 bytes), comma-separated."
        ) from exc


def cipher() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


class DecryptionError(Exception):
    """A stored value could not be decrypted with any configured key."""


def encrypt(plaintext: str) -> str:
    return PREFIX + cipher().encrypt(plaintext.encode("utf-8")).decode("ascii")


def decrypt(stored: str) -> str:
    if not stored.startswith(PREFIX):
        raise DecryptionError("value is not a Madad ciphertext")
    try:
        return cipher().decrypt(_token(stored)).decode("utf-8")
    except (InvalidToken, UnicodeError):
        # a tampered value may no longer be ASCII, or its plaintext no longer UTF-8: the same
        # refusal as a wrong key, never a stray UnicodeError
        raise DecryptionError("no configured key decrypts this value") from None


def _token(stored: str) -> bytes:
    return stored[len(PREFIX) :].encode("ascii")


def reencrypt(stored: str) -> str:
    """The same plaintext under the current first key (a no-op in meaning)."""
    if not stored.startswith(PREFIX):
        raise DecryptionError("value is not a Madad ciphertext")
    try:
        return PREFIX + cipher().rotate(_token(stored)).decode("ascii")
    except (InvalidToken, UnicodeError):
        raise DecryptionError("no configured key decrypts this value") from None


def is_current(stored: str) -> bool:
    """True when the first (current) key alone decrypts the value."""
    if not stored.startswith(PREFIX):
        return False
    first = _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS[:1]))
    try:
        first.decrypt(_token(stored))
    except (InvalidToken, UnicodeError):
        return False
    return True


def blind_index(value: str, *, purpose: str) -> str:
    """HMAC-SHA256 of an already normalised value, separated by purpose ("cnic", "phone")."""
    key = settings.BLIND_INDEX_KEY.encode("utf-8")
    message = f"{purpose}\x1f{value}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()
