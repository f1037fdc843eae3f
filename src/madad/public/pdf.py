"""Fact sheets as PDF, drawn by WeasyPrint from the printable page.

WeasyPrint shapes Urdu through Pango with the machine's Noto fonts (fonts-noto-core). It may
fetch nothing: the stylesheet is handed over as text and every URL is refused, so a text can
never make the server reach out to another address.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.translation import get_language

from madad.public.models import FactSheet
from madad.public.selectors.figures import cached

# WeasyPrint reports every rendering step (even while it is first imported); only errors matter
for _name in ("weasyprint", "weasyprint.progress", "fontTools"):
    logging.getLogger(_name).setLevel(logging.ERROR)


def _stylesheet() -> str:
    found = finders.find("public/print.css")
    return Path(str(found)).read_text(encoding="utf-8") if found else ""


def factsheet_pdf(*, factsheet: FactSheet, context: dict[str, Any]) -> bytes:
    """The fact sheet in the current language, as PDF bytes (kept in the cache a while)."""

    def render() -> bytes:
        from weasyprint import CSS, HTML
        from weasyprint.urls import URLFetcher

        html = render_to_string("public/factsheet_print.html", {**context, "for_pdf": True})
        fetcher = URLFetcher(allowed_protocols=["data"])
        document = HTML(string=html, base_url="about:blank", url_fetcher=fetcher)
        return bytes(
            document.write_pdf(stylesheets=[CSS(string=_stylesheet(), url_fetcher=fetcher)])
        )

    return cached(
        "pdf",
        f"{factsheet.pk}|{factsheet.version}|{factsheet.approved_at}|{get_language()}",
        render,
    )
