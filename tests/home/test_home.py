"""The staff home page, the menu by role, the health check and the error pages."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from madad.accounts.models import User
from madad.accounts.roles import Role

pytestmark = pytest.mark.django_db


def _menu(client: Client) -> list[str]:
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return [item["url"] for item in response.context["menu"]]


def test_an_auditor_finds_the_audit_trail_in_the_menu(
    make_user: Callable[..., User], signed_in: Callable[[User], Client]
) -> None:
    assert reverse("audit:list") in _menu(signed_in(make_user(Role.AUDITOR)))


def test_a_documenter_does_not(documenter: User, signed_in: Callable[[User], Client]) -> None:
    menu = _menu(signed_in(documenter))
    assert reverse("audit:list") not in menu
    assert menu[0] == reverse("home")


def test_the_menu_marks_the_page_being_shown(
    make_user: Callable[..., User], signed_in: Callable[[User], Client]
) -> None:
    response = signed_in(make_user(Role.AUDITOR)).get(reverse("audit:list"))
    active = [item["url"] for item in response.context["menu"] if item["active"]]
    assert active == [reverse("audit:list")]


def test_the_health_check_answers_ok(client: Client) -> None:
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_an_unknown_address_answers_the_404_page(
    documenter: User, signed_in: Callable[[User], Client]
) -> None:
    response = signed_in(documenter).get("/no-such-page/")
    assert response.status_code == 404
    assert "404.html" in [t.name for t in response.templates]


def test_a_refused_action_answers_the_site_403_page_in_the_user_language(
    documenter: User, signed_in: Callable[[User], Client]
) -> None:
    client = signed_in(documenter)
    from madad.places.models import Place

    place = Place.objects.first()
    assert place is not None
    response = client.get(reverse("places:edit", args=[place.pk]))
    assert response.status_code == 403
    assert "403.html" in [t.name for t in response.templates]
    assert "ask your organisation's administrator" in response.content.decode()
    client.post(reverse("set_language"), {"language": "ur"})
    urdu = client.get(reverse("places:edit", args=[place.pk])).content.decode()
    assert 'dir="rtl"' in urdu and "منتظم سے کہیں" in urdu
