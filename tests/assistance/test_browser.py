"""From an open case to its first approved assistance, in Debian's Chromium: the caseworker
opens the case, records the needs, writes the plan and asks for it to be agreed; a coordinator,
in another browser, agrees it; the caseworker requests assistance on the case page; the
coordinator approves it there. Screenshots go to test-artifacts/."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import pytest
from pytest_django.live_server_helper import LiveServer

from madad.accounts.models import Organisation, User
from madad.accounts.roles import Role
from madad.assistance.models import Assistance
from madad.cases.models import ApprovalRequest, Case
from tests.assistance.factories import make_household, set_limit
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


def _sign_in(page: Page, user: User) -> None:
    secret = enrol_totp(user)
    page.goto("/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_selector("input[name=code]")
    page.fill("input[name=code]", current_totp_code(secret))
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/" not in url)


def test_a_case_goes_from_open_to_its_first_approved_assistance(
    browser_page: Page,
    second_browser: Page,
    make_user: Callable[..., User],
    relief_org: Organisation,
) -> None:
    caseworker = make_user(Role.CASEWORKER, totp=False, full_name="Sana Caseworker")
    coordinator = make_user(Role.COORDINATOR, totp=False, full_name="Hina Coordinator")
    set_limit(relief_org, "school_fees", "30000")
    household = make_household(relief_org, caseworker)
    page, boss = browser_page, second_browser
    _sign_in(page, caseworker)

    # the caseworker opens the case, assesses the needs, writes the plan, asks for agreement
    page.goto(f"/cases/open/{household.pk}/")
    page.select_option("select[name=risk]", "high")
    page.click("form .row-actions button[type=submit]")
    page.wait_for_url("**/cases/*/")
    case = Case.objects.get()
    assert case.status == "open"
    # before the plan is agreed, the assistance panel says when help can be requested
    assert "once the case's plan is agreed" in page.inner_text("#assistance")
    page.click(f"a[href='/cases/{case.pk}/assessments/new/']")
    page.check("input[name=need_financial][value='4']")
    page.check("input[name=need_education][value='3']")
    page.click("form .row-actions button[type=submit]")
    page.wait_for_url(f"**/cases/{case.pk}/")
    page.click(f"a[href='/cases/{case.pk}/edit/']")
    page.fill("textarea[name=plan]", "School fees for the two girls for this year.")
    page.click("form .row-actions button[type=submit]")
    page.wait_for_url(f"**/cases/{case.pk}/")
    page.click("#status details summary")
    page.click("#status details button[type=submit]")
    page.wait_for_selector("text=waiting for a coordinator")

    # the coordinator agrees the plan
    _sign_in(boss, coordinator)
    approval = ApprovalRequest.objects.get()
    boss.goto(f"/cases/{case.pk}/")
    boss.click(f"#approval-{approval.pk} button[value=approve]")
    boss.wait_for_selector("text=Approved.")
    assert "Plan agreed" in boss.inner_text(".page-head")

    # the caseworker requests assistance on the case page
    page.reload()
    panel = page.locator("#assistance")
    panel.locator("summary").click()
    panel.locator("select[name=kind]").select_option("school_fees")
    panel.locator("input[name=amount]").fill("24,000")
    panel.locator("textarea[name=purpose]").fill("Fees for the spring term, two children.")
    page.screenshot(path=ARTIFACTS / "assistance-request-form.png", full_page=True)
    panel.locator("button[type=submit]").click()
    page.wait_for_selector("text=Somebody else must approve it.")
    item = Assistance.objects.get()
    assert (item.status, str(item.amount), item.requested_by) == (
        "requested",
        "24000.00",
        caseworker,
    )
    panel = page.locator("#assistance")
    assert "Rs 24,000.00" in panel.inner_text()
    assert "somebody else must approve it" in panel.inner_text()
    assert panel.locator(f"button:has-text('Approve {item.pk}')").count() == 0
    panel.screenshot(path=ARTIFACTS / "assistance-requested-panel.png")

    # the coordinator finds it among the approvals and approves it on the case page
    boss.click("header nav a[href='/assistance/approvals/']")
    assert "Rs 24,000.00" in boss.inner_text("main")
    boss.screenshot(path=ARTIFACTS / "assistance-approvals.png", full_page=True)
    boss.goto(f"/cases/{case.pk}/#assistance")
    boss.locator("#assistance").locator(f"button:has-text('Approve {item.pk}')").click()
    boss.wait_for_selector(f"text=Assistance {item.pk} was approved.")
    item.refresh_from_db()
    assert (item.status, item.approved_by) == ("approved", coordinator)
    assert "Approved" in boss.locator("#assistance").inner_text()
    boss.screenshot(path=ARTIFACTS / "assistance-approved-case.png", full_page=True)
    boss.click("header .language-switch button[value=ur]")
    boss.wait_for_function("document.documentElement.lang === 'ur'")
    assert boss.get_attribute("html", "dir") == "rtl"
    boss.locator("#assistance").screenshot(path=ARTIFACTS / "assistance-approved-panel-ur.png")

    page.goto(f"/assistance/{item.pk}/")
    assert "Hina Coordinator" in page.inner_text("main")
    page.screenshot(path=ARTIFACTS / "assistance-detail.png", full_page=True)


def test_a_partner_reads_its_referral_and_a_caseworker_a_claim(
    browser_page: Page,
    second_browser: Page,
    make_user: Callable[..., User],
    relief_org: Organisation,
    partner_org: Organisation,
) -> None:
    """Screenshots of the partner's narrow view of a referral and of a claim's page."""
    import datetime as dt

    from django.utils import timezone

    from madad.claims.services import claim_file, claim_update_status
    from madad.referrals.services import referral_send
    from tests.assistance.factories import give_referral_consent, make_case

    caseworker = make_user(Role.CASEWORKER, totp=False, full_name="Sana Caseworker")
    partner = make_user(
        Role.PARTNER, organisation=partner_org, totp=False, full_name="Rabia Lawyer"
    )
    case = make_case(caseworker=caseworker, status="assisting")
    give_referral_consent(case.household.head, caseworker, partner_org)
    referral = referral_send(
        case=case,
        person=case.household.head,
        partner=partner_org,
        service="Legal representation at the hearings",
        shared_summary="Threatened after filing the FIR.",
        share_phone=True,
        sent_by=caseworker,
    )
    claim = claim_file(
        case=case,
        filed_by=caseworker,
        scheme="Victims' compensation scheme",
        authority="Home Department",
        filed_on=timezone.localdate(),
        amount_claimed="500000",
        authority_reference="HD/2026/17",
        next_action_on=timezone.localdate() - dt.timedelta(days=1),
        next_action="Bring the death certificate",
    )
    claim_update_status(
        claim=claim,
        changed_by=caseworker,
        status="documents_requested",
        note="The office asked for the death certificate.",
    )

    _sign_in(second_browser, partner)
    second_browser.click("header nav a[href='/referrals/']")
    second_browser.click(f"a[href='/referrals/{referral.pk}/']")
    main = second_browser.inner_text("main")
    assert "Nasreen" in main and "Akhtar" not in main and "0399-1234567" in main
    second_browser.check("input[name=decision][value=accept]")
    second_browser.fill("textarea[name=note]", "A lawyer will call on Monday.")
    second_browser.click("main form button[type=submit]")
    second_browser.wait_for_selector("text=Your answer was sent")
    second_browser.screenshot(path=ARTIFACTS / "referral-partner-view.png", full_page=True)

    page = browser_page
    _sign_in(page, caseworker)
    page.click("header nav a[href='/cases/my-day/']")
    assert "New answers to referrals" in page.inner_text("main")
    assert "Bring the death certificate" in page.inner_text("#claims-due")
    page.screenshot(path=ARTIFACTS / "claims-my-day.png", full_page=True)
    page.goto(f"/claims/{claim.pk}/")
    assert "HD/2026/17" in page.inner_text("main")
    page.screenshot(path=ARTIFACTS / "claim-detail.png", full_page=True)
