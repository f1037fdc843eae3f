"""Shared model bases and the audit trail."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from madad.core import append_only


class AuditEvent(models.Model):
    """One thing somebody did (or tried), in a hash chain: each row hashes the one before.

    Rows are append-only: database triggers refuse UPDATE and DELETE (core.append_only), and
    `madad audit verify` names the first row whose hash or link no longer holds. Values of
    sensitive fields are never stored here, only field names.
    """

    at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_label = models.CharField(_("actor"), max_length=254, blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=100, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    fields = models.JSONField(_("fields"), default=list, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64, unique=True)

    class Meta:
        db_table = "madad_audit_event"
        ordering = ["-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"


append_only.protect(
    "madad_audit_event", message="audit events are append-only", refuse_truncate=True
)
