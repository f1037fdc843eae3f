from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from madad.core.links import user_link


class BackupRun(models.Model):
    """One backup, drill or restore that ran to its end, with its outcome. The detail says what
    was checked or why it failed; it never holds personal data (names of tables, counts)."""

    class Kind(models.TextChoices):
        BACKUP = "backup", _("Backup")
        DRILL = "drill", _("Restore drill")
        RESTORE = "restore", _("Restore")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"))
    ok = models.BooleanField(_("succeeded"))
    file = models.CharField(_("file"), max_length=200, blank=True)
    size = models.BigIntegerField(_("size in bytes"), default=0)
    detail = models.TextField(_("detail"), max_length=1000, blank=True)
    requested_by = user_link(_("requested by"), null=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["-finished_at", "-id"]
        indexes = [models.Index(fields=["kind", "ok", "-finished_at"], name="backup_run_latest")]

    def __str__(self) -> str:
        return f"{self.kind} {self.finished_at:%Y-%m-%d %H:%M}"
