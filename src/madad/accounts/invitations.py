"""Invitation links: how an invited user sets their own password.

A link is single-use and expires; only its SHA-256 is stored, so the raw link exists once, in
the answer to whoever invited. Accepting it sets the password the user chose; the user then
signs in and enrols two-factor sign-in (settings.REQUIRE_MFA).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from madad.accounts.models import Invitation, User
from madad.core.audit import audit_record
from madad.core.refusals import Conflict, Errors, NotVisible

PREFIX = "inv_"


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("ascii", "replace")).hexdigest()


def invitation_create(*, user: User, invited_by: User | None) -> str:
    """A new link for the user; their earlier unused links stop working. Returns the raw
    token (shown once)."""
    now = timezone.now()
    raw = PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        Invitation.objects.filter(user=user, used_at__isnull=True).update(expires_at=now)
        invitation = Invitation.objects.create(
            user=user,
            digest=_digest(raw),
            created_by=invited_by,
            expires_at=now + timedelta(hours=settings.INVITATION_HOURS),
        )
        audit_record(
            action="user.invitation.created",
            actor=invited_by,
            obj=invitation,
            organisation=user.organisation,
        )
    return raw


def invitation_open(raw: str) -> Invitation:
    """The unused, unexpired invitation of an active user the link stands for; NotVisible
    otherwise (an unknown, used and expired link look the same)."""
    invitation = (
        Invitation.objects.select_related("user", "user__organisation")
        .filter(
            digest=_digest(raw),
            used_at__isnull=True,
            expires_at__gt=timezone.now(),
            user__is_active=True,
        )
        .first()
    )
    if invitation is None:
        raise NotVisible(
            _("This invitation link is not valid: it was used already or it expired."),
            code="invitation_invalid",
        )
    return invitation


def invitation_accept(*, raw: str, password: str, password_again: str) -> User:
    """Sets the invited user's own password, once: a link used or expired meanwhile, or a weak
    password or two that differ, changes nothing."""
    invitation = invitation_open(raw)
    user = invitation.user
    errors = Errors()
    if password != password_again:
        errors.add("password2", _("The two passwords are not the same."))
    else:
        try:
            validate_password(password, user=user)
        except ValidationError as error:
            for message in error.messages:
                errors.add("password1", message)
    errors.raise_if()
    with transaction.atomic():
        used = Invitation.objects.filter(pk=invitation.pk, used_at__isnull=True).update(
            used_at=timezone.now()
        )
        if not used:
            raise Conflict(_("This invitation link was used already."), code="invitation_used")
        user.set_password(password)
        user.save(update_fields=["password"])
        audit_record(
            action="user.invitation.accepted",
            actor=user,
            obj=invitation,
            organisation=user.organisation,
        )
    return user
