"""An idle session ends after an hour; every request renews it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from madad.accounts.models import User
from madad.accounts.roles import Role
from tests.accounts.helpers import post_code, post_password
from tests.factories import current_totp_code, enrol_totp

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_signed_in(client: Client, make_user: Callable[..., User]) -> Client:
    cache.clear()
    user = make_user(Role.DOCUMENTER, totp=False)
    secret = enrol_totp(user)
    post_password(client, user)
    post_code(client, current_totp_code(secret))
    assert client.get("/").status_code == 200
    return client


def _stored_session(client: Client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def test_a_signed_in_session_lasts_an_hour_from_the_last_request(client_signed_in: Client) -> None:
    assert client_signed_in.session.get_expiry_age() == 3600
    left = _stored_session(client_signed_in).expire_date - timezone.now()
    assert timedelta(minutes=59) < left <= timedelta(hours=1)


def test_each_request_renews_the_hour(client_signed_in: Client) -> None:
    session = _stored_session(client_signed_in)
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() + timedelta(minutes=5))
    assert client_signed_in.get("/").status_code == 200
    left = _stored_session(client_signed_in).expire_date - timezone.now()
    assert left > timedelta(minutes=59)


def test_an_idle_session_has_ended(client_signed_in: Client) -> None:
    Session.objects.filter(pk=_stored_session(client_signed_in).pk).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    response = client_signed_in.get("/people/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_session_cookie_ends_with_the_browser(client_signed_in: Client) -> None:
    response = client_signed_in.get("/")
    cookie = response.cookies["sessionid"]
    assert cookie["max-age"] == "" and cookie["expires"] == ""
    assert cookie["httponly"]
