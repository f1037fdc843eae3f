"""Sign-in: the lockout and the audit of every attempt.

The lockout counts in the database, BEFORE a password or code is checked: one conditional
UPDATE takes an attempt only while the address has fewer failures than the limit and no lock.
However many requests arrive at once, on however many workers, at most LOCKOUT_ATTEMPTS
passwords are checked; the others are refused unchecked. A right password gives its attempt
back, a completed sign-in clears the count, a wrong one keeps it and locks at the limit. The
failure that locks an account also revokes its API tokens.

An address without an account is counted the same way (UnknownAddress), so that it locks after
as many failures and then answers as a locked account does: the answers do not tell which
addresses have accounts.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from madad.accounts import revocation
from madad.accounts.models import UnknownAddress, User
from madad.core import crypto
from madad.core.audit import audit_record

LOCKED_MESSAGE = _(
    "This account is locked after too many failed sign-ins. "
    "Try again later, or ask an administrator to unlock it."
)


def normalised(email: str) -> str:
    return (email or "").strip().lower()


def _counter(email: str) -> QuerySet[Any]:
    """The one row that counts the address's failures: its account, or its unknown address."""
    accounts = User.objects.filter(email=email)
    if accounts.exists():
        return accounts
    digest = crypto.blind_index(email, purpose="signin.address")
    UnknownAddress.objects.get_or_create(digest=digest)
    return UnknownAddress.objects.filter(digest=digest)


def _take_attempt(rows: QuerySet[Any]) -> bool:
    now = timezone.now()
    with transaction.atomic():
        rows.filter(locked_until__lte=now).update(failed_signins=0, locked_until=None)
        taken = rows.filter(
            failed_signins__lt=settings.LOCKOUT_ATTEMPTS, locked_until__isnull=True
        ).update(failed_signins=F("failed_signins") + 1)
    return taken == 1


def signin_attempt_begin(*, email: str) -> bool:
    """Takes one attempt for the address before its password is checked. False: the address
    is locked (or its last attempts are being checked right now): check nothing. The refusal
    is audited."""
    email = normalised(email)
    if _take_attempt(_counter(email)):
        return True
    user = User.objects.filter(email=email).first()
    audit_record(
        action="auth.signin.locked_out",
        actor=None,
        obj=user,
        organisation=user.organisation if user else None,
        actor_label=email[:254],
    )
    return False


def two_factor_attempt_begin(*, user: User) -> bool:
    """The same, for a two-factor or recovery code after a right password."""
    return signin_attempt_begin(email=user.email)


def attempt_accepted(*, user: User) -> None:
    """A right password or code gives its attempt back (the sign-in may still stop at the next
    step, which takes one of its own)."""
    User.objects.filter(pk=user.pk, failed_signins__gt=0).update(
        failed_signins=F("failed_signins") - 1
    )


def _lock_if_at_limit(rows: QuerySet[Any]) -> bool:
    """Locks the address when its failures reached the limit; True only for the one failure
    that locked it, however many fail at once."""
    until = timezone.now() + timedelta(minutes=settings.LOCKOUT_MINUTES)
    return (
        rows.filter(
            failed_signins__gte=settings.LOCKOUT_ATTEMPTS, locked_until__isnull=True
        ).update(locked_until=until)
        == 1
    )


def signin_failed(*, email: str) -> User | None:
    """A wrong password (or an unknown address), after `signin_attempt_begin` took its attempt:
    audited with the address typed, never the password; the address locks at the limit."""
    email = normalised(email)
    with transaction.atomic():
        user = User.objects.filter(email=email).first()
        audit_record(
            action="auth.signin.failed",
            actor=None,
            organisation=user.organisation if user else None,
            obj=user,
            actor_label=email[:254],
        )
        locked = _lock_if_at_limit(_counter(email))
        if locked and user is not None:
            _locked(user)
    return user


def two_factor_failed(*, user: User) -> None:
    """A wrong two-factor or recovery code after a right password: audited, and counted
    towards the same lockout as a wrong password."""
    with transaction.atomic():
        _audit_about(user, "auth.two_factor.failed")
        if _lock_if_at_limit(User.objects.filter(pk=user.pk)):
            _locked(user)


def _locked(user: User) -> None:
    """The account has just locked: audited, and its API tokens end with it (an unlock does
    not bring them back)."""
    _audit_about(user, "auth.account.locked")
    revocation.api_tokens_revoke_all(user=user, actor=None, actor_label=user.email)


def _audit_about(user: User, action: str) -> None:
    audit_record(
        action=action,
        actor=None,
        obj=user,
        organisation=user.organisation,
        actor_label=user.email,
    )


def signin_succeeded(*, user: User) -> None:
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(failed_signins=0, locked_until=None)
        audit_record(action="auth.signin.succeeded", actor=user, obj=user)


def signin_refused_inactive(*, user: User) -> None:
    """A right password for a deactivated account: refused, and audited."""
    _audit_about(user, "auth.signin.inactive")


def signout_recorded(*, user: User) -> None:
    audit_record(action="auth.signout", actor=user, obj=user)


# What allauth reports about a user's own security settings, as audit action codes.
SECURITY_CHANGES = frozenset(
    {
        "auth.password.changed",
        "auth.two_factor.enabled",
        "auth.two_factor.disabled",
        "auth.recovery_codes.generated",
    }
)


def security_change_recorded(*, user: User, action: str) -> None:
    """Audits a change the user made to their own password or two-factor settings."""
    if action not in SECURITY_CHANGES:
        raise ValueError(f"Not a security change: {action!r}.")
    audit_record(action=action, actor=user, obj=user)
