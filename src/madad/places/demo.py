"""The gazetteer ships as data (places/data/karachi.csv), loaded by a migration on every
install; the demo loads the file again, which adds nothing unless the file changed."""

from __future__ import annotations

from madad.core.demo import DemoContext
from madad.places.gazetteer import KARACHI
from madad.places.services import places_load


def load(context: DemoContext) -> None:
    report = places_load(source=KARACHI, actor_label="madad demo")
    if report.changed:
        context.report.append(f"{report.changed} places")
