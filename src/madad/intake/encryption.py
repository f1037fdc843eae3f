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
from xml.etree.ElementTree import Element

from cryptography.exceptions import InvalidKey
from cryptography.hazmat.decrepit.ciphers.modes import CFB
from cryptography.hazmat.primitives import hashes, padding, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.padding import MGF1, OAEP
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms
from django.conf import settings

ENVELOPE_NS = "http://opendatakit.org/submissions"
OPENROSA_NS = "http://openrosa.org/xforms"
KEY_BITS = 2048


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
        raise EncryptionError(f"The encrypted submission lacks {', '.join(missing)}.")
    for name in envelope.files:
        if not name.endswith(".enc") or "/" in name or len(name) <= 4:
            raise EncryptionError("The encrypted submission names a file it cannot have.")
    if len(set(envelope.files)) != len(envelope.files):
        raise EncryptionError("The encrypted submission names a file twice.")
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
            "The submission was encrypted with another key: this form's key on the phone is "
            "not the organisation's. Download the form again on the device."
        ) from exc


def _decrypt_file(aes_key: bytes, iv: bytes, data: bytes) -> bytes:
    decryptor = Cipher(algorithms.AES(aes_key), CFB(iv)).decryptor()
    padded = decryptor.update(data) + decryptor.finalize()
    unpadder = padding.PKCS7(128).unpadder()
    try:
        return unpadder.update(padded) + unpadder.finalize()
    except ValueError as exc:
        raise EncryptionError("An encrypted file of the submission is damaged.") from exc


def signature_text(envelope: Envelope, clear: dict[str, bytes]) -> str:
    """What the element signature is the MD5 of (clear: plain file name → plain bytes)."""
    lines = [envelope.form_id]
    if envelope.version is not None:
        lines.append(envelope.version)
    lines += [envelope.wrapped_key, envelope.instance_id]
    for name in envelope.files:
        plain = name[: -len(".enc")]
        lines.append(f"{plain}::{hashlib.md5(clear[plain]).hexdigest()}")  # noqa: S324
    return "\n".join(lines) + "\n"


def decrypt(envelope: Envelope, files: dict[str, bytes]) -> tuple[bytes, dict[str, bytes]]:
    """The submission XML and its media in the clear (by plain name), once every file has
    decrypted and the signature matches; EncryptionError otherwise."""
    key = private_key()
    aes_key = _unwrap(key, envelope.wrapped_key)
    if len(aes_key) != 32:
        raise EncryptionError("The submission's key is not an AES-256 key.")
    ivs = file_ivs(envelope.instance_id, aes_key, len(envelope.files))
    clear: dict[str, bytes] = {}
    for name, iv in zip(envelope.files, ivs, strict=True):
        if name not in files:
            raise EncryptionError("A file of the encrypted submission has not arrived.")
        clear[name[: -len(".enc")]] = _decrypt_file(aes_key, iv, files[name])
    expected = hashlib.md5(signature_text(envelope, clear).encode()).digest()  # noqa: S324
    try:
        signed = key.decrypt(base64.b64decode(envelope.signature, validate=True), oaep())
    except (ValueError, InvalidKey) as exc:
        raise EncryptionError("The submission's signature cannot be read.") from exc
    if not hmac.compare_digest(signed, expected):
        raise EncryptionError("The submission's signature does not match its contents.")
    xml = clear.pop(envelope.xml_file[: -len(".enc")])
    return xml, clear
