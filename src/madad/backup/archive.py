"""A backup file: a tar stream encrypted with age, written and read as a stream so that
neither a gigabyte of evidence nor the plaintext archive is ever held in memory or on disk.

The stock `age -d -i KEY FILE | tar -x` opens one too; Madad needs nothing of its own to read
its backups in an emergency.
"""

from __future__ import annotations

import hashlib
import io
import os
import tarfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

import pyrage
from pyrage import x25519

from madad.core.refusals import Invalid

CHUNK = 1 << 20


class Writer:
    """Adds members to the tar stream and returns the SHA-256 of what it added."""

    def __init__(self, tar: tarfile.TarFile) -> None:
        self._tar = tar

    def add_bytes(self, name: str, data: bytes) -> str:
        info = tarfile.TarInfo(name)
        info.size = len(data)
        info.mode = 0o600
        self._tar.addfile(info, io.BytesIO(data))
        return hashlib.sha256(data).hexdigest()

    def add_file(self, name: str, path: Path) -> tuple[str, int]:
        digest = hashlib.sha256()
        with path.open("rb") as source:
            size = os.fstat(source.fileno()).st_size
            info = tarfile.TarInfo(name)
            info.size = size
            info.mode = 0o600
            self._tar.addfile(info, _Hashing(source, digest))
        return digest.hexdigest(), size


class _Hashing(io.RawIOBase):
    def __init__(self, source: IO[bytes], digest: Any) -> None:
        self._source, self._digest = source, digest

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        chunk = self._source.read(size)
        self._digest.update(chunk)
        return chunk


def write(out: Path, recipients: list[x25519.Recipient], fill: Callable[[Writer], None]) -> None:
    """Streams the tar that `fill` builds through age into `out`. An error on either side
    (a full disk, a failing member) is raised here, and `out` is then incomplete: the caller
    writes to a temporary name and renames only on success."""
    read_end, write_end = os.pipe()
    failure: list[BaseException] = []

    def produce() -> None:
        try:
            with os.fdopen(write_end, "wb") as pipe, tarfile.open(fileobj=pipe, mode="w|") as tar:
                fill(Writer(tar))
        except BaseException as error:  # handed to the caller's thread below
            failure.append(error)

    producer = threading.Thread(target=produce, name="backup-tar", daemon=True)
    producer.start()
    try:
        descriptor = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(read_end, "rb") as pipe, os.fdopen(descriptor, "wb") as target:
            pyrage.encrypt_io(pipe, target, recipients)
            target.flush()
            os.fsync(target.fileno())
    finally:
        producer.join()
    if failure:
        raise failure[0]


def extract(
    source: Path,
    identities: list[x25519.Identity],
    take: Callable[[tarfile.TarInfo, IO[bytes]], None],
) -> None:
    """Decrypts `source` and hands each member of its tar, in order, to `take`. Raises Invalid
    on a wrong key, a damaged or truncated file: age authenticates every 64 KiB chunk and the
    end of the stream, so an altered byte or a cut-off tail is always an error, raised after
    `take` may have seen the members before it (callers keep what they take aside until this
    returns)."""
    read_end, write_end = os.pipe()
    failure: list[BaseException] = []
    consumer = threading.Thread(
        target=_untar, args=(read_end, take, failure), name="backup-untar", daemon=True
    )
    consumer.start()
    try:
        encrypted = source.open("rb")
    except OSError as error:
        os.close(write_end)
        consumer.join()
        raise Invalid(f"The backup {source} cannot be read: {error.strerror or error}.") from None
    problem: str | None = None
    try:
        with encrypted, os.fdopen(write_end, "wb") as pipe:
            try:
                pyrage.decrypt_io(encrypted, pipe, identities)
            except pyrage.DecryptError as error:
                problem = (
                    f"The backup {source.name} cannot be decrypted with the identity given: "
                    f"it was not made for this key ({error})."
                )
            except BrokenPipeError:
                pass  # the reader stopped on an error of its own, reported below
            except OSError as error:
                problem = (
                    f"The backup {source.name} is damaged or cut short: its encrypted content "
                    f"does not check out ({error})."
                )
    finally:
        consumer.join()
    if problem is not None:
        raise Invalid(problem)
    if failure:
        raise _as_refusal(failure[0], source)


def _untar(
    read_end: int,
    take: Callable[[tarfile.TarInfo, IO[bytes]], None],
    failure: list[BaseException],
) -> None:
    """Reads the decrypted tar from the pipe, in the consumer's thread. An error is kept for
    the caller's thread, and the pipe is drained so that age's writer never blocks."""
    with os.fdopen(read_end, "rb") as pipe:
        try:
            with tarfile.open(fileobj=pipe, mode="r|") as tar:
                for member in tar:
                    stream = tar.extractfile(member) if member.isfile() else None
                    if stream is None:
                        raise Invalid(f"The backup holds {member.name!r}, which is not a file.")
                    take(member, stream)
        except BaseException as error:  # handed to the caller's thread
            failure.append(error)
        while pipe.read(CHUNK):
            pass


def _as_refusal(problem: BaseException, source: Path) -> BaseException:
    if isinstance(problem, tarfile.TarError | EOFError):
        return Invalid(f"The backup {source.name} is damaged: {problem}.")
    return problem
