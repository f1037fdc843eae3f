"""Who may see cases records, and which of their fields."""

from __future__ import annotations

from madad.core.access.base import Rules

RULES: dict[str, Rules] = {}
