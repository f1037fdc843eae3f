"""Small factories for the records evidence and testimonies hang on: places, incidents,
persons, testimonies; and files made on the spot (an image with EXIF and GPS, a PDF)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from madad.accounts.models import Organisation, User
from madad.core.refusals import Invalid
from madad.incidents.models import Incident
from madad.people.models import Person
from madad.people.services import person_create
from madad.places.models import Place
from madad.testimonies.models import Testimony
from madad.testimonies.services import testimony_record


@contextmanager
def refused(containing: str) -> Iterator[None]:
    """Expects the block to be refused as invalid input with a message containing the text."""
    with pytest.raises(Invalid) as caught:
        yield
    messages = [m for ms in caught.value.fields.values() for m in ms] or [caught.value.message]
    assert any(containing in m for m in messages), messages


GPS_IFD = 0x8825
MAKE, MODEL, ORIENTATION = 0x010F, 0x0110, 0x0112


def make_place() -> Place:
    place, _ = Place.objects.get_or_create(
        code="test-city",
        defaults={
            "name": "Test City",
            "level": Place.Level.CITY,
            "latitude": "24.86000",
            "longitude": "67.01000",
        },
    )
    return place


def make_incident(*, organisation: Organisation, user: User, **extra: Any) -> Incident:
    values: dict[str, Any] = {
        "title": "Shop owner threatened (test)",
        "start_date": dt.date(2012, 5, 3),
    }
    values.update(extra)
    return Incident.objects.create(
        organisation=organisation, place=make_place(), created_by=user, updated_by=user, **values
    )


def make_person(*, organisation: Organisation, **extra: Any) -> Person:
    values: dict[str, Any] = {"given_name": "Zainab", "family_name": "Test", "sex": "female"}
    values.update(extra)
    return person_create(organisation=organisation, created_by=None, **values)


def make_testimony(
    *,
    person: Person,
    user: User,
    incident: Incident | None = None,
    transcript: str = "I saw two men on a motorbike outside the shop.",
    **extra: Any,
) -> Testimony:
    values: dict[str, Any] = {"date": dt.date(2012, 5, 10), "language": "ur"}
    values.update(extra)
    return testimony_record(
        person=person, recorded_by=user, incident=incident, transcript=transcript, **values
    )


def jpeg_bytes(
    *, gps: bool = True, orientation: int | None = None, size: tuple[int, int] = (40, 30)
) -> bytes:
    """A small JPEG; with a camera make, model and GPS position in its EXIF unless gps=False."""
    image = Image.new("RGB", size, (180, 40, 40))
    for x in range(size[0] // 2):  # a left half of another colour, to tell rotations apart
        for y in range(size[1]):
            image.putpixel((x, y), (20, 40, 200))
    exif = Image.Exif()
    exif[MAKE] = "TestCam"
    exif[MODEL] = "Model 1"
    if gps:
        exif[GPS_IFD] = {1: "N", 2: (24.0, 51.0, 36.0), 3: "E", 4: (67.0, 0.0, 36.0)}
    if orientation is not None:
        exif[ORIENTATION] = orientation
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes(), quality=90)
    return out.getvalue()


def png_bytes(*, text: str = "") -> bytes:
    from PIL import PngImagePlugin

    image = Image.new("RGBA", (20, 20), (0, 120, 0, 255))
    info = PngImagePlugin.PngInfo()
    if text:
        info.add_text("Comment", text)
    out = io.BytesIO()
    image.save(out, format="PNG", pnginfo=info)
    return out.getvalue()


PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
    b"3 0 obj << /Author (A Person) >> endobj\n"
    b"trailer << /Root 1 0 R /Info 3 0 R >>\n%%EOF\n"
)


def upload(content: bytes, name: str = "IMG_2012_Orangi_Zainab.jpg") -> ContentFile[bytes]:
    return ContentFile(content, name=name)


def stored_files(root: Path) -> list[Path]:
    """Every file under the storage root."""
    return [p for p in root.rglob("*") if p.is_file()]
