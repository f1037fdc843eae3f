"""Connects sign-in and two-factor events to the audit trail (the work itself is in services)."""

from __future__ import annotations

from collections.abc import Callable
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

from madad.accounts import signin


@receiver(user_logged_in)
def _signed_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    signin.signin_succeeded(user=user)


@receiver(user_logged_out)
def _signed_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        signin.signout_recorded(user=user)


@receiver(authentication_failed)
def _two_factor_failed(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    signin.two_factor_failed(user=user)


@receiver(password_changed)
def _password_changed(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    signin.security_change_recorded(user=user, action="auth.password.changed")


# allauth's signals about authenticators: the kind each must concern, and the audit action.
_AUTHENTICATOR_CHANGES = (
    (authenticator_added, Authenticator.Type.TOTP, "auth.two_factor.enabled"),
    (authenticator_removed, Authenticator.Type.TOTP, "auth.two_factor.disabled"),
    (authenticator_reset, Authenticator.Type.RECOVERY_CODES, "auth.recovery_codes.generated"),
)


def _recorder(kind: str, action: str) -> Callable[..., None]:
    def record(sender: Any, request: Any, user: Any, authenticator: Any, **kwargs: Any) -> None:
        if authenticator.type == kind:
            signin.security_change_recorded(user=user, action=action)

    return record


for _signal, _kind, _action in _AUTHENTICATOR_CHANGES:
    _signal.connect(_recorder(_kind, _action), weak=False, dispatch_uid=_action)
