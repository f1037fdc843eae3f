"""Connects sign-in events to the audit trail (the work itself is in services)."""

from __future__ import annotations

from typing import Any

from allauth.account.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from madad.accounts import services


@receiver(user_logged_in)
def _signed_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    services.signin_succeeded(user=user, request=request)


@receiver(user_logged_out)
def _signed_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        services.signout_recorded(user=user, request=request)
