"""A family's case end to end in Debian's Chromium: a caseworker registers the household, opens
a case, records the needs, writes the plan and asks for it to be agreed; a coordinator, in
another browser, agrees it; the caseworker starts assisting. (The assistance items that follow
belong to the assistance pages.)"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import pytest
from pytest_django.live_server_helper import LiveServer

from madad.accounts.models import User
from madad.accounts.roles import Role
from madad.cases.models import ApprovalRequest, Case
from madad.households.models import Household
from tests.conftest import ARTIFACTS
from tests.factories import PASSWORD, current_totp_code, enrol_totp

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser


@pytest.fixture
def second_browser(chromium: Browser, live_server: LiveServer) -> Iterator[Page]:
    context = chromium.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def _sign_in(page: Page, user: User, secret: str) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_selector("input[name=code]")
    page.fill("input[name=code]", current_totp_code(secret))
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/" not in url)


def test_a_case_goes_from_a_new_household_to_assisting(
    browser_page: Page, second_browser: Page, make_user: Callable[..., User]
) -> None:
    caseworker = make_user(Role.CASEWORKER, totp=False, full_name="Sana Caseworker")
    coordinator = make_user(Role.COORDINATOR, totp=False, full_name="Hina Coordinator")
    page = browser_page
    _sign_in(page, caseworker, enrol_totp(caseworker))

    page.click("header nav a[href='/households/']")
    page.click("a[href='/households/new/']")
    page.fill("input[name=members-0-given_name]", "Rukhsana")
    page.fill("input[name=members-0-family_name]", "Bibi")
    page.select_option("select[name=members-0-sex]", "female")
    page.select_option("select[name=members-0-relation]", "head")
    page.fill("input[name=members-1-given_name]", "Zainab")
    page.fill("input[name=members-1-age]", "11")
    page.select_option("select[name=members-1-relation]", "daughter")
    page.check("input[name=members-1-dependant]")
    page.select_option("select[name=members-1-schooling]", "out_of_school")
    page.fill("textarea[name=address]", "Flat 4, Block C")
    page.fill("input[name=monthly_income_before]", "25000")
    page.fill("input[name=monthly_income_after]", "0")
    page.click("form .row-actions button[type=submit]")
    page.wait_for_url("**/households/*/")
    household = Household.objects.get()
    assert "Rukhsana Bibi" in page.inner_text("h1")
    assert "Out of school" in page.inner_text("#members")

    page.click(f"a[href='/cases/open/{household.pk}/']")
    page.select_option("select[name=risk]", "high")
    page.click("form .row-actions button[type=submit]")
    page.wait_for_url("**/cases/*/")
    case = Case.objects.get()

    page.click(f"a[href='/cases/{case.pk}/assessments/new/']")
    page.check("input[name=need_financial][value='4']")
    page.check("input[name=need_education][value='3']")
    page.fill("textarea[name=summary]", "No income since the father was killed.")
    page.click("form .row-actions button[type=submit]")
    page.wait_for_url(f"**/cases/{case.pk}/")
    assert "Assessed" in page.inner_text(".page-head")

    page.click(f"a[href='/cases/{case.pk}/edit/']")
    page.fill("textarea[name=plan]", "School fees for Zainab; a cash grant for three months.")
    page.click("form .row-actions button[type=submit]")
    page.wait_for_url(f"**/cases/{case.pk}/")
    page.click("#status details summary")
    page.fill("textarea[name=note]", "Term starts next month.")
    page.click("#status details button[type=submit]")
    page.wait_for_selector("text=waiting for a coordinator")
    page.screenshot(path=ARTIFACTS / "case-waiting.png", full_page=True)

    boss = second_browser
    _sign_in(boss, coordinator, enrol_totp(coordinator))
    boss.click("header nav a[href='/cases/my-day/']")
    assert "Approvals waiting" in boss.inner_text("main")
    approval = ApprovalRequest.objects.get()
    boss.click(f"#approvals-waiting a[href='/cases/{case.pk}/#approval-{approval.pk}']")
    boss.click(f"#approval-{approval.pk} button[value=approve]")
    boss.wait_for_selector("text=Approved.")
    assert "Plan agreed" in boss.inner_text(".page-head")

    page.reload()
    page.click("#status button[value=assisting]")
    page.wait_for_selector("text=The case is now")
    case.refresh_from_db()
    assert case.status == "assisting"
    page.screenshot(path=ARTIFACTS / "case-assisting.png", full_page=True)
