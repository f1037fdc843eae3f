"""What an evidence file is, judged by its bytes; and how a copy that leaves the organisation
loses the metadata that could identify or locate somebody.

The type is decided by content sniffing: a file's name and the type its browser claims are
not believed. Only the types in ALLOWED are accepted.
"""

from __future__ import annotations

import codecs
import io
import re
import warnings
from dataclasses import dataclass
from typing import IO

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from madad.core.refusals import invalid
from madad.evidence.models import EvidenceKind

HEAD_BYTES = 512


@dataclass(frozen=True)
class FileType:
    content_type: str
    kind: str
    extension: str
    label: object  # a lazy translation
    # a copy can be made that is free of metadata (EXIF, GPS, text chunks)
    strippable: bool


JPEG = FileType("image/jpeg", EvidenceKind.IMAGE, ".jpg", _("JPEG image"), True)
PNG = FileType("image/png", EvidenceKind.IMAGE, ".png", _("PNG image"), True)
PDF = FileType("application/pdf", EvidenceKind.DOCUMENT, ".pdf", _("PDF document"), False)
MP3 = FileType("audio/mpeg", EvidenceKind.AUDIO, ".mp3", _("MP3 audio"), False)
M4A = FileType("audio/mp4", EvidenceKind.AUDIO, ".m4a", _("M4A audio"), False)
OGG = FileType("audio/ogg", EvidenceKind.AUDIO, ".ogg", _("Ogg audio"), False)
MP4 = FileType("video/mp4", EvidenceKind.VIDEO, ".mp4", _("MP4 video"), False)
TEXT = FileType("text/plain", EvidenceKind.TEXT, ".txt", _("Plain text (UTF-8)"), True)

ALLOWED: dict[str, FileType] = {
    t.content_type: t for t in (JPEG, PNG, PDF, MP3, M4A, OGG, MP4, TEXT)
}

_MP4_AUDIO_BRANDS = {b"M4A ", b"M4B "}
_MP4_VIDEO_BRANDS = {
    b"isom",
    b"iso2",
    b"iso4",
    b"iso5",
    b"iso6",
    b"mp41",
    b"mp42",
    b"avc1",
    b"M4V ",
    b"MSNV",
    b"dash",
}
# Text may hold tabs, line ends and form feeds, and no other control character.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _is_mp3(head: bytes) -> bool:
    if head.startswith(b"ID3"):
        return True
    if len(head) < 4 or head[0] != 0xFF or head[1] & 0xE0 != 0xE0:
        return False
    version, layer = (head[1] >> 3) & 0b11, (head[1] >> 1) & 0b11
    bitrate, rate = head[2] >> 4, (head[2] >> 2) & 0b11
    return version != 0b01 and layer != 0b00 and bitrate != 0b1111 and rate != 0b11


def _looks_like_text(head: bytes) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        text = decoder.decode(head, final=False)
    except UnicodeDecodeError:
        return False
    return not _CONTROL.search(text)


def sniff(head: bytes) -> FileType | None:
    """The allowed type these first bytes belong to, or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"OggS"):
        page = head[:80]
        if b"OpusHead" in page or b"\x01vorbis" in page or b"\x7fFLAC" in page:
            return OGG
        return None  # Ogg video (Theora) and others are not on the list
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in _MP4_AUDIO_BRANDS:
            return M4A
        if brand in _MP4_VIDEO_BRANDS:
            return MP4
        return None
    if _is_mp3(head):
        return MP3
    if _looks_like_text(head):
        return TEXT
    return None


class TextCheck:
    """Follows a text file chunk by chunk: all of it must be UTF-8 without control characters
    (the head alone is not enough: a binary file may start with a line of text)."""

    def __init__(self) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")()
        self.ok = True

    def feed(self, chunk: bytes, *, final: bool = False) -> None:
        if not self.ok:
            return
        try:
            text = self._decoder.decode(chunk, final=final)
        except UnicodeDecodeError:
            self.ok = False
            return
        if _CONTROL.search(text):
            self.ok = False


def check_image(source: IO[bytes]) -> None:
    """Refuses (`Invalid`, of the field "file") a damaged image, and one so large in pixels that
    opening it could exhaust the server's memory (Pillow's decompression-bomb limit)."""
    source.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(source) as image:
                image.verify()
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        message = gettext("The image has too many pixels to be handled safely.")
        raise invalid("file", message) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        message = gettext("The image is damaged or is not really an image.")
        raise invalid("file", message) from None
    finally:
        source.seek(0)


def strip_metadata(source: IO[bytes], file_type: FileType) -> bytes:
    """A copy of the file without metadata: for images only the pixels survive (no EXIF, GPS,
    XMP, ICC profile or text chunks), turned upright first so that dropping the orientation tag
    does not turn the picture; plain text has no metadata and is copied as it is.

    Only for types whose FileType.strippable is true; the original is only read.
    """
    source.seek(0)
    if file_type == TEXT:
        return source.read()
    if file_type not in (JPEG, PNG):
        raise ValueError(f"No metadata stripping for {file_type.content_type}.")
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with Image.open(source) as opened:
            opened.load()
            upright = ImageOps.exif_transpose(opened)
    if file_type == JPEG:
        image = upright if upright.mode in ("L", "RGB", "CMYK") else upright.convert("RGB")
    else:
        image = (
            upright
            if upright.mode in ("1", "L", "LA", "I", "I;16", "RGB", "RGBA")
            else upright.convert("RGBA")
        )
    # A new image from the raw pixels carries nothing of the original's info dictionary.
    clean = Image.frombytes(image.mode, image.size, image.tobytes())
    out = io.BytesIO()
    if file_type == JPEG:
        clean.save(out, format="JPEG", quality=95)
    else:
        clean.save(out, format="PNG")
    return out.getvalue()
