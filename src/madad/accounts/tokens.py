"""API bearer tokens: issued after password (and TOTP when enrolled), expiring, revocable."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from madad.accounts import services
from madad.accounts.models import ApiToken, User
from madad.core.audit import audit_record


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("ascii", "replace")).hexdigest()


class TokenRefused(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class IssuedToken:
    token: str
    expires_at: datetime


def token_issue(
    *, email: str, password: str, totp_code: str | None, request: HttpRequest | None
) -> IssuedToken:
    """Checks the credentials the same way the sign-in page does: a locked account is refused
    before its password is tried, and every wrong password or two-factor code counts towards
    the lockout and is audited. Only the token's SHA-256 digest is stored; the raw token is
    returned once, here."""
    email = email.strip().lower()
    candidate = User.objects.filter(email=email).first()
    if candidate is not None and candidate.is_locked():
        services.signin_refused_locked(user=candidate, request=request)
        raise TokenRefused("locked", _("This account is locked after too many failed sign-ins."))
    user = authenticate(request, email=email, password=password)
    if user is None:
        services.signin_failed(email=email, request=request)
        raise TokenRefused("invalid_credentials", _("The email address or password is wrong."))
    totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if totp is not None:
        if not totp_code or not TOTP(totp).validate_code(totp_code.strip()):
            services.signin_failed(email=email, request=request)
            raise TokenRefused("invalid_totp", _("The two-factor code is missing or wrong."))
    elif settings.REQUIRE_MFA:
        raise TokenRefused(
            "mfa_not_enrolled", _("Set up two-factor sign-in on the website before using the API.")
        )
    raw = "mdd_" + secrets.token_urlsafe(32)
    expires = timezone.now() + timedelta(hours=settings.API_TOKEN_HOURS)
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, digest=_digest(raw), expires_at=expires)
        User.objects.filter(pk=user.pk).update(failed_signins=0, locked_until=None)
        audit_record(action="auth.token.issued", request=request, actor=user, obj=token)
    return IssuedToken(token=raw, expires_at=expires)


def token_user(raw: str) -> tuple[User, ApiToken] | None:
    """The active user and live (unexpired, unrevoked) token a raw bearer token stands for."""
    token = (
        ApiToken.objects.select_related("user", "user__organisation")
        .filter(digest=_digest(raw), revoked_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    return token.user, token


def token_revoke(*, token: ApiToken, revoked_by: User, request: HttpRequest | None) -> None:
    """Ends the token at once; revoking a revoked token changes nothing but is still audited."""
    with transaction.atomic():
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        audit_record(action="auth.token.revoked", request=request, actor=revoked_by, obj=token)
