"""Roles and what each may do. The access policy (core.access) is the only reader of this table.

A capability is a short code; a role is a set of capabilities. Adding a capability to a role here
is the whole change needed to grant it everywhere: views, API, exports.
"""

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


class Capability:
    USERS_MANAGE = "users.manage"
    AUDIT_VIEW = "audit.view"
    AUDIT_EXPORT = "audit.export"
    PERSON_VIEW = "person.view"
    PERSON_IDENTITY_VIEW = "person.identity.view"
    PERSON_EDIT = "person.edit"
    PERSON_EXPORT = "person.export"


_STAFF_READ = {Capability.PERSON_VIEW}

CAPABILITIES: dict[str, frozenset[str]] = {
    Role.ADMINISTRATOR: frozenset({Capability.USERS_MANAGE, Capability.AUDIT_VIEW}),
    Role.COORDINATOR: frozenset(
        _STAFF_READ
        | {Capability.PERSON_IDENTITY_VIEW, Capability.PERSON_EDIT, Capability.PERSON_EXPORT}
    ),
    Role.DOCUMENTER: frozenset(
        _STAFF_READ | {Capability.PERSON_IDENTITY_VIEW, Capability.PERSON_EDIT}
    ),
    Role.VERIFIER: frozenset(_STAFF_READ | {Capability.PERSON_IDENTITY_VIEW}),
    Role.CASEWORKER: frozenset(
        _STAFF_READ | {Capability.PERSON_IDENTITY_VIEW, Capability.PERSON_EDIT}
    ),
    Role.FINANCE: frozenset(),
    Role.AUDITOR: frozenset({Capability.AUDIT_VIEW, Capability.AUDIT_EXPORT}),
    Role.PARTNER: frozenset(),
}


def capabilities_of(role: str) -> frozenset[str]:
    return CAPABILITIES.get(role, frozenset())
