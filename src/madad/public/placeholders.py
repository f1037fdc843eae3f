"""Live figures in fact sheets, and the little formatting a fact sheet's text may have.

A figure is written where it should appear, in either language:

    {{count:incidents type=targeted-killing year=2012}}
    {{count:victims act=killed district=khi.central from=2012-01-01 to=2012-06-30}}
    {{count:victims sex=female}}

`incidents` counts public incidents, `victims` the people harmed in them (each once per
incident). Filters: type (incident type codes, comma-separated), year, from, to (dates),
district, town, place (gazetteer codes), act (what happened: killed, injured, ...), and for
victims only sex and age (age groups: 0-17, 18-29, 30-44, 45-59, 60+, unknown). A count of
victims narrowed by sex or age below the threshold shows as "fewer than 5".

Each figure is computed from the public selector when the page is shown, and links to the list
of the verified incidents behind it. The text itself is plain: blank lines separate
paragraphs, a line starting "## " is a heading and lines starting "- " make a list. Nothing
else in it is markup: everything is escaped.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from madad.access.public import PublicCount
from madad.incidents.models import Act, IncidentType
from madad.people.models import Sex
from madad.places.models import Place
from madad.public.selectors import PublicFilters, public_incidents
from madad.public.selectors.figures import AGE_GROUP_CODES, count_incidents, count_victims
from madad.public.selectors.places import Gazetteer

PLACEHOLDER = re.compile(r"\{\{\s*count:(?P<metric>[a-z_]*)(?P<args>[^{}]*)\}\}")
METRICS = ("incidents", "victims")
_KEYS = ("type", "year", "from", "to", "district", "town", "place", "act", "sex", "age")
_VICTIM_ONLY = ("sex", "age")


@dataclass(frozen=True)
class Figure:
    metric: str
    filters: PublicFilters
    sex: str = ""
    age_group: str = ""


class PlaceholderError(ValueError):
    pass


def parse(metric: str, args: str) -> Figure:
    """One placeholder as a Figure; PlaceholderError with a message a writer understands."""
    if metric not in METRICS:
        raise PlaceholderError(
            _("unknown figure “%(metric)s” (use count:incidents or count:victims)")
            % {"metric": metric}
        )
    found: dict[str, str] = {}
    for part in args.split():
        key, sep, value = part.partition("=")
        if not sep or key not in _KEYS or not value:
            raise PlaceholderError(
                _("“%(part)s” is not a filter (use key=value with one of: %(keys)s)")
                % {"part": part, "keys": ", ".join(_KEYS)}
            )
        if key in found:
            raise PlaceholderError(_("“%(key)s” is given twice") % {"key": key})
        found[key] = value
    if metric == "incidents" and any(k in found for k in _VICTIM_ONLY):
        raise PlaceholderError(_("sex and age only narrow a count of victims"))
    return Figure(
        metric=metric,
        filters=_filters(found),
        sex=_sex(found.get("sex", "")),
        age_group=_age(found.get("age", "")),
    )


def _filters(found: dict[str, str]) -> PublicFilters:
    types = tuple(t for t in found.get("type", "").split(",") if t)
    known_types = set(IncidentType.objects.filter(code__in=types).values_list("code", flat=True))
    if set(types) - known_types:
        raise PlaceholderError(
            _("unknown incident type “%(code)s”")
            % {"code": ", ".join(sorted(set(types) - known_types))}
        )
    year = None
    if "year" in found:
        if not re.fullmatch(r"(19|20)\d\d", found["year"]):
            raise PlaceholderError(_("year must be four digits, e.g. 2012"))
        year = int(found["year"])
    dates: dict[str, dt.date | None] = {}
    for key in ("from", "to"):
        dates[key] = None
        if key in found:
            try:
                dates[key] = dt.date.fromisoformat(found[key])
            except ValueError:
                raise PlaceholderError(
                    _("“%(key)s” must be a date like 2012-03-31") % {"key": key}
                ) from None
    places = {}
    for level in ("district", "town", "place"):
        code = found.get(level, "")
        if code:
            lookup = {"code": code} if level == "place" else {"code": code, "level": level}
            if not Place.objects.filter(**lookup).exists():
                raise PlaceholderError(
                    _("unknown %(level)s “%(code)s”") % {"level": level, "code": code}
                )
        places[level] = code
    act = found.get("act", "")
    if act and act not in Act.Type.values:
        raise PlaceholderError(
            _("unknown act “%(act)s” (one of: %(acts)s)")
            % {"act": act, "acts": ", ".join(Act.Type.values)}
        )
    return PublicFilters(
        date_from=dates["from"],
        date_to=dates["to"],
        year=year,
        types=types,
        district=places["district"],
        town=places["town"],
        place=places["place"],
        act=act,
    )


def _sex(value: str) -> str:
    if value and value not in Sex.values:
        raise PlaceholderError(_("sex is one of: %(values)s") % {"values": ", ".join(Sex.values)})
    return value


def _age(value: str) -> str:
    if value and value not in AGE_GROUP_CODES:
        raise PlaceholderError(
            _("age is one of: %(values)s") % {"values": ", ".join(AGE_GROUP_CODES)}
        )
    return value


def check_placeholders(text: str) -> list[str]:
    """The problems with the figures in `text`, one message each (empty: all fine)."""
    problems = []
    for match in PLACEHOLDER.finditer(text or ""):
        try:
            parse(match["metric"], match["args"])
        except PlaceholderError as error:
            problems.append(f"{match[0]}: {error}")
    if (text or "").count("{{") != len(PLACEHOLDER.findall(text or "")):
        problems.append(_("a figure is not closed: write it as {{count:incidents ...}}"))
    return problems


def figure_value(figure: Figure, gazetteer: Gazetteer | None = None) -> PublicCount:
    selector = public_incidents(filters=figure.filters, gazetteer=gazetteer)
    if figure.metric == "incidents":
        return PublicCount(value=count_incidents(selector))
    return count_victims(selector, sex=figure.sex, age_group=figure.age_group)


def _figure_html(match: re.Match[str], gazetteer: Gazetteer) -> str:
    try:
        figure = parse(match["metric"], match["args"])
    except PlaceholderError:
        # a type or place removed since the text was approved: say so rather than guess
        return format_html(
            '<span class="figure figure-missing">{}</span>', _("(figure not available)")
        )
    value = figure_value(figure, gazetteer)
    url = reverse("public:incidents") + "?" + urlencode(figure.filters.as_query(), doseq=True)
    return format_html(
        '<a class="figure" href="{}" data-figure="{}">{}</a>',
        url,
        match[0].strip("{} "),
        str(value),
    )


def _inline(line: str, gazetteer: Gazetteer) -> str:
    out: list[str] = []
    last = 0
    for match in PLACEHOLDER.finditer(line):
        out.append(escape(line[last : match.start()]))
        out.append(_figure_html(match, gazetteer))
        last = match.end()
    out.append(escape(line[last:]))
    return "".join(out)


def render_text(text: str, *, gazetteer: Gazetteer | None = None) -> SafeString:
    """The text as HTML: paragraphs, "## " headings, "- " lists and live figures."""
    gazetteer = gazetteer or Gazetteer.load()
    html: list[str] = []
    for block in re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n").strip()):
        kind, lines = "", list[str]()  # the run of lines being gathered: "p" or "ul"
        for line in [ln.strip() for ln in block.split("\n") if ln.strip()] + ["## "]:
            wanted = "h2" if line.startswith("## ") else "ul" if line.startswith("- ") else "p"
            if lines and wanted != kind:
                if kind == "ul":
                    html.append(
                        "<ul>"
                        + "".join(f"<li>{_inline(ln[2:], gazetteer)}</li>" for ln in lines)
                        + "</ul>"
                    )
                else:
                    html.append(
                        "<p>" + "<br>".join(_inline(ln, gazetteer) for ln in lines) + "</p>"
                    )
                lines = []
            if wanted == "h2":
                if line[3:].strip():
                    html.append(f"<h2>{_inline(line[3:].strip(), gazetteer)}</h2>")
            else:
                kind = wanted
                lines.append(line)
    return mark_safe("\n".join(html))  # noqa: S308 - every piece above is escaped


def figures_of(text: str) -> list[dict[str, Any]]:
    """Each figure in the text with its current value (for the staff preview)."""
    gazetteer = Gazetteer.load()
    found = []
    for match in PLACEHOLDER.finditer(text or ""):
        try:
            value: Any = figure_value(parse(match["metric"], match["args"]), gazetteer)
        except PlaceholderError as error:
            value = str(error)
        found.append({"placeholder": match[0], "value": str(value)})
    return found
