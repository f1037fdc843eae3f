# mypy: allow-subclassing-any
"""Hooks Madad's lockout and audit into django-allauth's sign-in flow, and puts Madad's own
(translatable) words wherever allauth would show its own: allauth ships no Urdu."""

from __future__ import annotations

import time
from typing import Any

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context
from allauth.mfa.adapter import DefaultMFAAdapter
from django import forms
from django.contrib import messages
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from madad.accounts import signin
from madad.accounts.models import User
from madad.core import crypto

_WRONG_CODE = _("That code is not right. Codes change every 30 seconds: try the current one.")

# allauth's messages (by template) and the Madad words shown instead; None shows nothing.
_MESSAGES: dict[str, Any] = {
    "account/messages/logged_in.txt": None,  # the start page greets the user by name
    "account/messages/logged_out.txt": _("You have signed out."),
    "account/messages/password_changed.txt": _("Your password is changed."),
    "mfa/messages/totp_activated.txt": _("Two-factor sign-in is on."),
    "mfa/messages/totp_deactivated.txt": _("Two-factor sign-in is off."),
    "mfa/messages/recovery_codes_generated.txt": _(
        "You have new recovery codes. The old ones no longer work."
    ),
}


class MadadAccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "account_inactive": _("This account is deactivated. Ask an administrator."),
        "email_password_mismatch": _("The email address or password is wrong."),
        "enter_current_password": _("Type your current password."),
        "incorrect_code": _WRONG_CODE,
        "incorrect_password": _("The password is wrong."),
        "invalid_login": _("The email address or password is wrong."),
        "rate_limited": _("Too many attempts. Wait a minute, then try again."),
        "same_as_current": _("The new password must differ from the current one."),
        "too_many_login_attempts": _("Too many attempts. Wait a minute, then try again."),
        "unknown_email": _("The email address or password is wrong."),
    }

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Accounts are created by administrators, never by visitors.
        return False

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        super().pre_authenticate(request, **credentials)
        if not signin.signin_attempt_begin(email=credentials.get("email") or ""):
            raise forms.ValidationError(signin.LOCKED_MESSAGE, code="locked")

    def authenticate(self, request: HttpRequest, **credentials: Any) -> AbstractBaseUser | None:
        user = super().authenticate(request, **credentials)
        if not isinstance(user, User):
            return None
        signin.attempt_accepted(user=user)
        return user

    def authentication_failed(self, request: HttpRequest, **credentials: Any) -> None:
        signin.signin_failed(email=credentials.get("email") or "")

    def respond_user_inactive(self, request: HttpRequest, user: Any) -> HttpResponse:
        signin.signin_refused_inactive(user=user)
        response: HttpResponse = super().respond_user_inactive(request, user)
        return response

    def add_message(
        self,
        request: HttpRequest,
        level: int,
        message_template: str | None = None,
        message_context: dict[str, Any] | None = None,
        extra_tags: str = "",
        message: str | None = None,
    ) -> None:
        if message is None:
            text = _MESSAGES.get(message_template or "")
            if text is None:
                return
            message = str(text)
        messages.add_message(request, level, message, extra_tags=extra_tags)

    def is_reauthentication_required(self, *, app: str, **kwargs: Any) -> bool:
        """Signing in counts as confirming who you are for the next few minutes, as a
        password re-entry does: a user made to set up two-factor sign-in straight after
        signing in is not asked for the password twice in a row."""
        if not super().is_reauthentication_required(app=app, **kwargs):
            return False
        request = context.request
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return True
        records = get_authentication_records(request, user)
        latest: float = max((record.get("at", 0) for record in records), default=0)
        timeout: int = account_settings.REAUTHENTICATION_TIMEOUT
        return time.time() - latest >= timeout

    def get_reauthentication_methods(self, user: Any) -> list[dict[str, Any]]:
        descriptions = {
            reverse("account_reauthenticate"): _("Use your password"),
            reverse("mfa_reauthenticate"): _("Use a code from your authenticator app"),
        }
        methods: list[dict[str, Any]] = super().get_reauthentication_methods(user)
        for method in methods:
            method["description"] = descriptions.get(method["url"], method["description"])
        return methods


class MadadMFAAdapter(DefaultMFAAdapter):
    """TOTP secrets are encrypted at rest with the field-encryption keys."""

    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "cannot_delete_authenticator": _("Two-factor sign-in cannot be turned off here."),
        "cannot_generate_recovery_codes": _(
            "Turn on two-factor sign-in before creating recovery codes."
        ),
        "incorrect_code": _WRONG_CODE,
        "unverified_email": _("Two-factor sign-in cannot be turned on for this account yet."),
    }

    def encrypt(self, text: str) -> str:
        return crypto.encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        return crypto.decrypt(encrypted_text)
