"""/healthz answers 503, naming what is missing, when this server could not answer pages:
the proxy then sends it no traffic (deploy/Caddyfile). Production's manifest is tested in
tests/test_settings.py, in a process of its own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import pytest
from django.db import DatabaseError
from django.test import Client, override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_catalogue(tmp_path: Path) -> Iterator[None]:
    """This process as it is on a server where `madad i18n compile` was not run."""
    # Changing LOCALE_PATHS drops the loaded catalogues, on entry and again on exit (Django's
    # setting_changed receiver), so the next test has the real ones.
    with override_settings(LOCALE_PATHS=[tmp_path]):
        yield


def test_a_server_without_the_compiled_urdu_catalogue_is_not_healthy(
    client: Client, no_catalogue: None
) -> None:
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {
        "status": "failing",
        "problems": ["translations: not compiled; run `madad i18n compile` and restart"],
    }


def test_a_server_without_its_database_is_not_healthy(client: Client) -> None:
    with mock.patch("madad.home.health.connection.cursor", side_effect=DatabaseError("down")):
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["problems"] == ["database: not reachable"]


def test_the_health_check_says_nothing_of_the_data(client: Client) -> None:
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Content-Type"] == "application/json"
