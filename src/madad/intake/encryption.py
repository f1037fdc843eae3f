"""ODK's submission encryption, the server's half: the organisation's RSA key pair, and the
decryption of what Collect encrypted on the phone.

What Collect does (https://getodk.github.io/xforms-spec/encryption, as ODK Central reads it):
a fresh 256-bit AES key per submission, wrapped with the form's RSA public key (OAEP, SHA-256
and MGF1 with SHA-256); each file — the media first, in the order the envelope lists them, then
the submission XML — encrypted with AES-256-CFB and PKCS#7 padding, under an IV that starts as
MD5(instanceID + AES key) and has one more byte incremented before each file; and an
"element signature": the MD5 of the form id, version, wrapped key, instanceID and each file's
name and MD5, wrapped with the same RSA key. Whoever holds the private key checks it.

The private key is a PEM file outside the database (MADAD_INTAKE_KEY_FILE), readable only by
Madad. In development and demo one is generated there the first time it is needed.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import IO
from xml.etree.ElementTree import Element

from cryptography.exceptions import InvalidKey
from cryptography.hazmat.decrepit.ciphers.modes import CFB
from cryptography.hazmat.primitives import hashes, padding, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.padding import MGF1, OAEP
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms
from django.conf import settings
from django.utils.translation import gettext as _

ENVELOPE_NS = "http://opendatakit.org/submissions"
OPENROSA_NS = "http://openrosa.org/xforms"
KEY_BITS = 2048
CHUNK = 64 * 1024


class EncryptionError(Exception):
    """The encrypted submission cannot be read or does not check out (message: why)."""


class KeyMissing(Exception):
    """No private key is configured where MADAD_INTAKE_KEY_FILE says."""


def oaep() -> OAEP:
    return OAEP(mgf=MGF1(algorithm=hashes.SHA256()), algorithm=hashes.SHA256(), label=None)


def key_path() -> Path:
    return Path(settings.MADAD_INTAKE_KEY_FILE)


def generate_key(path: Path) -> None:
    """Writes a new private key to `path` (readable by the owner only); refuses to overwrite."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(pem)


@cache
def _load(path: str, mtime: float) -> rsa.RSAPrivateKey:
    key = serialization.load_pem_private_key(Path(path).read_bytes(), password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise KeyMissing(f"{path} does not hold an RSA private key.")
    return key


def private_key() -> rsa.RSAPrivateKey:
    """The organisation's private key; generated on first use outside production."""
    path = key_path()
    if not path.exists():
        if settings.PRODUCTION:
            raise KeyMissing(
                f"No intake key at {path}. Create one with `madad intake keys generate` "
                "(and keep a copy with the backup keys)."
            )
        with contextlib.suppress(FileExistsError):  # another process made it first
            generate_key(path)
    return _load(str(path), path.stat().st_mtime)


def public_key_base64() -> str:
    """The public key as an XForm's `base64RsaPublicKey` wants it: DER SubjectPublicKeyInfo."""
    der = (
        private_key()
        .public_key()
        .public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    return base64.b64encode(der).decode("ascii")


@dataclass(frozen=True)
class Envelope:
    """The clear-text manifest Collect sends as `xml_submission_file` for an encrypted form."""

    form_id: str
    version: str | None
    wrapped_key: str
    instance_id: str
    media: tuple[str, ...]  # encrypted file names, in order ("photo.jpg.enc")
    xml_file: str  # "submission.xml.enc"
    signature: str

    @property
    def files(self) -> tuple[str, ...]:
        return (*self.media, self.xml_file)


def is_envelope(root: Element) -> bool:
    return root.tag == f"{{{ENVELOPE_NS}}}data" and root.get("encrypted", "").lower() == "yes"


def _text(root: Element, path: str) -> str:
    found = root.find(path, {"n": ENVELOPE_NS, "orx": OPENROSA_NS})
    return (found.text or "").strip() if found is not None else ""


def read_envelope(root: Element) -> Envelope:
    instance_id = _text(root, "orx:meta/orx:instanceID") or _text(root, "n:meta/n:instanceID")
    envelope = Envelope(
        form_id=root.get("id", ""),
        version=root.get("version"),
        wrapped_key=_text(root, "n:base64EncryptedKey"),
        instance_id=instance_id or root.get("instanceID", ""),
        media=tuple(
            (f.text or "").strip() for f in root.findall("n:media/n:file", {"n": ENVELOPE_NS})
        ),
        xml_file=_text(root, "n:encryptedXmlFile"),
        signature=_text(root, "n:base64EncryptedElementSignature"),
    )
    missing = [
        name
        for name, value in (
            ("id", envelope.form_id),
            ("base64EncryptedKey", envelope.wrapped_key),
            ("instanceID", envelope.instance_id),
            ("encryptedXmlFile", envelope.xml_file),
            ("base64EncryptedElementSignature", envelope.signature),
        )
        if not value
    ]
    if missing:
        raise EncryptionError(
            _("The encrypted submission lacks %(parts)s.") % {"parts": ", ".join(missing)}
        )
    for name in envelope.files:
        if not name.endswith(".enc") or "/" in name or len(name) <= 4:
            raise EncryptionError(_("The encrypted submission names a file it cannot have."))
    plain = {name[: -len(".enc")] for name in envelope.files}
    if len(set(envelope.files)) != len(envelope.files) or plain & set(envelope.files):
        raise EncryptionError(_("The encrypted submission names a file twice."))
    return envelope


def file_ivs(instance_id: str, key: bytes, count: int) -> list[bytes]:
    """The IV of each of `count` files, in the order Collect encrypted them."""
    iv = bytearray(hashlib.md5(instance_id.encode() + key).digest())  # noqa: S324 (ODK's rule)
    ivs = []
    for index in range(count):
        iv[index % 16] = (iv[index % 16] + 1) % 256
        ivs.append(bytes(iv))
    return ivs


def _unwrap(key: rsa.RSAPrivateKey, wrapped: str) -> bytes:
    try:
        return key.decrypt(base64.b64decode(wrapped, validate=True), oaep())
    except (ValueError, InvalidKey) as exc:
        raise EncryptionError(
            _(
                "The submission was encrypted with another key: this form's key on the phone is "
                "not the organisation's. Download the form again on the device."
            )
        ) from exc


def submission_key(envelope: Envelope) -> bytes:
    """The submission's AES key, unwrapped with the organisation's private key."""
    aes_key = _unwrap(private_key(), envelope.wrapped_key)
    if len(aes_key) != 32:
        raise EncryptionError(_("The submission's key is not an AES-256 key."))
    return aes_key


def decrypt_stream(aes_key: bytes, iv: bytes, source: IO[bytes], target: IO[bytes]) -> str:
    """Decrypts one file from `source` into `target`, a chunk at a time; returns the MD5 of
    the clear bytes (for the signature)."""
    decryptor = Cipher(algorithms.AES(aes_key), CFB(iv)).decryptor()
    unpadder = padding.PKCS7(128).unpadder()
    digest = hashlib.md5()  # noqa: S324 (ODK's signature)
    try:
        while chunk := source.read(CHUNK):
            clear = unpadder.update(decryptor.update(chunk))
            digest.update(clear)
            target.write(clear)
        clear = unpadder.update(decryptor.finalize()) + unpadder.finalize()
    except ValueError as exc:
        raise EncryptionError(_("An encrypted file of the submission is damaged.")) from exc
    digest.update(clear)
    target.write(clear)
    return digest.hexdigest()


def signature_text(envelope: Envelope, md5s: dict[str, str]) -> str:
    """What the element signature is the MD5 of (md5s: plain file name → MD5 of its bytes)."""
    lines = [envelope.form_id]
    if envelope.version is not None:
        lines.append(envelope.version)
    lines += [envelope.wrapped_key, envelope.instance_id]
    for name in envelope.files:
        plain = name[: -len(".enc")]
        lines.append(f"{plain}::{md5s[plain]}")
    return "\n".join(lines) + "\n"


def check_signature(envelope: Envelope, md5s: dict[str, str]) -> None:
    """EncryptionError unless the element signature matches the files as decrypted."""
    expected = hashlib.md5(signature_text(envelope, md5s).encode()).digest()  # noqa: S324
    try:
        signed = private_key().decrypt(base64.b64decode(envelope.signature, validate=True), oaep())
    except (ValueError, InvalidKey) as exc:
        raise EncryptionError(_("The submission's signature cannot be read.")) from exc
    if not hmac.compare_digest(signed, expected):
        raise EncryptionError(_("The submission's signature does not match its contents."))
