"""The stamp that names who took a file: on every page of a PDF, on an image, and in the file's
metadata; the original's metadata (author, GPS) does not come along."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas

from madad.sharing import watermark
from tests.evidence.factories import GPS_IFD, jpeg_bytes, png_bytes

IDENTIFIER = "5f0c2a3e-8d7b-4c1e-9a55-0e2b7d4f6a19"
LINES = [
    "Delegate (test) · Fictitious Visiting Delegation",
    "Grant #7",
    "2026-03-01 09:30 UTC",
    f"Download {IDENTIFIER}",
]


def two_pages() -> bytes:
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(595, 842))
    canvas.setAuthor("A Person")
    canvas.setTitle("Secret title")
    for n in (1, 2):
        canvas.drawString(72, 720, f"Page {n} of the original")
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def test_every_page_of_a_stamped_pdf_names_the_reader_the_grant_and_the_download() -> None:
    stamped = PdfReader(
        io.BytesIO(watermark.stamp_pdf(two_pages(), lines=LINES, identifier=IDENTIFIER))
    )
    assert len(stamped.pages) == 2
    for n, page in enumerate(stamped.pages, start=1):
        text = page.extract_text()
        assert f"Page {n} of the original" in text
        assert "Delegate (test)" in text
        assert "Grant #7" in text
        assert IDENTIFIER in text


def test_the_identifier_is_in_the_pdf_metadata_and_the_original_metadata_is_not() -> None:
    stamped = PdfReader(
        io.BytesIO(watermark.stamp_pdf(two_pages(), lines=LINES, identifier=IDENTIFIER))
    )
    metadata = stamped.metadata
    assert metadata is not None
    assert str(metadata[watermark.METADATA_KEY]) == IDENTIFIER
    assert IDENTIFIER in str(metadata.subject)
    assert IDENTIFIER in str(metadata["/Keywords"])
    assert metadata.author is None
    assert "Secret title" not in str(metadata.title)


def test_a_record_pdf_keeps_urdu_text_as_text() -> None:
    transcript = "وہ رات کو آئے اور دکان کو آگ لگا دی"
    pdf = watermark.record_pdf("Testimony", [("Language", "Urdu")], transcript)
    stamped = PdfReader(io.BytesIO(watermark.stamp_pdf(pdf, lines=LINES, identifier=IDENTIFIER)))
    text = "".join(page.extract_text() for page in stamped.pages)
    assert "Testimony" in text
    assert "دکان" in text
    assert IDENTIFIER in text


def test_urdu_is_told_from_english() -> None:
    assert watermark.is_right_to_left("وہ رات کو آئے")
    assert not watermark.is_right_to_left("They came at night")
    assert not watermark.is_right_to_left("")


def test_a_stamped_jpeg_has_no_gps_and_carries_the_identifier() -> None:
    original = jpeg_bytes(gps=True, size=(320, 240))
    with Image.open(io.BytesIO(original)) as before:
        assert before.getexif().get_ifd(GPS_IFD)  # the test's photo does carry a position
    data, content_type = watermark.stamp_image(original, lines=LINES, identifier=IDENTIFIER)
    assert content_type == "image/jpeg"
    with Image.open(io.BytesIO(data)) as after:
        exif = after.getexif()
        assert not exif.get_ifd(GPS_IFD)
        assert 0x010F not in exif  # the camera's make is gone too
        assert IDENTIFIER in exif[watermark.EXIF_IMAGE_DESCRIPTION]
        assert IDENTIFIER in after.info["comment"].decode()
        assert after.size == (320, 240)
        # the stamp is drawn: the foot of the picture is no longer the photo's own colours
        assert after.convert("RGB").getpixel((4, 236)) != (180, 40, 40)


def test_a_stamped_png_keeps_none_of_its_text_and_carries_the_identifier() -> None:
    data, content_type = watermark.stamp_image(
        png_bytes(text="taken at the shop of Zarina"), lines=LINES, identifier=IDENTIFIER
    )
    assert content_type == "image/png"
    with Image.open(io.BytesIO(data)) as after:
        assert after.info[watermark.IMAGE_TEXT_KEY] == IDENTIFIER
        assert "Zarina" not in str(after.info)


@pytest.mark.parametrize("data", [b"", b"not a file at all", b"%PDF-1.4\nbroken"])
def test_bytes_that_are_not_a_pdf_are_refused_clearly(data: bytes) -> None:
    with pytest.raises(ValueError, match="not a readable PDF"):
        watermark.stamp_pdf(data, lines=LINES, identifier=IDENTIFIER)


@pytest.mark.parametrize("data", [b"", b"not a file at all", jpeg_bytes()[:40]])
def test_bytes_that_are_not_an_image_are_refused_clearly(data: bytes) -> None:
    with pytest.raises(ValueError, match="image"):
        watermark.stamp_image(data, lines=LINES, identifier=IDENTIFIER)


def test_an_image_of_another_type_is_refused() -> None:
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, format="GIF")
    with pytest.raises(ValueError, match="Only JPEG and PNG"):
        watermark.stamp_image(out.getvalue(), lines=LINES, identifier=IDENTIFIER)
