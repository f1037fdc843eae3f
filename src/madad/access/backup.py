"""Who may see the state of the instance's backups and start one: an administrator of a relief
organisation. A backup holds every organisation's data, so a partner organisation's
administrator has no say in it (and no backup ever leaves through the web: there is no
download)."""

from __future__ import annotations

from madad.access.base import can
from madad.access.roles import Capability
from madad.accounts.models import Organisation, User


def may_manage_backups(user: User) -> bool:
    return (
        can(user, Capability.BACKUP_MANAGE) and user.organisation.kind == Organisation.Kind.RELIEF
    )
