from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackupConfig(AppConfig):
    """Backups of the whole instance: `madad backup keygen|create|restore|drill|due`, the
    scheduled tasks, and the administrators' page of their state."""

    name = "madad.backup"
    verbose_name = _("Backups")

    def ready(self) -> None:
        from madad.backup import deploy_checks  # noqa: F401 (registers the check)
