"""CSV that is safe to open in a spreadsheet, streamed row by row."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

# A cell starting with one of these is a formula to a spreadsheet: an exported name or note
# typed as "=HYPERLINK(...)" would run on the reader's machine.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> str:
    """The value as text a spreadsheet shows as text; numbers stay numbers."""
    if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
        return str(value)
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(_FORMULA_START) else text


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    """Each row as one CSV line, every cell made safe; for StreamingHttpResponse."""
    writer = csv.writer(_Echo())
    for row in rows:
        yield writer.writerow([safe_cell(cell) for cell in row])
