"""A documenter works through the intake inbox in Debian's Chromium: finds it in the menu,
opens a field report, sees its photo and the proposal filled in from it, and records the
incident; then again in Urdu (right to left), and the item's page at a phone's width.
Screenshots: /tmp/inbox-en.png, /tmp/inbox-ur.png, /tmp/inbox-phone.png."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from allauth.mfa.models import Authenticator

from madad.accounts.models import Organisation, User
from madad.core import crypto
from madad.incidents.models import Act
from madad.intake.models import IntakeItem
from tests.intake.inbox_factories import add_file, incident_xml, make_item, png_bytes

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser
SHOTS = Path(tempfile.gettempdir())  # /tmp on the machines this runs on


def _totp_secret(user: User) -> str:
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    return crypto.decrypt(authenticator.data["secret"])


def _record_from_the_item(page: Page, item: IntakeItem) -> None:
    page.click(f"main a[href='/intake/{item.pk}/']")
    page.wait_for_url(f"**/intake/{item.pk}/")
    # the photo as received, shown through the access-checked view
    loaded = page.eval_on_selector("img.intake-preview", "img => img.complete && img.naturalWidth")
    assert loaded == 8
    assert page.input_value("#id_title") == "Shopkeeper threatened for bhatta"
    assert page.input_value("#id_acts-0-given_name") == "Ahmed Raza"


def test_a_documenter_makes_field_reports_incidents_in_english_and_in_urdu(
    browser_sign_in: Callable[..., Page], relief_org: Organisation, documenter: User
) -> None:
    first = make_item(relief_org)
    add_file(first, png_bytes())
    page = browser_sign_in(documenter, _totp_secret(documenter))

    # English: the menu, the inbox, the item, the incident
    page.click("header nav a[href='/intake/']")
    page.wait_for_url("**/intake/")
    assert f"Item {first.pk}" in page.inner_text("main table")
    _record_from_the_item(page, first)
    page.screenshot(path=SHOTS / "inbox-en.png", full_page=True)
    page.click("main form[action$='/incident/'] button[type=submit]")
    page.wait_for_url("**/incidents/*/")
    first.refresh_from_db()
    assert first.status == IntakeItem.Status.ACCEPTED and first.incident is not None
    assert page.url.endswith(f"/incidents/{first.incident.pk}/")
    victim = Act.objects.get(incident=first.incident).victim
    assert victim.given_name == "Ahmed Raza"

    # Urdu, right to left: a report whose victim is named in Urdu script
    second = make_item(
        relief_org,
        payload=incident_xml(
            victims=[{"victim_name": "احمد رضا", "act": "extorted", "sex": "male", "age": "41"}]
        ),
    )
    add_file(second, png_bytes((30, 120, 30)))
    page.goto("/intake/")
    page.click("header .language-switch button[value=ur]")
    page.wait_for_function("document.documentElement.lang === 'ur'")
    assert page.get_attribute("html", "dir") == "rtl"
    page.click(f"main a[href='/intake/{second.pk}/']")
    page.wait_for_url(f"**/intake/{second.pk}/")
    assert page.input_value("#id_acts-0-full_name_ur") == "احمد رضا"
    assert page.input_value("#id_acts-0-given_name") == ""
    page.screenshot(path=SHOTS / "inbox-ur.png", full_page=True)
    page.click("main form[action$='/incident/'] button[type=submit]")
    page.wait_for_url("**/incidents/*/")
    second.refresh_from_db()
    assert second.status == IntakeItem.Status.ACCEPTED and second.incident is not None
    assert Act.objects.get(incident=second.incident).victim.full_name_ur == "احمد رضا"

    # at a phone's width: the submission above the review, nothing wider than the screen
    third = make_item(relief_org)
    add_file(third, png_bytes())
    page.click("header .language-switch button[value=en]")
    page.wait_for_function("document.documentElement.lang === 'en'")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/intake/{third.pk}/")
    width = page.evaluate("document.documentElement.scrollWidth")
    page.screenshot(path=SHOTS / "inbox-phone.png", full_page=True)
    assert width <= 390 + 1, f"the page is {width}px wide on a 390px phone"
