"""At a phone's width (360 px) no staff page is wider than the screen, in English or in Urdu:
the header wraps (Sign out stays on the screen) and every table scrolls inside its own box.
Checked in Debian's Chromium over the demo data, loaded at a small scale."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
from allauth.mfa.models import Authenticator

from madad.accounts.demo import demo_email, load_users
from madad.accounts.models import User
from madad.accounts.roles import Role
from madad.core.demo import DemoContext
from madad.demo import load_all
from madad.incidents.demo import TYPES as DEMO_TYPES
from tests.conftest import ARTIFACTS
from tests.factories import PASSWORD, enrol_totp
from tests.public.factories import incident_type, karachi

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

PHONE = 360
PAGES: dict[str, list[str]] = {
    Role.COORDINATOR: [
        "/",
        "/cases/",
        "/cases/my-day/",
        "/incidents/",
        "/people/",
        "/households/",
        "/referrals/",
        "/claims/",
        "/places/",
        "/assistance/approvals/",
    ],
    Role.ADMINISTRATOR: ["/users/", "/audit/", "/backups/"],
    Role.FINANCE: ["/fund/"],
}


@pytest.fixture
def demo(db: None) -> dict[str, User]:
    karachi()  # reference data seeded by migrations; a live-server test's flush may take them
    for code in DEMO_TYPES:
        incident_type(code)
    relief, partner = load_users(password=PASSWORD)
    users = {role: User.objects.get(email=demo_email(role)) for role in Role.values}
    load_all(DemoContext(relief=relief, partner=partner, users=users, scale=0.05))
    return users


@pytest.mark.parametrize("role", list(PAGES))
def test_no_staff_page_is_wider_than_a_phone(
    browser_page: Page,
    browser_sign_in: Callable[..., Page],
    demo: dict[str, User],
    role: str,
) -> None:
    user = demo[role]
    Authenticator.objects.filter(user=user).delete()
    page = browser_sign_in(user, enrol_totp(user))
    page.set_viewport_size({"width": PHONE, "height": 800})
    too_wide = []
    for language in ("en", "ur"):
        if language == "ur":  # as a user switches: the header's language button
            page.click("header .language-switch button[value=ur]")
            page.wait_for_function("document.documentElement.lang === 'ur'")
        for path in PAGES[role]:
            response = page.goto(path)
            assert response is not None and response.status == 200, path
            assert page.get_attribute("html", "lang") == language
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE + 1:
                too_wide.append(f"{language} {path}: {width}px")
            sign_out = page.locator("header form[action$='/logout/'] button")
            assert sign_out.is_visible() and sign_out.bounding_box()["x"] >= 0  # type: ignore[index]
        page.screenshot(path=ARTIFACTS / f"phone-{role}-{language}.png", full_page=True)
    assert too_wide == []
