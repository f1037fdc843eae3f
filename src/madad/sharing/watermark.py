"""Files stamped for the grantee who takes them away, so that a leaked copy names its source.

Pure functions of bytes and text, no database:

- `record_pdf` draws a testimony or an incident as a PDF with WeasyPrint, from the values the
  caller has already chosen (only those the grant opens). WeasyPrint shapes Urdu through
  Pango and HarfBuzz with the machine's Noto fonts (fonts-noto-core); reportlab alone cannot
  join Arabic script. It may fetch nothing: every URL but data: is refused.
- `stamp_pdf` draws the stamp on every page as an overlay (reportlab, merged with pypdf): the
  lines at the foot of the page and the download's identifier across it, light. The stamp is
  text, so it can be searched and read back; the identifier is also in the document's
  metadata (/MadadDownload, the subject and the keywords). The copy keeps none of the
  original's document metadata (author, producer, XMP).
- `stamp_image` draws the lines onto a JPEG or PNG (Pillow), keeps no metadata of the
  original (EXIF, GPS, XMP, ICC, text chunks: madad.evidence.files.strip_metadata) and
  stores the identifier in the file: the JPEG comment and EXIF ImageDescription, or PNG text
  chunks.

The stamp itself is drawn with fonts that cover Latin script (reportlab's Helvetica, Pillow's
bundled font): its lines are a name, a grant number, a time and an identifier.

Anything that cannot be read as what it claims to be is refused with ValueError.
"""

from __future__ import annotations

import io
import logging
import math
import re
import warnings

from django.template.loader import render_to_string
from PIL import Image, ImageDraw, ImageFont, PngImagePlugin

from madad.evidence import files

# WeasyPrint reports every rendering step (even while it is first imported); only errors matter
for _name in ("weasyprint", "weasyprint.progress", "fontTools", "pypdf"):
    logging.getLogger(_name).setLevel(logging.ERROR)

METADATA_KEY = "/MadadDownload"
IMAGE_TEXT_KEY = "MadadDownload"
EXIF_IMAGE_DESCRIPTION = 0x010E

_ARABIC_SCRIPT = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")


def _latin(text: str) -> str:
    """The text as the stamp's font (Helvetica, WinAnsi encoding) can draw it: any other
    character becomes "?", never a box that reads as nothing. The identifier alone names the
    download (and so its reader) in the organisation's records."""
    return text.encode("cp1252", "replace").decode("cp1252")


def is_right_to_left(text: str) -> bool:
    """Whether the text is mostly in Arabic script (Urdu), to be set right to left."""
    letters = [c for c in text if c.isalpha()]
    arabic = sum(1 for c in letters if _ARABIC_SCRIPT.match(c))
    return bool(letters) and arabic * 2 >= len(letters)


# --- The record as PDF -----------------------------------------------------------------------
def record_pdf(title: str, rows: list[tuple[str, str]], text: str) -> bytes:
    """A testimony or an incident as PDF: a title, a table of label and value, and the text
    (right to left when it is in Urdu)."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = render_to_string(
        "sharing/download_record.html",
        {
            "title": title,
            "rows": [(label, value, is_right_to_left(value)) for label, value in rows],
            "text": text,
            "text_rtl": is_right_to_left(text),
        },
    )
    fetcher = URLFetcher(allowed_protocols=["data"])
    document = HTML(string=html, base_url="about:blank", url_fetcher=fetcher)
    return bytes(document.write_pdf())


# --- PDF -------------------------------------------------------------------------------------
def _overlay(width: float, height: float, lines: list[str], identifier: str) -> bytes:
    """One page of the given size with nothing on it but the stamp."""
    from reportlab.lib.colors import Color
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen.canvas import Canvas

    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(width, height), pageCompression=1)
    size = 7.0 if width >= 300 else 5.0
    leading = size * 1.25
    # a white band under the foot lines, so they stay legible on any page
    canvas.setFillColor(Color(1, 1, 1, alpha=0.8))
    canvas.rect(0, 0, width, leading * len(lines) + 8, stroke=0, fill=1)
    canvas.setFillColor(Color(0.25, 0.25, 0.25))
    canvas.setFont("Helvetica", size)
    for n, line in enumerate(reversed(lines)):
        canvas.drawString(12, 6 + n * leading, _latin(line))
    # across the page, light: the identifier and the first line (whose copy this is)
    canvas.saveState()
    canvas.setFillColor(Color(0.6, 0.6, 0.6, alpha=0.18))
    canvas.translate(width / 2, height / 2)
    canvas.rotate(math.degrees(math.atan2(height, width)))
    across = [_latin(lines[0]) if lines else "", _latin(identifier)]
    room = 0.75 * math.hypot(width, height)  # the diagonal's length, less the corners
    widest = max(stringWidth(text, "Helvetica-Bold", 1) for text in across) or 1
    diagonal = max(6.0, min(min(width, height) / 22, room / widest))
    canvas.setFont("Helvetica-Bold", diagonal)
    canvas.drawCentredString(0, diagonal * 0.7, across[0])
    canvas.drawCentredString(0, -diagonal * 0.7, across[1])
    canvas.restoreState()
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def stamp_pdf(pdf: bytes, *, lines: list[str], identifier: str) -> bytes:
    """The PDF with the stamp drawn on every page and the identifier in its metadata; none of
    the original's document metadata is kept. ValueError if it cannot be read."""
    from pypdf import PdfReader, PdfWriter, Transformation
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(pdf), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise ValueError("The PDF is protected by a password and cannot be stamped.")
        writer = PdfWriter()
        overlays: dict[tuple[float, float], bytes] = {}  # one per size of page
        for page in reader.pages:
            added = writer.add_page(page)
            for key in ("/Metadata", "/PieceInfo"):
                if key in added:
                    del added[key]
            added.transfer_rotation_to_content()
            box = added.mediabox
            size = (float(box.width), float(box.height))
            if size not in overlays:
                overlays[size] = _overlay(*size, lines, identifier)
            overlay = PdfReader(io.BytesIO(overlays[size])).pages[0]
            added.merge_transformed_page(
                overlay, Transformation().translate(float(box.left), float(box.bottom))
            )
            added.compress_content_streams()
        if not writer.pages:
            raise ValueError("The PDF has no pages.")
        writer.add_metadata(
            {
                "/Title": "",
                "/Producer": "Madad",
                "/Subject": f"Madad download {identifier}",
                "/Keywords": f"{identifier}, {', '.join(_latin(line) for line in lines)}",
                METADATA_KEY: identifier,
            }
        )
        writer.compress_identical_objects()
        out = io.BytesIO()
        writer.write(out)
    except (PyPdfError, KeyError, TypeError, AttributeError, OSError) as exc:
        raise ValueError("The file is not a readable PDF.") from exc
    return out.getvalue()


# --- Images ----------------------------------------------------------------------------------
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    # Pillow's own font: no file of the machine is needed
    return ImageFont.load_default(size=size)


def _draw_stamp(image: Image.Image, lines: list[str], identifier: str) -> Image.Image:
    width, height = image.size
    size = max(9, min(width, height) // 28)
    font = _font(size)
    layer = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    leading = int(size * 1.3)
    band = leading * len(lines) + size // 2
    draw.rectangle((0, height - band, width, height), fill=(0, 0, 0, 150))
    for n, line in enumerate(lines):
        draw.text((size // 2, height - band + size // 4 + n * leading), line, font=font)
    # across the picture, light: the identifier
    across = Image.new("RGBA", image.size, (0, 0, 0, 0))
    ImageDraw.Draw(across).text(
        (width / 2, height / 2),
        identifier,
        font=_font(max(9, width // max(12, len(identifier) // 2))),
        fill=(255, 255, 255, 70),
        anchor="mm",
    )
    layer = Image.alpha_composite(layer, across.rotate(30, center=(width / 2, height / 2)))
    return Image.alpha_composite(image.convert("RGBA"), layer)


def stamp_image(data: bytes, *, lines: list[str], identifier: str) -> tuple[bytes, str]:
    """A JPEG or PNG with the lines drawn onto it, no metadata of the original, and the
    identifier in the file; its bytes and content type. ValueError for any other file."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as opened:
                kind = opened.format
        file_type = {"JPEG": files.JPEG, "PNG": files.PNG}.get(kind or "")
        if file_type is None:
            raise ValueError(f"Only JPEG and PNG images are stamped, not {kind}.")
        clean = files.strip_metadata(io.BytesIO(data), file_type)
        with Image.open(io.BytesIO(clean)) as opened:
            opened.load()
            stamped = _draw_stamp(opened, lines, identifier)
    except (
        OSError,
        SyntaxError,
        Image.DecompressionBombWarning,
        Image.DecompressionBombError,
    ) as exc:
        raise ValueError("The file is not a readable image.") from exc
    # a new image from the pixels alone: nothing of any info dictionary comes along
    fresh = Image.frombytes(stamped.mode, stamped.size, stamped.tobytes())
    note = f"Madad download {identifier}"
    out = io.BytesIO()
    if file_type == files.JPEG:
        exif = Image.Exif()
        exif[EXIF_IMAGE_DESCRIPTION] = note
        fresh.convert("RGB").save(
            out, format="JPEG", quality=92, comment=note.encode(), exif=exif.tobytes()
        )
        return out.getvalue(), "image/jpeg"
    info = PngImagePlugin.PngInfo()
    info.add_text(IMAGE_TEXT_KEY, identifier)
    info.add_text("Comment", note)
    fresh.save(out, format="PNG", pnginfo=info)
    return out.getvalue(), "image/png"
