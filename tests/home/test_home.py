"""The staff home page, the menu by role, the health check and the error pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from madad.accounts.models import User
from madad.accounts.roles import Role

pytestmark = pytest.mark.django_db


def _menu(client: Any) -> list[str]:
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return [item["url"] for item in response.context["menu"]]


def test_an_auditor_finds_the_audit_trail_in_the_menu(
    make_user: Callable[..., User], signed_in: Callable[[User], Any]
) -> None:
    assert reverse("audit:list") in _menu(signed_in(make_user(Role.AUDITOR)))


def test_a_documenter_does_not(documenter: User, signed_in: Callable[[User], Any]) -> None:
    menu = _menu(signed_in(documenter))
    assert reverse("audit:list") not in menu
    assert menu[0] == reverse("home")


def test_the_menu_marks_the_page_being_shown(
    make_user: Callable[..., User], signed_in: Callable[[User], Any]
) -> None:
    response = signed_in(make_user(Role.AUDITOR)).get(reverse("audit:list"))
    active = [item["url"] for item in response.context["menu"] if item["active"]]
    assert active == [reverse("audit:list")]


def test_the_health_check_answers_ok(client: Any) -> None:
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_an_unknown_address_answers_the_404_page(
    documenter: User, signed_in: Callable[[User], Any]
) -> None:
    response = signed_in(documenter).get("/no-such-page/")
    assert response.status_code == 404
    assert "404.html" in [t.name for t in response.templates]
