"""Signing in with Debian's Chromium: password, two-factor code, then Urdu, right to left."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
from pytest_django import Settings
from pytest_django.live_server_helper import LiveServer

from madad.accounts.models import User
from madad.accounts.roles import Role
from tests.conftest import ARTIFACTS
from tests.factories import enrol_totp

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser


def _switch_to_urdu(page: Page) -> None:
    page.click("header .language-switch button[value=ur]")
    page.wait_for_function("document.documentElement.lang === 'ur'")


def test_a_user_signs_in_with_a_code_and_reads_madad_in_urdu(
    browser_sign_in: Callable[..., Page], make_user: Callable[..., User], live_server: LiveServer
) -> None:
    user = make_user(Role.DOCUMENTER, totp=False, full_name="Farah Siddiqui")
    page = browser_sign_in(user, enrol_totp(user))

    assert page.url == f"{live_server.url}/"
    assert page.inner_text("h1") == "Welcome, Farah Siddiqui"
    page.screenshot(path=ARTIFACTS / "signin-en.png", full_page=True)

    _switch_to_urdu(page)
    assert page.get_attribute("html", "lang") == "ur"
    assert page.get_attribute("html", "dir") == "rtl"
    assert page.url == f"{live_server.url}/"
    # right to left: the brand sits at the right-hand edge, the tools at the left
    brand = page.locator(".site-header .brand").bounding_box()
    tools = page.locator(".site-header .header-tools").bounding_box()
    assert brand is not None and tools is not None
    assert brand["x"] > tools["x"]
    page.screenshot(path=ARTIFACTS / "signin-ur.png", full_page=True)


def test_the_sign_in_and_code_pages_read_right_to_left_in_urdu(
    browser_page: Page, make_user: Callable[..., User]
) -> None:
    from tests.factories import PASSWORD

    user = make_user(Role.DOCUMENTER, totp=False)
    enrol_totp(user)
    page = browser_page
    page.goto("/accounts/login/")
    _switch_to_urdu(page)
    assert page.get_attribute("html", "dir") == "rtl"
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", "not the password")
    page.click("main form button[type=submit]")
    page.wait_for_selector(".form-errors")
    label = page.locator("label[for=id_login]").bounding_box()
    field = page.locator("#id_login").bounding_box()
    assert label is not None and field is not None
    assert label["x"] + label["width"] == pytest.approx(field["x"] + field["width"], abs=2)
    page.screenshot(path=ARTIFACTS / "signin-form-ur.png", full_page=True)

    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_selector("input[name=code]")
    assert page.get_attribute("html", "dir") == "rtl"
    page.screenshot(path=ARTIFACTS / "signin-code-ur.png", full_page=True)


def test_the_qr_code_shows_under_the_content_security_policy(
    browser_page: Page, make_user: Callable[..., User], settings: Settings
) -> None:
    from tests.factories import PASSWORD

    settings.REQUIRE_MFA = True
    user = make_user(Role.CASEWORKER, totp=False)
    page = browser_page
    blocked: list[str] = []
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.goto("/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/accounts/2fa/totp/activate/")
    width = page.eval_on_selector(".totp-qr img", "img => img.complete && img.naturalWidth")
    assert width > 0
    assert blocked == []
    page.screenshot(path=ARTIFACTS / "totp-enrol-en.png", full_page=True)
