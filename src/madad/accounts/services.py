"""Writes about users and sign-in. Each function is one use case and one transaction."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from madad.accounts.models import Organisation, User
from madad.accounts.roles import Role
from madad.core.audit import audit_record


def organisation_create(*, name: str, kind: str, name_ur: str = "") -> Organisation:
    """Creates an organisation with a unique, non-empty name and a known kind; raises
    ValidationError (by field) and writes nothing otherwise."""
    name, name_ur = name.strip(), name_ur.strip()
    errors: dict[str, list[Any]] = {}
    if not name:
        errors["name"] = [_("An organisation needs a name.")]
    elif len(name) > 200:
        errors["name"] = [_("The name is longer than 200 characters.")]
    elif Organisation.objects.filter(name__iexact=name).exists():
        errors["name"] = [_("There is already an organisation with this name.")]
    if len(name_ur) > 200:
        errors["name_ur"] = [_("The name is longer than 200 characters.")]
    if kind not in Organisation.Kind.values:
        errors["kind"] = [
            _("The kind must be one of: %(kinds)s.")
            % {"kinds": ", ".join(Organisation.Kind.values)}
        ]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        organisation = Organisation.objects.create(name=name, kind=kind, name_ur=name_ur)
        audit_record(
            action="organisation.created",
            obj=organisation,
            organisation=organisation,
            fields=["name", "name_ur", "kind"],
        )
    return organisation


def user_create(
    *,
    email: str,
    full_name: str,
    organisation: Organisation,
    role: str,
    password: str,
    created_by: User | None = None,
    check_password: bool = True,
) -> User:
    """Creates an active user with a unique email address (stored in lower case). A partner
    organisation's users always get the partner role, and the relief organisation's users
    never do; an administrator creates users only in their own organisation. Raises
    ValidationError (by field) and writes nothing when any of this does not hold."""
    email = (email or "").strip().lower()
    full_name = (full_name or "").strip()
    errors: dict[str, list[Any]] = {}
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = [_("Enter a valid email address.")]
    else:
        if User.objects.filter(email__iexact=email).exists():
            errors["email"] = [_("There is already a user with this email address.")]
    if not full_name:
        errors["full_name"] = [_("A user needs a name.")]
    elif len(full_name) > 200:
        errors["full_name"] = [_("The name is longer than 200 characters.")]
    if role not in Role.values:
        errors["role"] = [
            _("The role must be one of: %(roles)s.") % {"roles": ", ".join(Role.values)}
        ]
    elif organisation.is_partner != (role == Role.PARTNER):
        errors["role"] = [_("Partner organisations have partner users, and only they do.")]
    if created_by is not None and created_by.organisation_id != organisation.pk:
        errors["organisation"] = [_("Administrators add users to their own organisation only.")]
    if check_password:
        try:
            validate_password(password, user=User(email=email, full_name=full_name))
        except ValidationError as error:
            errors["password"] = list(error.messages)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        user = User.objects.create_user(
            email=email,
            password=password,
            full_name=full_name,
            organisation=organisation,
            role=role,
        )
        audit_record(
            action="user.created",
            actor=created_by,
            obj=user,
            organisation=organisation,
            fields=["email", "full_name", "role"],
        )
    return user


def user_deactivate(*, user: User, deactivated_by: User) -> None:
    """Ends the user's access: they cannot sign in, their open sessions stop working (the
    authentication backend refuses inactive users) and so do their API tokens. Nobody can
    deactivate themselves, so an organisation keeps at least the administrator doing it."""
    if user.pk == deactivated_by.pk:
        raise ValidationError(_("You cannot deactivate your own account."), code="self")
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(is_active=False)
        audit_record(
            action="user.deactivated",
            actor=deactivated_by,
            obj=user,
            organisation=user.organisation,
            fields=["is_active"],
        )
    user.is_active = False


def user_reactivate(*, user: User, reactivated_by: User) -> None:
    """Gives a deactivated user their access back, with a clean failure count."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(is_active=True, failed_signins=0, locked_until=None)
        audit_record(
            action="user.reactivated",
            actor=reactivated_by,
            obj=user,
            organisation=user.organisation,
            fields=["is_active"],
        )
    user.is_active = True


def signin_failed(*, email: str, request: HttpRequest | None) -> User | None:
    """Counts a failed password for the account (if it exists) and locks it at the limit.

    The count is incremented in the database (not read-modify-write in Python), so concurrent
    failures from several app servers all count. Only the address typed is recorded, never
    the password.
    """
    email = (email or "").strip().lower()
    with transaction.atomic():
        user = User.objects.filter(email=email).first()
        audit_record(
            action="auth.signin.failed",
            request=request,
            actor=None,
            organisation=user.organisation if user else None,
            obj=user,
            actor_label=email[:254],
        )
        if user is None:
            return None
        _count_failure(user=user, request=request)
    return user


def two_factor_failed(*, user: User, request: HttpRequest | None) -> None:
    """A wrong two-factor or recovery code after a right password: audited, and counted
    towards the same lockout as a wrong password."""
    with transaction.atomic():
        audit_record(
            action="auth.two_factor.failed",
            request=request,
            actor=None,
            obj=user,
            organisation=user.organisation,
            actor_label=user.email,
        )
        _count_failure(user=user, request=request)


def _count_failure(*, user: User, request: HttpRequest | None) -> None:
    User.objects.filter(pk=user.pk).update(failed_signins=F("failed_signins") + 1)
    user.refresh_from_db(fields=["failed_signins", "locked_until"])
    if user.failed_signins >= settings.LOCKOUT_ATTEMPTS and not user.is_locked():
        user.locked_until = timezone.now() + timedelta(minutes=settings.LOCKOUT_MINUTES)
        user.save(update_fields=["locked_until"])
        audit_record(
            action="auth.account.locked",
            request=request,
            actor=None,
            obj=user,
            organisation=user.organisation,
            actor_label=user.email,
        )


def signin_succeeded(*, user: User, request: HttpRequest | None) -> None:
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(failed_signins=0, locked_until=None)
        audit_record(action="auth.signin.succeeded", request=request, actor=user, obj=user)


def signin_refused_locked(*, user: User, request: HttpRequest | None) -> None:
    audit_record(
        action="auth.signin.locked_out",
        request=request,
        actor=None,
        obj=user,
        organisation=user.organisation,
        actor_label=user.email,
    )


def signin_refused_inactive(*, user: User, request: HttpRequest | None) -> None:
    """A right password for a deactivated account: refused, and audited."""
    audit_record(
        action="auth.signin.inactive",
        request=request,
        actor=None,
        obj=user,
        organisation=user.organisation,
        actor_label=user.email,
    )


def user_unlock(*, user: User, unlocked_by: User | None) -> None:
    """Lifts a lockout and clears the failure count; the next sign-in starts afresh."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(failed_signins=0, locked_until=None)
        audit_record(
            action="user.unlocked",
            actor=unlocked_by,
            obj=user,
            organisation=user.organisation,
            fields=["failed_signins", "locked_until"],
        )
    user.failed_signins, user.locked_until = 0, None


def signout_recorded(*, user: User, request: HttpRequest | None) -> None:
    audit_record(action="auth.signout", request=request, actor=user, obj=user)


# What allauth reports about a user's own security settings, as audit action codes.
SECURITY_CHANGES = frozenset(
    {
        "auth.password.changed",
        "auth.two_factor.enabled",
        "auth.two_factor.disabled",
        "auth.recovery_codes.generated",
    }
)


def security_change_recorded(*, user: User, request: HttpRequest | None, action: str) -> None:
    """Audits a change the user made to their own password or two-factor settings."""
    if action not in SECURITY_CHANGES:
        raise ValueError(f"Not a security change: {action!r}.")
    audit_record(action=action, request=request, actor=user, obj=user)
