"""The Backups page as an administrator meets it in Debian's Chromium, in English, in Urdu
(right to left) and at a phone's width: the warnings, a backup that has run, and a backup asked
for and queued."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from madad.accounts.models import User
from madad.accounts.roles import Role
from madad.backup import services
from tests.backup.conftest import Instance
from tests.conftest import ARTIFACTS
from tests.factories import enrol_totp

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser


def test_an_administrator_sees_the_backups_and_asks_for_one(
    browser_page: Page,
    browser_sign_in: Callable[..., Page],
    make_user: Callable[..., User],
    instance: Instance,
    identity: Path,
) -> None:
    run = services.create()
    administrator = make_user(Role.ADMINISTRATOR, totp=False)
    page = browser_sign_in(administrator, enrol_totp(administrator))
    page.click("header nav a[href='/backups/']")
    page.get_by_text("No backup has been restored in a drill yet").wait_for()
    assert run.file in page.locator("table").first.inner_text()
    page.screenshot(path=ARTIFACTS / "backups-en.png", full_page=True)

    page.click("main form button:has-text('Back up now')")
    page.wait_for_url("**/backups/")
    assert page.locator("main form button:has-text('A backup is queued')").is_disabled()

    page.click("header .language-switch button[value=ur]")
    page.wait_for_function("document.documentElement.lang === 'ur'")
    assert page.get_attribute("html", "dir") == "rtl"
    page.get_by_text("ابھی تک کسی مشق میں کوئی بیک اپ بحال نہیں کیا گیا").wait_for()
    page.screenshot(path=ARTIFACTS / "backups-ur.png", full_page=True)

    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()
    width = page.evaluate("document.documentElement.scrollWidth")
    page.screenshot(path=ARTIFACTS / "backups-ur-phone.png", full_page=True)
    assert width <= 375 + 1, f"the page is {width}px wide on a 375px phone"
