"""A place name reaches the public map as text, never as HTML (issue 18): a district renamed,
through the two-person rule, to markup is drawn as those characters."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
from django.core.cache import cache

from madad.accounts.models import Organisation, User
from madad.accounts.roles import Role
from madad.places import services
from madad.places.models import Place
from tests.public.factories import incident, karachi

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

MARKUP = '<b>x</b><a href="http://example.org">y</a>'


def test_a_district_name_with_markup_is_shown_as_text_on_the_public_map(
    browser_page: Page, make_user: Callable[..., User], other_relief_org: Organisation
) -> None:
    karachi()  # a live-server test's flush takes the migrations' data away from the next one
    documenter: User = make_user(Role.DOCUMENTER)
    neighbourhood = Place.objects.filter(level="neighbourhood").order_by("code").first()
    assert neighbourhood is not None
    incident(documenter, neighbourhood)
    district = Place.objects.get(code="khi.central")
    change = services.place_change_propose(
        place=district,
        proposed_by=make_user(Role.ADMINISTRATOR),
        expected_version=district.version,
        name=MARKUP,
        name_ur=district.name_ur,
        latitude=district.latitude,
        longitude=district.longitude,
    )
    services.place_change_approve(
        change=change,
        approved_by=make_user(Role.ADMINISTRATOR, organisation=other_relief_org),
    )
    cache.clear()  # public figures are cached

    page = browser_page
    page.goto("/public/map/")
    page.wait_for_selector("#incident-map[data-ready=true] .district-label")
    labels = page.locator(".district-label").all_inner_texts()
    assert MARKUP in labels
    assert page.locator("#incident-map b").count() == 0
    assert page.locator("a[href*='example.org']").count() == 0
