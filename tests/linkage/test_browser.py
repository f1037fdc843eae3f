"""The duplicate check as a documenter meets it in Debian's Chromium: typing a man already
recorded in romanised letters, in Urdu script, brings up "possible duplicate of ..." before
anything is saved; saving anyway asks for a confirmation first."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

from madad.accounts.models import User
from madad.accounts.roles import Role
from madad.people.models import Person
from madad.people.services import person_create
from tests.conftest import ARTIFACTS
from tests.factories import enrol_totp

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser


def test_the_person_form_warns_of_a_duplicate_across_scripts_before_saving(
    browser_page: Page, browser_sign_in: Callable[..., Page], make_user: Callable[..., User]
) -> None:
    documenter = make_user(Role.DOCUMENTER, totp=False)
    recorded = person_create(
        organisation=documenter.organisation,
        created_by=documenter,
        given_name="Mohd. Ali",
        family_name="Khan",
        father_name="Muhammad Aslam Khan",
        sex="male",
        age=40,
        cnic="42101-1234567-1",
    )
    page = browser_sign_in(documenter, enrol_totp(documenter))
    page.goto("/people/new/")
    page.fill("input[name=full_name_ur]", "محمد علی خان")
    page.fill("input[name=father_name]", "محمد اسلم خان")
    page.select_option("select[name=sex]", "male")
    page.fill("input[name=cnic]", "42101-1234567-1")
    page.locator("input[name=cnic]").blur()
    warning = page.locator("#duplicate-check")
    warning.get_by_text(f"Possible duplicate of person #{recorded.pk}").wait_for()
    assert "Mohd. Ali" in warning.inner_text()
    page.screenshot(path=str(ARTIFACTS / "linkage-duplicate-check.png"), full_page=True)
    assert Person.objects.count() == 1

    page.click("main form button[type=submit]")
    page.locator("input[name=duplicates_checked]").wait_for()
    assert Person.objects.count() == 1
    page.check("input[name=duplicates_checked]")
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: "/people/new/" not in url)
    assert Person.objects.count() == 2
