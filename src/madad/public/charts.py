"""Charts drawn on the server as SVG: no script, no web font, readable in Urdu because every
label is HTML text laid out by the browser (right to left on Urdu pages) and only the bars are
drawn. Each chart comes with its numbers as text for screen readers and printing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.formats import date_format

from madad.access.public import PublicCount
from madad.public.selectors.figures import CountRow, Row

MONTH_CHART_WIDTH, MONTH_CHART_HEIGHT = 720, 160
TOP_MARGIN = 24  # room for the label of the highest value


@dataclass(frozen=True)
class BarRow:
    label: str
    key: str
    incidents: int
    victims: int
    incidents_width: float  # per cent of the longest bar of its column
    victims_width: float
    url: str = ""  # the list of these incidents


def bars(rows: list[Row], link: Callable[[str], str] | None = None) -> list[BarRow]:
    """One row of two bars (incidents, victims) per row, each column scaled to its largest."""
    top_n = max((r.incidents for r in rows), default=0) or 1
    top_v = max((r.victims for r in rows), default=0) or 1
    return [
        BarRow(
            label=r.label,
            key=r.key,
            incidents=r.incidents,
            victims=r.victims,
            incidents_width=round(100 * r.incidents / top_n, 2),
            victims_width=round(100 * r.victims / top_v, 2),
            url=link(r.key) if link and r.key else "",
        )
        for r in rows
    ]


@dataclass(frozen=True)
class CountBar:
    label: str
    key: str
    count: PublicCount
    width: float


def count_bars(rows: list[CountRow]) -> list[CountBar]:
    """Bars for suppressed counts: a count not shown has no bar at all (a bar's length would
    give the number away)."""
    top = max((r.count.value or 0 for r in rows), default=0) or 1
    return [
        CountBar(
            label=r.label,
            key=r.key,
            count=r.count,
            width=round(100 * (r.count.value or 0) / top, 2),
        )
        for r in rows
    ]


@dataclass(frozen=True)
class Column:
    x: float
    y: float
    width: float
    height: float
    value: int
    month: dt.date


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class MonthChart:
    columns: list[Column]
    ticks: list[Tick]
    top: int
    rtl: bool = False
    width: int = MONTH_CHART_WIDTH
    height: int = MONTH_CHART_HEIGHT

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {TOP_MARGIN + self.height + 24}"

    @property
    def baseline(self) -> int:
        return TOP_MARGIN + self.height

    @property
    def top_line(self) -> int:
        return TOP_MARGIN


def month_chart(
    series: list[tuple[dt.date, int, int]], *, which: int, rtl: bool
) -> MonthChart | None:
    """Columns for one series (1: incidents, 2: victims) of (month, incidents, victims).
    Right to left on Urdu pages: the earliest month at the right-hand side."""
    if not series:
        return None
    n = len(series)
    values = [item[2] if which == 2 else item[1] for item in series]
    top = max(values) or 1
    step = MONTH_CHART_WIDTH / n
    gap = min(1.0, step * 0.2)
    columns, ticks = [], []
    for i, item in enumerate(series):
        month, value = item[0], values[i]
        slot = (n - 1 - i) if rtl else i
        x = round(slot * step, 2)
        height = round(MONTH_CHART_HEIGHT * value / top, 2)
        columns.append(
            Column(
                x=x,
                y=round(TOP_MARGIN + MONTH_CHART_HEIGHT - height, 2),
                width=round(max(step - gap, 0.5), 2),
                height=height,
                value=value,
                month=month,
            )
        )
        if month.month == 1 or i == 0:
            # kept clear of the edges, where a label would be cut off
            centre = min(max(x + step / 2, 20), MONTH_CHART_WIDTH - 20)
            ticks.append(Tick(x=round(centre, 2), label=date_format(month, "Y")))
    # at most about twelve year labels, so they never run into each other
    if len(ticks) > 12:
        every = -(-len(ticks) // 12)
        ticks = ticks[::every]
    return MonthChart(columns=columns, ticks=ticks, top=top, rtl=rtl)
