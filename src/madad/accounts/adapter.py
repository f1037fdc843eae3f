"""Hooks Madad's lockout and audit into django-allauth's sign-in flow."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext as _

from madad.accounts import services
from madad.accounts.models import User
from madad.core import crypto


class MadadAccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Accounts are created by administrators, never by visitors.
        return False

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        super().pre_authenticate(request, **credentials)
        email = (credentials.get("email") or "").strip().lower()
        user = User.objects.filter(email=email).first()
        if user is not None and user.is_locked():
            services.signin_refused_locked(user=user, request=request)
            raise forms.ValidationError(
                _(
                    "This account is locked after too many failed sign-ins. "
                    "Try again later, or ask an administrator to unlock it."
                ),
                code="locked",
            )

    def authentication_failed(self, request: HttpRequest, **credentials: Any) -> None:
        services.signin_failed(email=credentials.get("email") or "", request=request)


class MadadMFAAdapter(DefaultMFAAdapter):
    """TOTP secrets are encrypted at rest with the field-encryption keys."""

    def encrypt(self, text: str) -> str:
        return crypto.encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        return crypto.decrypt(encrypted_text)
