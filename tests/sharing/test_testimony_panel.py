"""The family's caseworker sees, on a testimony's page, which grants include it and whether it
can be read through each today (issue 15 part 3)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from madad.accounts.models import User
from madad.sharing import services
from madad.sharing.models import Grant
from tests.sharing.conftest import World, withdraw

pytestmark = pytest.mark.django_db

SignIn = Callable[[User], Client]


def _panel(client: Client, world: World) -> str:
    response = client.get(reverse("testimonies:detail", args=[world.testimony.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    return page[page.index('id="grants"') :]


def test_the_caseworker_sees_the_grant_that_includes_the_testimony(
    world: World, make_grant: Callable[..., Grant], signed_in: SignIn
) -> None:
    grant = make_grant()
    panel = _panel(signed_in(world.caseworker), world)
    assert f"#{grant.pk}" in panel
    assert "Fictitious Visiting Delegation" in panel
    assert "Yes" in panel
    # only the grant's coordinators are offered its page
    assert reverse("sharing:detail", args=[grant.pk]) not in panel


def test_the_panel_says_when_consent_no_longer_covers_it(
    world: World, make_grant: Callable[..., Grant], signed_in: SignIn
) -> None:
    make_grant()
    withdraw(world)
    panel = _panel(signed_in(world.caseworker), world)
    assert "No: the consent does not cover it" in panel


def test_a_revoked_grant_is_no_longer_listed_and_a_pending_one_is_not_readable(
    world: World, make_grant: Callable[..., Grant], signed_in: SignIn
) -> None:
    grant = make_grant()
    services.grant_revoke(grant=grant, actor=world.coordinator, reason="Visit cancelled")
    client = signed_in(world.caseworker)
    assert f"#{grant.pk}" not in _panel(client, world)
    pending = make_grant(approve=False)
    panel = _panel(client, world)
    assert f"#{pending.pk}" in panel
    assert "No: the grant is not in force" in panel


def test_the_coordinator_is_offered_the_grants_page_and_an_outsider_sees_no_testimony(
    world: World, make_grant: Callable[..., Grant], signed_in: SignIn, outsider: User
) -> None:
    grant = make_grant()
    client = signed_in(world.coordinator)
    assert reverse("sharing:detail", args=[grant.pk]) in _panel(client, world)
    client.logout()
    other = signed_in(outsider)
    response = other.get(reverse("testimonies:detail", args=[world.testimony.pk]))
    assert response.status_code == 404
