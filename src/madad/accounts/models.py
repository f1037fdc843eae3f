"""Users and the organisations they belong to."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from madad.accounts.roles import Role
from madad.core.links import link


class Organisation(models.Model):
    """The relief organisation that runs Madad, or one of its partners."""

    class Kind(models.TextChoices):
        RELIEF = "relief", _("Relief organisation")
        NGO = "ngo", _("Partner NGO")
        LEGAL_AID = "legal_aid", _("Legal aid")
        HOSPITAL = "hospital", _("Hospital")
        HUMAN_RIGHTS = "human_rights", _("Human-rights organisation")
        DELEGATION = "delegation", _("Visiting delegation")

    name = models.CharField(_("name"), max_length=200, unique=True)
    name_ur = models.CharField(_("name in Urdu"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    @property
    def is_partner(self) -> bool:
        return self.kind != self.Kind.RELIEF


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("A user needs an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        raise NotImplementedError(
            "Madad has no superusers: create an administrator with `madad users create`."
        )


class User(AbstractBaseUser, PermissionsMixin):
    """A staff member of one organisation, with one role."""

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    organisation = link(Organisation, _("organisation"), related_name="users")
    # Empty until a role is granted: an invited user whose role waits for a second person's
    # approval holds none (see RoleRequest).
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    failed_signins = models.PositiveSmallIntegerField(_("failed sign-ins in a row"), default=0)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def is_staff(self) -> bool:
        # Madad has no Django admin site; staff work happens in Madad's own views.
        return False

    def is_locked(self, now: datetime | None = None) -> bool:
        return self.locked_until is not None and self.locked_until > (now or timezone.now())


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only its SHA-256 is stored; it expires and can be
    revoked."""

    user = link(User, related_name="api_tokens", on_delete=models.CASCADE)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"API token #{self.pk}"


class UnknownAddress(models.Model):
    """Failed sign-ins with an address that belongs to no account, counted like an account's
    own (User.failed_signins), so that an unknown address locks after the same number of
    failures and answers as a locked account does: the answers do not tell which addresses
    have accounts. Only a keyed digest of the address is kept."""

    digest = models.CharField(max_length=64, unique=True)
    failed_signins = models.PositiveSmallIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("unknown sign-in address")
        verbose_name_plural = _("unknown sign-in addresses")

    def __str__(self) -> str:
        return f"unknown address #{self.pk}"


class Invitation(models.Model):
    """A single-use, expiring link with which an invited user sets their own password: the
    administrator who invited them never knows it. Only the link's SHA-256 is stored."""

    user = link(User, related_name="invitations", on_delete=models.CASCADE)
    digest = models.CharField(max_length=64, unique=True)
    created_by = link(User, null=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"invitation #{self.pk}"


class RoleRequest(models.Model):
    """A role asked for a user that opens personal data (or the approving of such requests):
    it takes effect only when a second person of the organisation approves it, never the one
    who asked. Until then the user keeps their old role (none, when newly invited)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    user = link(User, related_name="role_requests", on_delete=models.CASCADE)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    # None when asked from the command line (by whoever runs the server, outside the web)
    requested_by = link(User, null=True)
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = link(User, null=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "pk"]
        verbose_name = _("role request")
        verbose_name_plural = _("role requests")
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(status="pending"),
                name="accounts_one_pending_role_request_per_user",
            ),
            models.CheckConstraint(
                condition=models.Q(decided_by__isnull=True)
                | ~models.Q(decided_by=models.F("requested_by")),
                name="accounts_role_request_decided_by_another",
            ),
        ]

    def __str__(self) -> str:
        return f"role request #{self.pk}"
