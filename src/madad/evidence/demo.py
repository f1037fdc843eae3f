"""A handful of synthetic demo evidence files: small generated photographs that carry a made-up
camera and GPS position in their EXIF (so that the export copy has something to remove), and
short typed notes. Every file says it is a demo; none shows or names anybody.

Runs after the incidents and testimonies loaders; with no incidents it adds nothing.
"""

from __future__ import annotations

import io
import random

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw

from madad.accounts.roles import Role
from madad.core.demo import DemoContext
from madad.evidence.models import EvidenceFile
from madad.evidence.services import (
    evidence_export_copy,
    evidence_open_for_download,
    evidence_upload,
)
from madad.incidents.models import Incident
from madad.testimonies.models import Testimony

DEMO_PHOTOS = 6
DEMO_NOTES = 4
GPS_IFD, MAKE, MODEL = 0x8825, 0x010F, 0x0110

_NOTES = [
    "Demo note (fictitious). Shop shutter damaged; two bullet marks at knee height. "
    "Photographed the morning after.",
    "Demo note (fictitious). The family kept the handwritten demand note; a copy was made "
    "and the original returned to them.",
    "Demo note (fictitious). Hospital confirmed admission the same evening; the record number "
    "is kept with the case file, not here.",
    "Demo note (fictitious). Neighbours said the street light had been out for a week.",
]


def _dms(value: float) -> tuple[float, float, float]:
    degrees = int(value)
    minutes_float = (value - degrees) * 60
    minutes = int(minutes_float)
    return float(degrees), float(minutes), round((minutes_float - minutes) * 60, 2)


def demo_photo(rng: random.Random, n: int, latitude: float, longitude: float) -> bytes:
    """A small picture of nothing in particular, with a fake camera and GPS in its EXIF."""
    image = Image.new("RGB", (320, 200), (rng.randint(90, 160),) * 3)
    draw = ImageDraw.Draw(image)
    for _shape in range(6):
        x, y = rng.randint(0, 280), rng.randint(0, 160)
        draw.rectangle(
            (x, y, x + rng.randint(20, 60), y + rng.randint(10, 40)),
            fill=(rng.randint(0, 255), rng.randint(0, 255), rng.randint(0, 255)),
        )
    draw.text((10, 10), f"MADAD DEMO PHOTO {n} - FICTITIOUS", fill=(255, 255, 255))
    exif = Image.Exif()
    exif[MAKE] = "DemoCam"
    exif[MODEL] = "Fictitious 1"
    exif[GPS_IFD] = {
        1: "N" if latitude >= 0 else "S",
        2: _dms(abs(latitude)),
        3: "E" if longitude >= 0 else "W",
        4: _dms(abs(longitude)),
    }
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes(), quality=85)
    return out.getvalue()


def load(context: DemoContext) -> None:
    if EvidenceFile.objects.filter(organisation=context.relief).exists():
        return
    incidents = list(
        Incident.objects.filter(organisation=context.relief)
        .select_related("place")
        .order_by("id")[:200]
    )
    if not incidents:
        context.report.append("no evidence files (no incidents yet)")
        return
    rng = context.rng
    documenter = context.users[Role.DOCUMENTER]
    coordinator = context.users[Role.COORDINATOR]
    chosen = rng.sample(incidents, min(len(incidents), DEMO_PHOTOS + DEMO_NOTES))
    stored: list[EvidenceFile] = []
    for n, incident in enumerate(chosen):
        testimony = Testimony.objects.filter(incident=incident).order_by("id").first()
        if n < DEMO_PHOTOS:
            content = demo_photo(
                rng,
                n + 1,
                float(incident.latitude or incident.place.latitude),
                float(incident.longitude or incident.place.longitude),
            )
            upload = ContentFile(content, name=f"IMG_{20120000 + n:08d}_demo.jpg")
        else:
            upload = ContentFile(
                _NOTES[(n - DEMO_PHOTOS) % len(_NOTES)].encode(), name=f"field-note-{n}-demo.txt"
            )
        stored.append(
            evidence_upload(
                incident=incident,
                uploaded_by=documenter,
                file=upload,
                testimony=testimony if rng.random() < 0.5 else None,
                description="Demo file (fictitious).",
            )
        )
    # a little custody history to look at
    evidence_open_for_download(evidence=stored[0], user=coordinator).file.close()
    evidence_export_copy(evidence=stored[0], user=coordinator).file.close()
    context.report.append(f"{len(stored)} evidence files")
