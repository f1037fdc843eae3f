"""The public report form in Debian's Chromium, with its real proof of work (report.js): a
report sent in English (crypto.subtle) and in Urdu, right to left (the plain-JavaScript SHA-256,
as on a page served over plain http), its receipt code used to add to it, and the form at a
phone's width. Screenshots go to /tmp/report-en.png, /tmp/report-ur.png, /tmp/report-phone.png.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from pytest_django import Settings
from pytest_django.live_server_helper import LiveServer

from madad.accounts.models import Organisation
from madad.intake.models import IntakeItem
from madad.places.models import Place
from tests.public.factories import karachi

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp")  # noqa: S108 -- fixed names, looked at by hand after a run
NO_SUBTLE = (
    "Object.defineProperty(Crypto.prototype, 'subtle', "
    "{get: function () { return undefined; }, configurable: true});"
)


@pytest.fixture
def receiver(relief_org: Organisation, settings: Settings) -> Organisation:
    settings.MADAD_PUBLIC_REPORT_WORK_BITS = 8
    karachi()  # a live-server test's flush takes the migrations' data away from the next one
    return relief_org


def town() -> Place:
    found = Place.objects.filter(level=Place.Level.TOWN).order_by("code").first()
    assert found is not None, "the Karachi gazetteer ships with the migrations"
    return found


def trap_out_of_sight(page: Page) -> bool:
    """The honeypot lies wholly outside the page, and the page does not scroll to it."""
    return bool(
        page.evaluate(
            """() => {
              const box = document.querySelector('.report-trap').getBoundingClientRect();
              const width = document.documentElement.clientWidth;
              return (box.right <= 0 || box.left >= width)
                && document.documentElement.scrollWidth <= width;
            }"""
        )
    )


def fill_and_send(page: Page, what: str, place: Place) -> str:
    page.fill("textarea[name=what]", what)
    page.fill("input[name=when]", "2024-05-02")
    page.select_option("select[name=place]", str(place.pk))
    page.fill("input[name=where]", "Main road")
    page.check("input[name=types][value=targeted-killing]")
    page.check("input[name=types][value=arson]")
    assert page.input_value("input[name=work]") == ""
    page.click("form.report-form button[type=submit]")
    page.wait_for_selector("#receipt-code")
    code = page.inner_text("#receipt-code").strip()
    assert len(code) == 19
    return code


def add_to(page: Page, code: str, what: str) -> None:
    page.click(".receipt ~ p a.button")  # "Add information to your report"
    page.wait_for_url("**/public/report/add/")
    page.fill("input[name=receipt]", code)
    page.fill("textarea[name=what]", what)
    page.click("form.report-form button[type=submit]")
    page.wait_for_selector("h1:has-text('added'), html[lang=ur] main h1")
    assert page.locator(".form-errors").count() == 0


def test_a_report_in_english_with_its_receipt(browser_page: Page, receiver: Organisation) -> None:
    page = browser_page
    page.goto("/public/")
    page.click("nav a[href='/public/report/']")
    page.wait_for_url("**/public/report/")
    assert page.evaluate("!!(window.crypto && window.crypto.subtle)")  # localhost is secure
    # the script's own SHA-256 agrees with Python's
    for text in ("", "abc", "x" * 200):
        ours = page.evaluate("t => window.madadReport.sha256Hex(t)", text)
        assert ours == hashlib.sha256(text.encode()).hexdigest()
    assert trap_out_of_sight(page)
    page.fill("textarea[name=what]", "Two men on a motorbike fired at a tailor's shop.")
    page.screenshot(path=SHOTS / "report-en.png", full_page=True)
    place = town()
    code = fill_and_send(page, "Two men on a motorbike fired at a tailor's shop.", place)
    item = IntakeItem.objects.get()
    assert json.loads(item.payload)["place"] == place.code
    assert json.loads(item.payload)["types"] == ["arson", "targeted-killing"]
    page.screenshot(path=SHOTS / "report-en-receipt.png", full_page=True)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.click("button[data-copy]")
    page.wait_for_selector("[data-copy-status]:has-text('Copied.')")
    assert page.evaluate("navigator.clipboard.readText()") == code
    add_to(page, code, "The shop was burnt the next day.")
    assert IntakeItem.objects.get(follows=item).source == IntakeItem.Source.PUBLIC


def test_a_report_in_urdu_with_plain_javascript_work(
    browser_page: Page, receiver: Organisation
) -> None:
    page = browser_page
    page.add_init_script(NO_SUBTLE)  # as on plain http, where browsers have no crypto.subtle
    page.goto("/public/report/")
    page.click("header .language-switch a[lang=ur]")
    page.wait_for_function("document.documentElement.lang === 'ur'")
    assert page.get_attribute("html", "dir") == "rtl"
    assert page.evaluate("window.crypto.subtle === undefined")
    assert trap_out_of_sight(page)
    place = town()
    assert place.name_ur and place.name_ur in page.inner_text("select[name=place]")
    page.fill("textarea[name=what]", "دکان پر فائرنگ ہوئی")
    page.screenshot(path=SHOTS / "report-ur.png", full_page=True)
    code = fill_and_send(page, "دکان پر فائرنگ ہوئی", place)
    assert json.loads(IntakeItem.objects.get().payload)["what"] == "دکان پر فائرنگ ہوئی"
    add_to(page, code, "اگلے دن دکان جلا دی گئی")
    assert IntakeItem.objects.filter(follows__isnull=False).count() == 1


@pytest.fixture
def phone(chromium: Browser, live_server: LiveServer) -> Iterator[Page]:
    context = chromium.new_context(
        base_url=live_server.url, locale="en-GB", viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_the_form_fits_a_phone(phone: Page, receiver: Organisation) -> None:
    phone.goto("/public/report/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.screenshot(path=SHOTS / "report-phone.png", full_page=True)
    fill_and_send(phone, "Shots fired at night.", town())
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.screenshot(path=SHOTS / "report-phone-receipt.png", full_page=True)
