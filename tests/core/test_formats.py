"""Dates as Pakistan reads them (madad/formats/): the day before the month in English and in
Urdu, Urdu word order, a 24-hour clock; typed dates are read day first."""

from __future__ import annotations

import datetime

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation

MARCH_4 = datetime.date(2026, 3, 4)
AFTERNOON = datetime.datetime(2026, 3, 4, 13, 5)  # naive: shown as given


def _render(language: str, source: str, **context: object) -> str:
    with translation.override(language):
        return Template(source).render(Context(context))


@pytest.mark.parametrize(
    ("language", "name", "value", "shown"),
    [
        ("en", "DATE_FORMAT", MARCH_4, "4 Mar 2026"),
        ("en", "SHORT_DATE_FORMAT", MARCH_4, "04/03/2026"),
        ("en", "DATETIME_FORMAT", AFTERNOON, "4 Mar 2026, 13:05"),
        ("en", "SHORT_DATETIME_FORMAT", AFTERNOON, "04/03/2026 13:05"),
        ("ur", "DATE_FORMAT", MARCH_4, "4 مارچ 2026"),
        ("ur", "SHORT_DATE_FORMAT", MARCH_4, "04/03/2026"),
        ("ur", "DATETIME_FORMAT", AFTERNOON, "4 مارچ 2026، 13:05"),
        ("ur", "YEAR_MONTH_FORMAT", MARCH_4, "مارچ 2026"),
    ],
)
def test_dates_are_written_day_first(language: str, name: str, value: object, shown: str) -> None:
    assert _render(language, f'{{{{ value|date:"{name}" }}}}', value=value) == shown


def test_an_afternoon_is_never_called_evening_in_urdu() -> None:
    rendered = _render("ur", '{{ value|date:"DATETIME_FORMAT" }}', value=AFTERNOON)
    assert "شام" not in rendered and "13:05" in rendered


class _DateForm(forms.Form):
    day = forms.DateField()


@pytest.mark.parametrize("language", ["en", "ur"])
@pytest.mark.parametrize("typed", ["04/03/2026", "04-03-2026", "2026-03-04"])
def test_a_typed_date_is_read_day_first(language: str, typed: str) -> None:
    with translation.override(language):
        form = _DateForm({"day": typed})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == MARCH_4


def test_a_date_field_shows_its_value_as_a_browser_date_field_wants() -> None:
    widget = forms.DateInput(attrs={"type": "date"})
    with translation.override("ur"):
        assert 'value="2026-03-04"' in widget.render("day", MARCH_4)


@pytest.mark.parametrize("language", ["en", "ur"])
def test_large_figures_are_grouped_in_thousands(language: str) -> None:
    """The public fund's totals: Django has no Urdu formats, and without them Urdu pages
    printed 1141896."""
    source = "{% load humanize %}{{ value|floatformat:0|intcomma }}"
    assert _render(language, source, value=1141896) == "1,141,896"
