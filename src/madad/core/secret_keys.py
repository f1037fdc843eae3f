"""Madad's three secrets: made here, and judged here for form and strength.

Nothing in this module reads Django's settings, so `madad keys generate` works before any
secret exists, in any mode, and the settings module can judge the secrets it is given before
anything starts. The deployment checks (`madad.core.checks`) judge them with the same rules.
"""

from __future__ import annotations

import secrets

from cryptography.fernet import Fernet

# Django's own deployment check (security.W009) asks this much of a secret key.
SECRET_KEY_MIN_CHARS = 50
SECRET_KEY_MIN_UNIQUE = 5
# HMAC-SHA256 gains nothing from a longer key; a shorter one is weaker than the digest.
BLIND_INDEX_KEY_MIN_BYTES = 32


def new_field_key() -> str:
    """A Fernet key: 32 random bytes, url-safe base64."""
    return Fernet.generate_key().decode()


def generate() -> dict[str, str]:
    """A new set of secrets, named as the environment wants them."""
    return {
        "MADAD_SECRET_KEY": secrets.token_urlsafe(SECRET_KEY_MIN_CHARS),
        "MADAD_FIELD_KEYS": new_field_key(),
        "MADAD_BLIND_INDEX_KEY": secrets.token_urlsafe(BLIND_INDEX_KEY_MIN_BYTES),
    }


def is_field_key(key: str) -> bool:
    try:
        Fernet(key.encode("utf-8"))
    except (ValueError, TypeError):
        return False
    return True


def field_key_problems(keys: list[str]) -> list[str]:
    if not keys:
        return ["MADAD_FIELD_KEYS holds no key."]
    return [
        f"MADAD_FIELD_KEYS: key {position} of {len(keys)} is not a valid Fernet key "
        "(32 url-safe base64-encoded bytes)."
        for position, key in enumerate(keys, start=1)
        if not is_field_key(key)
    ]


def blind_index_key_problem(key: str) -> str | None:
    if len(key.encode("utf-8")) >= BLIND_INDEX_KEY_MIN_BYTES:
        return None
    return (
        f"MADAD_BLIND_INDEX_KEY is shorter than {BLIND_INDEX_KEY_MIN_BYTES} bytes: it "
        "protects the indexes of national ID numbers, phone numbers and names."
    )


def secret_key_problem(key: str) -> str | None:
    if len(key) >= SECRET_KEY_MIN_CHARS and len(set(key)) >= SECRET_KEY_MIN_UNIQUE:
        return None
    return (
        f"MADAD_SECRET_KEY is weaker than Django needs: at least {SECRET_KEY_MIN_CHARS} "
        f"characters, {SECRET_KEY_MIN_UNIQUE} of them different. It signs sessions, "
        "invitation links and password resets."
    )


def problems(*, secret_key: str, field_keys: list[str], blind_index_key: str) -> list[str]:
    """Every reason these secrets cannot protect Madad's data; empty when they can."""
    found = [secret_key_problem(secret_key), blind_index_key_problem(blind_index_key)]
    return field_key_problems(field_keys) + [problem for problem in found if problem]


def environment_lines(values: dict[str, str]) -> str:
    """`NAME=value` lines, for an environment file or a shell's `export`."""
    return "".join(f"{name}={value}\n" for name, value in values.items())
