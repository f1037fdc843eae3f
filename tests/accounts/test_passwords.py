"""Passwords: Argon2 at rest, changed only by their owner with the current one."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.cache import cache
from django.test import Client
from pytest_django import DjangoCaptureOnCommitCallbacks, Settings

from madad import settings as madad_settings
from madad.accounts import invitations, services
from madad.accounts.models import Organisation, User
from madad.accounts.roles import Role
from tests.accounts.helpers import actions_about
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

NEW = "a much longer passphrase 2024"


def test_passwords_are_hashed_with_argon2_by_default(
    settings: Settings, relief_org: Organisation
) -> None:
    settings.PASSWORD_HASHERS = madad_settings.PASSWORD_HASHERS
    invited = services.user_invite(
        email="hash@test.madad",
        full_name="Hash Test",
        organisation=relief_org,
        role=Role.DOCUMENTER,
        invited_by=None,
    )
    user = invitations.invitation_accept(raw=invited.token, password=NEW, password_again=NEW)
    user.refresh_from_db()
    assert user.password.startswith("argon2")
    assert user.check_password(NEW)


def test_a_user_changes_their_password(
    signed_in: Callable[[User], Client],
    make_user: Callable[..., User],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    cache.clear()
    user = make_user(Role.CASEWORKER)
    client = signed_in(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/password/change/",
            {"oldpassword": PASSWORD, "password1": NEW, "password2": NEW},
        )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert "auth.password.changed" in actions_about(user)
    assert client.get("/").status_code == 200  # still signed in


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"oldpassword": "not it", "password1": NEW, "password2": NEW},
            "oldpassword",
            "Type your current password.",
        ),
        (
            {"oldpassword": PASSWORD, "password1": NEW, "password2": NEW + "x"},
            "password2",
            "The two new passwords are not the same.",
        ),
        (
            {"oldpassword": PASSWORD, "password1": "short", "password2": "short"},
            "password1",
            "This password is too short.",
        ),
    ],
)
def test_a_bad_password_change_is_refused_with_a_clear_reason(
    signed_in: Callable[[User], Client],
    make_user: Callable[..., User],
    data: dict[str, str],
    field: str,
    message: str,
) -> None:
    cache.clear()
    user = make_user(Role.CASEWORKER)
    response = signed_in(user).post("/accounts/password/change/", data)
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert message in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
