"""CSV (and HXL-tagged CSV) that is safe to open in a spreadsheet: the one writer of every CSV
file Madad hands out, staff exports, public open data and command-line files alike.

A cell starting with "=", "+", "-", "@", a tab or a carriage return is a formula to a
spreadsheet: an exported name, note or public summary typed as ``=HYPERLINK(...)`` would run on
the reader's machine. Such text is written with a leading apostrophe, which spreadsheets show as
text; numbers stay numbers, and HXL hashtag rows (``#event+id``) are unaffected.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any, Protocol

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class _Writable(Protocol):
    def write(self, value: str, /) -> Any: ...


def safe_cell(value: Any) -> str:
    """The value as text a spreadsheet shows as text; numbers stay numbers."""
    if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
        return str(value)
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def safe_row(row: Iterable[Any]) -> list[str]:
    return [safe_cell(cell) for cell in row]


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    """Each row as one CSV line, every cell made safe; for StreamingHttpResponse."""
    writer = csv.writer(_Echo())
    for row in rows:
        yield writer.writerow(safe_row(row))


def csv_write(out: _Writable, rows: Iterable[Iterable[Any]]) -> None:
    """Writes the rows as CSV to a file or an HttpResponse, every cell made safe."""
    writer = csv.writer(out)
    for row in rows:
        writer.writerow(safe_row(row))
