"""Every page names Madad's icon, served locally; /favicon.ico, which browsers ask for, leads
to it."""

from __future__ import annotations

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

pytestmark = pytest.mark.django_db


def test_favicon_ico_leads_to_the_local_icon(client: Client) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith("/static/madad/favicon.ico")
    found = finders.find("madad/favicon.ico")
    assert found is not None
    with open(str(found), "rb") as icon:
        assert icon.read(4) == b"\x00\x00\x01\x00"  # an ICO file


@pytest.mark.parametrize("path", ["/public/", "/accounts/login/"])
def test_pages_name_the_icon(client: Client, path: str) -> None:
    page = client.get(path).content.decode()
    assert 'rel="icon" href="/static/madad/favicon.ico"' in page
