from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """The auditors' pages: browse, filter and export the audit trail, and check its chain.
    The trail itself (model, recording, verification) is core machinery in madad.core.audit."""

    name = "madad.audit"
    verbose_name = _("Audit trail")
