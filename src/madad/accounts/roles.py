"""The names of the roles a user can hold. What each role may do is policy, kept in
madad.access.roles (the access policy is its only reader)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    COORDINATOR = "coordinator", _("Coordinator")
    DOCUMENTER = "documenter", _("Documenter")
    VERIFIER = "verifier", _("Verifier")
    CASEWORKER = "caseworker", _("Caseworker")
    FINANCE = "finance", _("Finance officer")
    AUDITOR = "auditor", _("Auditor")
    PARTNER = "partner", _("Partner")
