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

from madad.accounts import signin
from madad.accounts.models import ApiToken, User
from madad.api.errors import Locked, Unauthenticated
from madad.core.audit import audit_record
from madad.core.refusals import NotAllowed


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("ascii", "replace")).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    token: str
    expires_at: datetime


def token_issue(*, email: str, password: str, totp_code: str | None) -> IssuedToken:
    """Checks the credentials the same way the sign-in page does: the attempt is counted
    before the password is tried, a locked address (an unknown one too, after as many
    failures) is refused unchecked, and every wrong password or two-factor code is audited.
    Only the token's SHA-256 digest is stored; the raw token is returned once, here."""
    email = signin.normalised(email)
    if not signin.signin_attempt_begin(email=email):
        raise Locked(str(signin.LOCKED_MESSAGE))
    user = authenticate(None, email=email, password=password)
    if not isinstance(user, User):
        signin.signin_failed(email=email)
        raise Unauthenticated(
            _("The email address or password is wrong."), code="invalid_credentials"
        )
    totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if totp is not None:
        if not totp_code or not TOTP(totp).validate_code(totp_code.strip()):
            signin.signin_failed(email=email)
            raise Unauthenticated(
                _("The two-factor code is missing or wrong."), code="invalid_totp"
            )
    elif settings.REQUIRE_MFA:
        signin.attempt_accepted(user=user)
        raise NotAllowed(
            _("Set up two-factor sign-in on the website before using the API."),
            code="mfa_not_enrolled",
        )
    raw = "mdd_" + secrets.token_urlsafe(32)
    expires = timezone.now() + timedelta(hours=settings.API_TOKEN_HOURS)
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, digest=_digest(raw), expires_at=expires)
        User.objects.filter(pk=user.pk).update(failed_signins=0, locked_until=None)
        audit_record(action="auth.token.issued", actor=user, obj=token)
    return IssuedToken(token=raw, expires_at=expires)


def token_user(raw: str) -> tuple[User, ApiToken] | None:
    """The active, unlocked user and live (unexpired, unrevoked) token a raw bearer token
    stands for. A lockout revokes the user's tokens already; the lock is checked here too, so
    that a token works only while its user could sign in."""
    token = (
        ApiToken.objects.select_related("user", "user__organisation")
        .filter(digest=_digest(raw), revoked_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )
    if token is None or not token.user.is_active or token.user.is_locked():
        return None
    return token.user, token


def bearer_token(request: HttpRequest) -> ApiToken:
    """The token the API request was authenticated with (madad.api.auth.BearerToken)."""
    token = getattr(request, "api_token", None)
    if not isinstance(token, ApiToken):
        raise Unauthenticated()
    return token


def token_revoke(*, token: ApiToken, revoked_by: User) -> None:
    """Ends the token at once; revoking a revoked token changes nothing but is still audited."""
    with transaction.atomic():
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        audit_record(action="auth.token.revoked", actor=revoked_by, obj=token)
