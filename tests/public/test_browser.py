# ruff: noqa: RUF001 -- Urdu text ends its sentences with the Urdu full stop
"""The public site in Debian's Chromium: the dashboard with its figures, the map's clustered
markers, Urdu right to left, and a fact sheet's live figure. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

from madad.accounts.models import User
from madad.accounts.roles import Role
from madad.places.models import Place
from madad.public import services
from madad.public.selectors import PublicFilters, public_incidents
from tests.conftest import ARTIFACTS
from tests.public.factories import incident, karachi

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

TYPES = ["targeted-killing", "extortion-demand", "kidnapping-for-ransom", "arson"]


@pytest.fixture
def karachi_incidents(make_user: Callable[..., User]) -> User:
    """Forty verified incidents over the shipped gazetteer's neighbourhoods."""
    documenter = make_user(Role.DOCUMENTER)
    karachi()  # a live-server test's flush takes the migrations' data away from the next one
    neighbourhoods = list(Place.objects.filter(level="neighbourhood").order_by("code"))[::7]
    assert neighbourhoods, "the Karachi gazetteer ships with the migrations"
    sexes = itertools.cycle(["male", "male", "female"])
    for n in range(40):
        incident(
            documenter,
            neighbourhoods[n % len(neighbourhoods)],
            types=(TYPES[n % len(TYPES)],),
            start_date=dt.date(2010 + n % 4, 1 + n % 12, 1 + n % 27),
            victims=[("killed" if n % 3 else "injured", {"sex": next(sexes), "age": 15 + n})],
            public_summary=f"A shopkeeper was attacked (test incident {n}).",
        )
    return documenter


def test_the_dashboard_loads_with_its_figures(browser_page: Page, karachi_incidents: User) -> None:
    page = browser_page
    page.goto("/")
    page.wait_for_url("**/public/")
    assert page.inner_text("[data-figure=incidents]") == "40"
    assert page.inner_text("[data-figure=victims]") == "40"
    assert page.locator(".month-chart svg rect").count() > 10
    assert page.get_attribute("#chart-incidents-month-title", "id")  # charts are labelled
    page.screenshot(path=ARTIFACTS / "public-dashboard-en.png", full_page=True)


def test_the_map_shows_clustered_markers(browser_page: Page, karachi_incidents: User) -> None:
    page = browser_page
    page.goto("/public/map/")
    page.wait_for_selector("#incident-map[data-ready=true] .cluster-marker")
    districts = page.locator(".cluster-marker.cluster-district")
    counts = [int(t) for t in districts.all_inner_texts()]
    places = Place.objects.filter(incidents__isnull=False).distinct().count()
    assert sum(counts) == 40 and 1 < len(counts) < places  # clustered: fewer markers than places
    page.screenshot(path=ARTIFACTS / "public-map-en.png", full_page=True)
    # a cluster opens up into towns, a town into neighbourhoods
    page.locator(".cluster-marker.cluster-district").first.click()
    page.wait_for_selector(".cluster-marker.cluster-town")
    page.locator(".cluster-marker.cluster-town").first.click()
    page.wait_for_selector(".cluster-marker.cluster-place")
    page.locator(".cluster-marker.cluster-place").first.click()
    page.wait_for_selector(".leaflet-popup-content a[href*='/public/incidents/?place=']")
    page.wait_for_timeout(400)  # the popup fades in
    page.locator("#incident-map").screenshot(path=ARTIFACTS / "public-map-zoomed-en.png")


def test_switching_to_urdu_renders_right_to_left(
    browser_page: Page, karachi_incidents: User
) -> None:
    page = browser_page
    page.goto("/public/")
    page.click("header .language-switch a[lang=ur]")
    page.wait_for_function("document.documentElement.lang === 'ur'")
    assert page.get_attribute("html", "dir") == "rtl"
    # right to left: the first column of a table is on the right-hand side
    first = page.locator(".chart-table thead th").first.bounding_box()
    last = page.locator(".chart-table thead th").nth(2).bounding_box()
    assert first is not None and last is not None
    assert first["x"] > last["x"]
    # the bars grow from the right too
    bar = page.locator(".chart-table svg.bar").first.bounding_box()
    assert bar is not None
    assert bar["x"] < first["x"]
    page.screenshot(path=ARTIFACTS / "public-dashboard-ur.png", full_page=True)
    page.goto("/public/map/")
    page.wait_for_selector("#incident-map[data-ready=true] .cluster-marker")
    assert page.get_attribute("html", "dir") == "rtl"
    page.screenshot(path=ARTIFACTS / "public-map-ur.png", full_page=True)
    page.goto("/public/incidents/")
    page.screenshot(path=ARTIFACTS / "public-incidents-ur.png", full_page=True)


def test_a_fact_sheet_shows_its_live_figure(
    browser_page: Page, karachi_incidents: User, make_user: Callable[..., User]
) -> None:
    writer, approver = karachi_incidents, make_user(Role.VERIFIER)
    sheet = services.factsheet_write(
        by=writer,
        organisation=writer.organisation,
        values={
            "title_en": "Targeted killings",
            "title_ur": "ٹارگٹ کلنگ",
            "summary_en": "How many were verified.",
            "summary_ur": "کتنے واقعات کی تصدیق ہوئی۔",
            "body_en": "Madad verified {{count:incidents type=targeted-killing}} targeted "
            "killings.\n\n## By year\n- 2012: {{count:incidents type=targeted-killing "
            "year=2012}}",
            "body_ur": "مدد نے {{count:incidents type=targeted-killing}} ٹارگٹ کلنگ کی تصدیق "
            "کی۔\n\n## سال بہ سال\n- 2012: {{count:incidents type=targeted-killing "
            "year=2012}}",
        },
    )
    services.factsheet_submit(factsheet=sheet, by=writer)
    services.factsheet_approve(factsheet=sheet, approver=approver)
    expected = public_incidents(filters=PublicFilters(types=("targeted-killing",))).count()
    page = browser_page
    page.goto(f"/public/factsheets/{sheet.slug}/")
    figure = page.locator("a.figure").first
    assert figure.inner_text() == str(expected) == "10"
    page.screenshot(path=ARTIFACTS / "public-factsheet-en.png", full_page=True)
    figure.click()
    page.wait_for_url("**/public/incidents/?type=targeted-killing")
    assert f"{expected} verified incidents" in page.inner_text("main")
    page.goto(f"/public/factsheets/{sheet.slug}/")
    page.click("header .language-switch a[lang=ur]")
    page.wait_for_function("document.documentElement.dir === 'rtl'")
    assert page.locator("a.figure").first.inner_text() == str(expected)
    page.screenshot(path=ARTIFACTS / "public-factsheet-ur.png", full_page=True)
