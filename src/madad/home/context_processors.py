"""Navigation by role: a menu shows only what the signed-in user's role may open."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from madad import access
from madad.access.backup import may_manage_backups
from madad.access.intake import may_manage, may_review
from madad.access.roles import Capability
from madad.access.sharing import is_grantee, may_manage_grants, may_see_meeting_requests
from madad.accounts.models import User

# (capability needed, or a rule of the access policy, or None for every signed-in user;
# URL name; label)
_MENU: list[tuple[str | Callable[[User], bool] | None, str, Any]] = [
    (None, "home", _("Home")),
    (Capability.INCIDENT_VIEW, "incidents:list", _("Incidents")),
    (may_review, "intake:inbox", _("Intake")),
    (Capability.PERSON_VIEW, "people:list", _("People")),
    (Capability.LINKAGE_REVIEW, "linkage:queue", _("Duplicates")),
    (Capability.HOUSEHOLD_VIEW, "households:list", _("Households")),
    (Capability.CASE_EDIT, "cases:list", _("Cases")),
    (Capability.CASE_EDIT, "cases:my_day", _("My day")),
    (Capability.ASSISTANCE_APPROVE, "assistance:approvals", _("Approvals")),
    (Capability.CLAIM_VIEW, "claims:list", _("Claims")),
    (Capability.DISBURSEMENT_RECORD, "assistance:disbursements", _("Help in kind")),
    (Capability.REFERRAL_RESPOND, "referrals:list", _("Referrals")),
    (may_manage_grants, "sharing:list", _("Sharing")),
    (may_manage, "intake_setup:index", _("Field forms and devices")),
    (Capability.FUND_VIEW, "fund:overview", _("Fund")),
    (is_grantee, "shared:list", _("Shared with you")),
    (may_see_meeting_requests, "sharing:meetings", _("Meeting requests")),
    (None, "places:list", _("Places")),
    (Capability.PUBLICATION_VIEW, "publications:list", _("Public texts")),
    (Capability.AUDIT_VIEW, "audit:list", _("Audit trail")),
    (Capability.USERS_MANAGE, "accounts:users", _("Users")),
    (Capability.ASSISTANCE_LIMITS, "assistance:limits", _("Assistance limits")),
    (may_manage_backups, "backup:status", _("Backups")),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"menu": []}
    items = []
    for capability, url_name, label in _MENU:
        if capability is None or (
            capability(user) if callable(capability) else access.can(user, capability)
        ):
            url = reverse(url_name)
            active = request.path == url if url == "/" else request.path.startswith(url)
            items.append({"url": url, "label": label, "active": active})
    # one entry is the current one: the longest that leads here (/intake/setup/ is not /intake/)
    current = max((item for item in items if item["active"]), key=_url_length, default=None)
    for item in items:
        item["active"] = item is current
    return {"menu": items}


def _url_length(item: dict[str, Any]) -> int:
    return len(item["url"])
