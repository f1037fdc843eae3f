"""Connects sign-in and two-factor events to the audit trail (the work itself is in services)."""

from __future__ import annotations

from typing import Any

from allauth.account.signals import password_changed, user_logged_in, user_logged_out
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import (
    authentication_failed,
    authenticator_added,
    authenticator_removed,
    authenticator_reset,
)
from django.dispatch import receiver

from madad.accounts import services


@receiver(user_logged_in)
def _signed_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    services.signin_succeeded(user=user, request=request)


@receiver(user_logged_out)
def _signed_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        services.signout_recorded(user=user, request=request)


@receiver(authentication_failed)
def _two_factor_failed(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    services.two_factor_failed(user=user, request=request)


@receiver(password_changed)
def _password_changed(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    services.security_change_recorded(user=user, request=request, action="auth.password.changed")


@receiver(authenticator_added)
def _authenticator_added(
    sender: Any, request: Any, user: Any, authenticator: Any, **kwargs: Any
) -> None:
    if authenticator.type == Authenticator.Type.TOTP:
        services.security_change_recorded(
            user=user, request=request, action="auth.two_factor.enabled"
        )


@receiver(authenticator_removed)
def _authenticator_removed(
    sender: Any, request: Any, user: Any, authenticator: Any, **kwargs: Any
) -> None:
    if authenticator.type == Authenticator.Type.TOTP:
        services.security_change_recorded(
            user=user, request=request, action="auth.two_factor.disabled"
        )


@receiver(authenticator_reset)
def _authenticator_reset(
    sender: Any, request: Any, user: Any, authenticator: Any, **kwargs: Any
) -> None:
    if authenticator.type == Authenticator.Type.RECOVERY_CODES:
        services.security_change_recorded(
            user=user, request=request, action="auth.recovery_codes.generated"
        )
