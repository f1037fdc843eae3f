"""What each level of each comparison means, in the users' words, and which way it points."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from madad.linkage.matching.compare import NAMES

FIELD_LABELS: dict[str, Promise] = {
    "name": _("Name"),
    "father_name": _("Father's name"),
    "cnic": _("CNIC"),
    "birth": _("Date of birth or age"),
    "sex": _("Sex"),
    "place": _("Place"),
    "phone": _("Phone"),
    "household": _("Household"),
}

_NAME_LEVELS = (
    _("unknown on one side"),
    _("nothing in common"),
    _("partly alike: each has a name the other lacks"),
    _("one is part of the other (a name added or left out)"),
    _("the same names, spelt differently"),
    _("the same"),
)
LEVEL_LABELS: dict[str, tuple[Promise, ...]] = {
    "name": _NAME_LEVELS,
    "father_name": _NAME_LEVELS,
    "cnic": (
        _("unknown on one side"),
        _("different"),
        _("one digit apart, or two swapped"),
        _("the same"),
    ),
    "birth": (
        _("unknown on one side"),
        _("more than 5 years apart"),
        _("3 to 5 years apart"),
        _("1 or 2 years apart"),
        _("the same year"),
        _("the same date"),
    ),
    "sex": (_("unknown on one side"), _("different"), _("the same")),
    "place": (
        _("unknown on one side"),
        _("different districts"),
        _("the same district"),
        _("the same town"),
    ),
    "phone": (_("unknown on one side"), _("different"), _("the same")),
    "household": (_("unknown on one side"), _("different households"), _("the same household")),
}


@dataclass(frozen=True)
class Line:
    field: str
    label: Promise
    level: int
    meaning: Promise
    weight: float

    @property
    def direction(self) -> str:
        """ "for", "against" or "neutral" a match."""
        if self.level == 0 or abs(self.weight) < 0.5:
            return "neutral"
        return "for" if self.weight > 0 else "against"


def evidence_of(levels: list[int], weights: list[float]) -> dict[str, Any]:
    """What a pair stores: the level and weight of each comparison (never a value)."""
    return {
        "levels": {name: int(level) for name, level in zip(NAMES, levels, strict=True)},
        "weights": {
            name: round(float(weight), 2) for name, weight in zip(NAMES, weights, strict=True)
        },
    }


def lines(evidence: dict[str, Any]) -> list[Line]:
    """The stored evidence, one line per compared field, strongest first."""
    found = []
    for name in NAMES:
        level = int(evidence.get("levels", {}).get(name, 0))
        weight = float(evidence.get("weights", {}).get(name, 0.0))
        labels = LEVEL_LABELS[name]
        found.append(
            Line(
                name,
                FIELD_LABELS[name],
                level,
                labels[level] if level < len(labels) else labels[0],
                weight,
            )
        )
    return sorted(found, key=lambda line: -abs(line.weight))
