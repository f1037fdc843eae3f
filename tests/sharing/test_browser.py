"""A delegate walks through a grant in Debian's Chromium: signs in with the two-factor code,
finds the grant under "Shared with you", reads the testimony (the victim only as Person A),
takes a stamped PDF of it and finds their name, the grant and the download's identifier on
every page; reads the grant again in Urdu (right to left); and, once the coordinator revokes
the grant, finds nothing on reloading the record. Screenshots go to test-artifacts/."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
from allauth.mfa.models import Authenticator
from pypdf import PdfReader

from madad.core import crypto
from madad.sharing import services
from madad.sharing.models import Grant, GrantDownload, GrantedRecord
from tests.conftest import ARTIFACTS
from tests.sharing.conftest import World

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

VICTIM_NAMES = ("Zarina", "Testwali")


def _totp_secret(world: World) -> str:
    """The delegate's two-factor secret (make_user enrolled them; the secret is stored
    encrypted)."""
    authenticator = Authenticator.objects.get(user=world.delegate, type=Authenticator.Type.TOTP)
    return crypto.decrypt(authenticator.data["secret"])


def _no_victim_name(text: str) -> None:
    for name in VICTIM_NAMES:
        assert name not in text


def test_a_delegate_reads_a_grant_downloads_a_stamped_copy_and_loses_it_on_revocation(
    browser_sign_in: Callable[..., Page],
    world: World,
    make_grant: Callable[..., Grant],
) -> None:
    grant = make_grant()
    testimony = GrantedRecord.objects.get(grant=grant, kind=GrantedRecord.Kind.TESTIMONY)
    page = browser_sign_in(world.delegate, _totp_secret(world))

    # English: the menu, the grant, the testimony
    page.click("header nav a[href='/shared/']")
    page.wait_for_url("**/shared/")
    assert world.org.name in page.inner_text("main")  # the organisation that shared it
    page.click(f"main a[href='/shared/{grant.pk}/']")
    page.wait_for_url(f"**/shared/{grant.pk}/")
    english_heading = page.inner_text("main h1")
    grant_text = page.inner_text("main")
    assert "Person A" in grant_text
    _no_victim_name(grant_text)
    page.click(f"main a[href='/shared/records/{testimony.pk}/']")
    page.wait_for_url(f"**/shared/records/{testimony.pk}/")
    record_text = page.inner_text("main")
    assert "Person A" in record_text
    assert "set the shop alight (test transcript)" in page.inner_text("main .transcript")
    _no_victim_name(record_text)
    _no_victim_name(page.content())
    page.screenshot(path=ARTIFACTS / "sharing-delegate-en.png", full_page=True)

    # the stamped download
    with page.expect_download() as info:
        page.click(f"main a[href='/shared/records/{testimony.pk}/download/']")
    download = info.value
    assert download.suggested_filename == f"grant-{grant.pk}-record-{testimony.pk}.pdf"
    saved = ARTIFACTS / "sharing-delegate-download.pdf"
    download.save_as(saved)
    row = GrantDownload.objects.get(granted_record=testimony, user=world.delegate)
    reader = PdfReader(saved)
    assert len(reader.pages) >= 1
    for number, pdf_page in enumerate(reader.pages, start=1):
        text = pdf_page.extract_text()
        assert world.delegate.full_name in text, f"page {number} lacks the delegate's name"
        assert f"Grant #{grant.pk}" in text, f"page {number} lacks the grant"
        assert str(row.identifier) in text, f"page {number} lacks the download's identifier"
        _no_victim_name(text)
    assert "set the shop alight (test transcript)" in "".join(
        p.extract_text() for p in reader.pages
    ).replace("\n", " ")

    # at a phone's width
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    width = page.evaluate("document.documentElement.scrollWidth")
    page.screenshot(path=ARTIFACTS / "sharing-delegate-phone.png", full_page=True)
    assert width <= 390 + 1, f"the page is {width}px wide on a 390px phone"
    page.set_viewport_size({"width": 1280, "height": 720})

    # Urdu: the grant's page, right to left, its heading translated
    page.goto(f"/shared/{grant.pk}/")
    page.click("header .language-switch button[value=ur]")
    page.wait_for_function("document.documentElement.lang === 'ur'")
    assert page.get_attribute("html", "dir") == "rtl"
    assert page.url.endswith(f"/shared/{grant.pk}/")
    urdu_heading = page.inner_text("main h1")
    assert urdu_heading and urdu_heading != english_heading
    # the pseudonym is translated too ("Person A" in Urdu); the record is still listed
    assert page.locator(f"main a[href='/shared/records/{testimony.pk}/']").count() == 1
    _no_victim_name(page.inner_text("main"))
    page.screenshot(path=ARTIFACTS / "sharing-delegate-ur.png", full_page=True)

    # back in English, the coordinator revokes the grant: the record is gone
    page.click("header .language-switch button[value=en]")
    page.wait_for_function("document.documentElement.lang === 'en'")
    page.goto(f"/shared/records/{testimony.pk}/")
    assert "set the shop alight" in page.inner_text("main")
    services.grant_revoke(
        grant=grant, actor=world.coordinator, reason="The visit ended early (test)."
    )
    response = page.reload()
    assert response is not None and response.status == 404
    assert page.inner_text("main h1") == "Not found"
    assert "set the shop alight" not in page.content()
    page.screenshot(path=ARTIFACTS / "sharing-delegate-revoked.png", full_page=True)
