"""Recording an incident end to end in Debian's Chromium, once in English and once in Urdu:
a victim (added as a new person) and a graded source, then the incident's page."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import TYPE_CHECKING

import pytest

from madad.accounts.models import User
from madad.accounts.roles import Role
from madad.incidents.models import Incident, IncidentType
from tests.conftest import ARTIFACTS
from tests.factories import enrol_totp
from tests.incidents.factories import Gazetteer

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def incident_types(transactional_db: None) -> None:
    """The vocabulary comes from a data migration, which a transactional test's flush removed
    after the test before; seed it again the same way."""
    from django.apps import apps

    migration = import_module("madad.incidents.migrations.0002_incident_types")
    migration.seed(apps, None)


def _record(page: Page, places: Gazetteer, *, title: str, victim: str, language: str) -> None:
    page.click("header nav a[href='/incidents/']")
    page.click("a[href='/incidents/new/']")
    page.fill("input[name=title]", title)
    page.fill("input[name=start_date]", "2012-05-06")
    page.select_option("select[name=place]", str(places.orchard.pk))
    killing = IncidentType.objects.get(code="targeted-killing")
    page.check(f"input[name=types][value='{killing.pk}']")
    page.fill("textarea[name=public_summary]", "A tailor was shot at his shop.")
    page.fill("textarea[name=description]", "He had refused to pay money demanded of him.")
    page.fill("input[name=acts-0-given_name]", victim)
    page.fill("input[name=acts-0-family_name]", "Aslam")
    page.fill("input[name=acts-0-full_name_ur]", "عمران اسلم")
    page.select_option("select[name=acts-0-sex]", "male")
    page.fill("input[name=acts-0-age]", "37")
    page.select_option("select[name=acts-0-act_type]", "injured")
    # a second source row, added with htmx; the first is left empty and ignored
    page.click("button[value=sources]")
    page.wait_for_selector("select[name=sources-1-kind]")
    assert page.input_value("#id_sources-TOTAL_FORMS") == "2"
    page.select_option("select[name=sources-1-kind]", "police_fir")
    page.fill("input[name=sources-1-fir_number]", "112/2012")
    page.select_option("select[name=sources-1-reliability]", "B")
    page.select_option("select[name=sources-1-credibility]", "2")
    page.screenshot(path=ARTIFACTS / f"incident-form-{language}.png", full_page=True)
    page.click("form.incident-form .row-actions button[type=submit]")
    page.wait_for_url("**/incidents/*/")


def _check_detail(page: Page, incident: Incident, victim: str, language: str) -> None:
    assert page.inner_text("h1") == incident.title
    victims = page.inner_text("#acts")
    assert victim in victims and "عمران اسلم" in victims
    assert "B2" in page.inner_text("#sources")
    page.screenshot(path=ARTIFACTS / f"incident-detail-{language}.png", full_page=True)


@pytest.fixture
def signed_in_documenter(
    make_user: Callable[..., User], browser_sign_in: Callable[..., Page]
) -> Page:
    user = make_user(Role.DOCUMENTER, totp=False, full_name="Saima Rafiq")
    return browser_sign_in(user, enrol_totp(user))


def test_a_documenter_records_an_incident_in_english(
    signed_in_documenter: Page, places: Gazetteer
) -> None:
    page = signed_in_documenter
    _record(page, places, title="Tailor shot at his shop", victim="Imran", language="en")
    incident = Incident.objects.get()
    assert incident.sources.get().grading == "B2"
    assert incident.acts.get().victim.given_name == "Imran"
    _check_detail(page, incident, "Imran", "en")
    page.click("header nav a[href='/incidents/']")
    page.fill("input[name=q]", "tailor")
    with page.expect_response(lambda r: r.request.method == "POST" and "/incidents/" in r.url):
        page.click("form.incident-filters button[type=submit]")
    page.wait_for_selector("#incident-rows tbody tr >> text=Tailor shot at his shop")
    assert page.locator("#incident-rows tbody tr").count() == 1
    assert "tailor" not in page.url.casefold()  # the words are posted, never in a URL
    page.screenshot(path=ARTIFACTS / "incident-list-en.png", full_page=True)


def test_a_documenter_records_an_incident_in_urdu(
    signed_in_documenter: Page, places: Gazetteer
) -> None:
    page = signed_in_documenter
    page.click("header .language-switch button[value=ur]")
    page.wait_for_function("document.documentElement.lang === 'ur'")
    assert page.get_attribute("html", "dir") == "rtl"
    _record(page, places, title="درزی کو دکان پر گولی ماری گئی", victim="Imran", language="ur")
    assert page.get_attribute("html", "dir") == "rtl"
    incident = Incident.objects.get()
    assert incident.title == "درزی کو دکان پر گولی ماری گئی"
    assert incident.acts.get().act_type == "injured"
    _check_detail(page, incident, "Imran", "ur")
    # right to left: the first column of the victims' table is at the right-hand side
    header = page.locator("#acts thead th").first.bounding_box()
    last = page.locator("#acts thead th").last.bounding_box()
    assert header is not None and last is not None
    assert header["x"] > last["x"]
