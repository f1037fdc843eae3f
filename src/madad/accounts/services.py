"""Writes about users and sign-in. Each function is one use case and one transaction."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from madad.accounts.models import Organisation, User
from madad.accounts.roles import Role
from madad.core.audit import audit_record


def organisation_create(*, name: str, kind: str, name_ur: str = "") -> Organisation:
    with transaction.atomic():
        organisation = Organisation.objects.create(name=name, kind=kind, name_ur=name_ur)
        audit_record(action="organisation.created", obj=organisation, organisation=organisation)
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
    """Creates an active user. A partner organisation's users always get the partner role, and
    the relief organisation's users never do."""
    if role not in Role.values:
        raise ValueError(f"Unknown role {role!r}.")
    if organisation.is_partner != (role == Role.PARTNER):
        raise ValueError("Partner organisations have partner users, and only they do.")
    if check_password:
        validate_password(password)
    with transaction.atomic():
        user = User.objects.create_user(
            email=email, password=password, full_name=full_name,
            organisation=organisation, role=role,
        )
        audit_record(
            action="user.created", actor=created_by, obj=user, organisation=organisation,
            fields=["email", "full_name", "role"],
        )
    return user


def signin_failed(*, email: str, request: HttpRequest | None) -> User | None:
    """Counts a failed password for the account (if it exists) and locks it at the limit.

    The count is incremented in the database (not read-modify-write in Python), so concurrent
    failures from several app servers all count.
    """
    email = (email or "").strip().lower()
    with transaction.atomic():
        user = User.objects.filter(email=email).first()
        audit_record(
            action="auth.signin.failed", request=request, actor=None,
            organisation=user.organisation if user else None,
            obj=user, actor_label=email[:254],
        )
        if user is None:
            return None
        User.objects.filter(pk=user.pk).update(failed_signins=F("failed_signins") + 1)
        user.refresh_from_db(fields=["failed_signins", "locked_until"])
        if user.failed_signins >= settings.LOCKOUT_ATTEMPTS and not user.is_locked():
            user.locked_until = timezone.now() + timedelta(minutes=settings.LOCKOUT_MINUTES)
            user.save(update_fields=["locked_until"])
            audit_record(action="auth.account.locked", request=request, actor=None, obj=user,
                         organisation=user.organisation, actor_label=email[:254])
    return user


def signin_succeeded(*, user: User, request: HttpRequest | None) -> None:
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(failed_signins=0, locked_until=None)
        audit_record(action="auth.signin.succeeded", request=request, actor=user, obj=user)


def signin_refused_locked(*, user: User, request: HttpRequest | None) -> None:
    audit_record(action="auth.signin.locked_out", request=request, actor=None, obj=user,
                 organisation=user.organisation, actor_label=user.email)


def user_unlock(*, user: User, unlocked_by: User) -> None:
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(failed_signins=0, locked_until=None)
        audit_record(action="user.unlocked", actor=unlocked_by, obj=user)


def signout_recorded(*, user: User, request: HttpRequest | None) -> None:
    audit_record(action="auth.signout", request=request, actor=user, obj=user)
