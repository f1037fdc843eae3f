"""One shape for a record's status history: every move, who made it, when, and why."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class StatusChange(models.Model):
    """A move of a record from one status to another. Subclasses add the foreign key to the
    record and may redeclare `from_status` and `to_status` with the record's choices."""

    from_status = models.CharField(_("from"), max_length=20, blank=True)  # blank: created
    to_status = models.CharField(_("to"), max_length=20)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]
