"""An address opened with the wrong method shows Madad's page, not a blank one (the API keeps
its own error shape)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from madad.accounts.models import User
from madad.accounts.roles import Role
from tests.api.helpers import assert_error_shape

pytestmark = pytest.mark.django_db


def test_a_post_only_page_opened_in_the_browser_explains_itself(
    make_user: Callable[..., User], signed_in: Callable[[User], Client]
) -> None:
    response = signed_in(make_user(Role.AUDITOR)).get(reverse("audit:verify"))
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert "This page cannot be opened directly" in response.content.decode()
    assert "405.html" in [template.name for template in response.templates]


def test_it_is_in_urdu_for_an_urdu_reader(
    make_user: Callable[..., User], signed_in: Callable[[User], Client]
) -> None:
    client = signed_in(make_user(Role.AUDITOR))
    client.cookies["django_language"] = "ur"
    page = client.get(reverse("audit:verify")).content.decode()
    assert 'dir="rtl"' in page
    assert "This page cannot be opened directly" not in page


def test_the_api_answers_405_in_its_own_shape(
    make_user: Callable[..., User], bearer: Callable[[User], dict[str, str]], client: Client
) -> None:
    user = make_user(Role.COORDINATOR)
    response = client.put("/api/v1/auth/me", headers=bearer(user))
    assert_error_shape(response, 405, "method_not_allowed")
