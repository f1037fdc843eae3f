"""A stand-in for ODK Collect, written from the OpenRosa and ODK encryption specifications:
it asks the server as Collect does (HEAD, form list, form, manifest and media, submission),
builds instances as Collect saves them, encrypts them as Collect does when the form carries a
public key, and splits a submission larger than the server takes into several POSTs that
repeat the XML. Used by the tests and by bench/intake against a real server.
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import os
import re
import secrets
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit
from xml.etree import ElementTree
from xml.sax.saxutils import escape

from cryptography.hazmat.decrepit.ciphers.modes import CFB
from cryptography.hazmat.primitives import hashes, padding, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.padding import MGF1, OAEP
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms
from defusedxml import ElementTree as SafeElementTree

LIST_NS = "{http://openrosa.org/xforms/xformsList}"
MANIFEST_NS = "{http://openrosa.org/xforms/xformsManifest}"
XF = "{http://www.w3.org/2002/xforms}"


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    @property
    def message(self) -> str:
        found = re.search(r"<message[^>]*>(.*?)</message>", self.text, re.S)
        return found.group(1) if found else ""


@dataclass
class ListedForm:
    form_id: str
    name: str
    version: str
    hash: str
    download_url: str
    manifest_url: str | None


@dataclass
class Instance:
    """A filled-in form as Collect saves it: XML, and the files its answers name."""

    form_id: str
    version: str
    instance_id: str
    xml: bytes
    files: dict[str, bytes] = field(default_factory=dict)


class Collect:
    def __init__(self, server_url: str, *, timeout: float = 30) -> None:
        parts = urlsplit(server_url.rstrip("/"))
        self.scheme, self.netloc, self.base = parts.scheme, parts.netloc, parts.path
        self.timeout = timeout
        self.accept_length: int | None = None

    # --- transport ---------------------------------------------------------------------------
    def _connection(self) -> http.client.HTTPConnection:
        if self.scheme == "https":
            return http.client.HTTPSConnection(self.netloc, timeout=self.timeout)
        return http.client.HTTPConnection(self.netloc, timeout=self.timeout)

    def request(
        self,
        method: str,
        url: str,
        body: bytes | Iterable[bytes] | None = None,
        headers: dict[str, str] | None = None,
        *,
        chunked: bool = False,
    ) -> Answer:
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if not parts.netloc:
            path = self.base + url
        connection = self._connection()
        all_headers = {"X-OpenRosa-Version": "1.0", "Date": "now", **(headers or {})}
        try:
            connection.request(method, path, body=body, headers=all_headers, encode_chunked=chunked)
            response = connection.getresponse()
            answer = Answer(response.status, dict(response.getheaders()), response.read())
        finally:
            connection.close()
        accepted = answer.headers.get("X-OpenRosa-Accept-Content-Length")
        if accepted:
            self.accept_length = int(accepted)
        return answer

    # --- forms -------------------------------------------------------------------------------
    def head_submission(self) -> Answer:
        return self.request("HEAD", "/submission")

    def form_list(self) -> list[ListedForm]:
        answer = self.request("GET", "/formList")
        if answer.status != 200:
            raise AssertionError(f"formList answered {answer.status}: {answer.text}")
        root = SafeElementTree.fromstring(answer.body)
        forms = []
        for node in root.findall(f"{LIST_NS}xform"):

            def text(name: str, node: ElementTree.Element = node) -> str:
                return (node.findtext(f"{LIST_NS}{name}") or "").strip()

            forms.append(
                ListedForm(
                    form_id=text("formID"),
                    name=text("name"),
                    version=text("version"),
                    hash=text("hash"),
                    download_url=text("downloadUrl"),
                    manifest_url=text("manifestUrl") or None,
                )
            )
        return forms

    def download(self, form: ListedForm) -> str:
        answer = self.request("GET", form.download_url)
        if answer.status != 200:
            raise AssertionError(f"the form answered {answer.status}")
        if f"md5:{hashlib.md5(answer.body).hexdigest()}" != form.hash:  # noqa: S324
            raise AssertionError("the form's hash is not the one listed")
        return answer.body.decode()

    def media(self, form: ListedForm) -> dict[str, bytes]:
        if form.manifest_url is None:
            return {}
        answer = self.request("GET", form.manifest_url)
        root = SafeElementTree.fromstring(answer.body)
        files = {}
        for node in root.findall(f"{MANIFEST_NS}mediaFile"):
            name = node.findtext(f"{MANIFEST_NS}filename") or ""
            listed = node.findtext(f"{MANIFEST_NS}hash") or ""
            got = self.request("GET", node.findtext(f"{MANIFEST_NS}downloadUrl") or "")
            if f"md5:{hashlib.md5(got.body).hexdigest()}" != listed:  # noqa: S324
                raise AssertionError(f"{name}'s hash is not the one in the manifest")
            files[name] = got.body
        return files

    # --- submissions -------------------------------------------------------------------------
    def submit(
        self,
        form_xml: str,
        instance: Instance,
        *,
        split: bool = True,
        chunked: bool = False,
        encrypt: bool | None = None,
    ) -> list[Answer]:
        """Sends an instance as Collect does: encrypted when the form carries a public key
        (unless `encrypt` says otherwise), split into several POSTs when it is larger than the
        server's X-OpenRosa-Accept-Content-Length. Returns each POST's answer."""
        if self.accept_length is None:
            self.head_submission()
        key = public_key_of(form_xml)
        if encrypt is None:
            encrypt = key is not None
        if encrypt:
            if key is None:
                raise ValueError("the form has no public key")
            xml, files = encrypt_instance(instance, key)
        else:
            xml, files = instance.xml, dict(instance.files)
        parts = self._split(xml, files) if split else [list(files.items())]
        answers = []
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            body, content_type = multipart(xml, part, incomplete=not last)
            answer = self.request(
                "POST",
                "/submission",
                body=_pieces(body) if chunked else body,
                headers={"Content-Type": content_type},
                chunked=chunked,
            )
            answers.append(answer)
            if answer.status != 201:
                break
        return answers

    def _split(self, xml: bytes, files: dict[str, bytes]) -> list[list[tuple[str, bytes]]]:
        limit = self.accept_length or 10_000_000
        parts: list[list[tuple[str, bytes]]] = [[]]
        size = len(xml)
        for name, data in files.items():
            if parts[-1] and size + len(data) > limit:
                parts.append([])
                size = len(xml)
            parts[-1].append((name, data))
            size += len(data)
        return parts


def _pieces(body: bytes, size: int = 16 * 1024) -> Iterable[bytes]:
    for start in range(0, len(body), size):
        yield body[start : start + size]


def multipart(
    xml: bytes, files: list[tuple[str, bytes]], *, incomplete: bool = False
) -> tuple[bytes, str]:
    boundary = secrets.token_hex(16)
    out = bytearray()

    def part(name: str, filename: str | None, content_type: str, data: bytes) -> None:
        out.extend(f"--{boundary}\r\n".encode())
        disposition = f'form-data; name="{name}"'
        if filename is not None:
            disposition += f'; filename="{filename}"'
        out.extend(f"Content-Disposition: {disposition}\r\n".encode())
        out.extend(f"Content-Type: {content_type}\r\n\r\n".encode())
        out.extend(data)
        out.extend(b"\r\n")

    part("xml_submission_file", "submission.xml", "text/xml", xml)
    for name, data in files:
        part(name, name, "application/octet-stream", data)
    if incomplete:
        part("*isIncomplete*", None, "text/plain", b"yes")
    out.extend(f"--{boundary}--\r\n".encode())
    return bytes(out), f"multipart/form-data; boundary={boundary}"


# --- instances --------------------------------------------------------------------------------


def form_root(form_xml: str) -> tuple[str, str, str]:
    """The main instance's root name, form id and version."""
    root = SafeElementTree.fromstring(form_xml.encode())
    instance = root.find(f".//{XF}instance")
    assert instance is not None
    data = next(iter(instance))
    return data.tag.replace(XF, ""), data.get("id", ""), data.get("version", "")


def build_instance(
    form_xml: str,
    answers: list[tuple[str, Any]],
    *,
    files: dict[str, bytes] | None = None,
    instance_id: str | None = None,
) -> Instance:
    """Answers as (name, value) in form order; a value that is a list of lists of pairs is a
    repeat group (one list per repetition)."""
    root_name, form_id, version = form_root(form_xml)
    instance_id = instance_id or f"uuid:{uuid.uuid4()}"

    def render(pairs: list[tuple[str, Any]]) -> str:
        out: list[str] = []
        for name, value in pairs:
            if isinstance(value, list):
                out.extend(f"<{name}>{render(group)}</{name}>" for group in value)
            else:
                out.append(f"<{name}>{escape(str(value))}</{name}>")
        return "".join(out)

    xml = (
        f'<?xml version="1.0" encoding="UTF-8"?><{root_name} '
        'xmlns:jr="http://openrosa.org/javarosa" xmlns:orx="http://openrosa.org/xforms" '
        f'id="{escape(form_id)}" version="{escape(version)}">{render(answers)}'
        f"<meta><instanceID>{escape(instance_id)}</instanceID></meta></{root_name}>"
    )
    return Instance(form_id, version, instance_id, xml.encode(), dict(files or {}))


# --- ODK encryption, as Collect does it ---------------------------------------------------------


def public_key_of(form_xml: str) -> rsa.RSAPublicKey | None:
    found = re.search(r'base64RsaPublicKey="([A-Za-z0-9+/=]+)"', form_xml)
    if not found:
        return None
    key = serialization.load_der_public_key(base64.b64decode(found.group(1)))
    assert isinstance(key, rsa.RSAPublicKey)
    return key


def _oaep() -> OAEP:
    return OAEP(mgf=MGF1(algorithm=hashes.SHA256()), algorithm=hashes.SHA256(), label=None)


def encrypt_instance(
    instance: Instance, key: rsa.RSAPublicKey, *, tamper: bool = False
) -> tuple[bytes, dict[str, bytes]]:
    """The envelope and the encrypted files (media first, then submission.xml.enc)."""
    aes_key = os.urandom(32)
    wrapped = base64.b64encode(key.encrypt(aes_key, _oaep())).decode()
    seed = bytearray(hashlib.md5(instance.instance_id.encode() + aes_key).digest())  # noqa: S324
    clear = [*instance.files.items(), ("submission.xml", instance.xml)]
    encrypted: dict[str, bytes] = {}
    for index, (name, data) in enumerate(clear):
        seed[index % 16] = (seed[index % 16] + 1) % 256
        padder = padding.PKCS7(128).padder()
        padded = padder.update(data) + padder.finalize()
        encryptor = Cipher(algorithms.AES(aes_key), CFB(bytes(seed))).encryptor()
        encrypted[f"{name}.enc"] = encryptor.update(padded) + encryptor.finalize()
    lines = [instance.form_id, instance.version, wrapped, instance.instance_id]
    for name, data in clear:
        digest = hashlib.md5(data).hexdigest()  # noqa: S324
        lines.append(f"{name}::{digest}")
    signed = "\n".join(lines) + "\n" + ("tampered" if tamper else "")
    signature = base64.b64encode(
        key.encrypt(hashlib.md5(signed.encode()).digest(), _oaep())  # noqa: S324
    ).decode()
    media = "".join(f"<file>{escape(name)}.enc</file>" for name in instance.files)
    envelope = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<data xmlns="http://opendatakit.org/submissions" encrypted="yes" '
        f'id="{escape(instance.form_id)}" version="{escape(instance.version)}">'
        f"<base64EncryptedKey>{wrapped}</base64EncryptedKey>"
        f'<orx:meta xmlns:orx="http://openrosa.org/xforms">'
        f"<orx:instanceID>{escape(instance.instance_id)}</orx:instanceID></orx:meta>"
        f"<media>{media}</media>"
        "<encryptedXmlFile>submission.xml.enc</encryptedXmlFile>"
        f"<base64EncryptedElementSignature>{signature}</base64EncryptedElementSignature>"
        "</data>"
    )
    return envelope.encode(), encrypted
