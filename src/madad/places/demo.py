"""The gazetteer ships as data (places/data/karachi.csv); demo mode loads it like production."""

from __future__ import annotations

from madad.core.demo import DemoContext


def load(context: DemoContext) -> None:
    # Filled in by the gazetteer loader (places.services.places_load).
    return None
