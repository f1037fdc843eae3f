"""Two-factor sign-in is required of every staff user (settings.REQUIRE_MFA)."""

from __future__ import annotations

from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

# Paths a signed-in user without two-factor may still reach: enrolment itself, sign-out,
# language choice, static files.
_OPEN_PREFIXES = (
    "/accounts/2fa/",
    "/accounts/logout/",
    "/accounts/reauthenticate/",
    "/i18n/",
    "/static/",
    "/api/",
)


class RequireTwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._must_enrol(request):
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    @staticmethod
    def _must_enrol(request: HttpRequest) -> bool:
        if not settings.REQUIRE_MFA or not request.user.is_authenticated:
            return False
        if request.path.startswith(_OPEN_PREFIXES):
            return False
        return not Authenticator.objects.filter(
            user=request.user, type=Authenticator.Type.TOTP
        ).exists()
