"""Who may see evidence files and their chain of custody, and which of their fields.

- Evidence belongs to the relief organisation that holds it. Its staff whose role carries
  ``evidence.view`` list, open and download the files of incidents they may see; partner
  organisations never do (404), whatever their role.
- Uploading needs ``evidence.upload``; making a copy that leaves the organisation (metadata
  stripped) needs ``evidence.export``.
- The original file name and the description often name a person or a place: they are
  encrypted at rest and read through ``access.reveal``, which audits the read.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from madad.access.base import Rules, can, in_relief_org
from madad.access.roles import Capability
from madad.accounts.models import User


def _visible_files(user: User, queryset: QuerySet[Any], prefix: str = "") -> QuerySet[Any]:
    if not (can(user, Capability.EVIDENCE_VIEW) and in_relief_org(user)):
        return queryset.none()
    from madad.access import visible_to
    from madad.incidents.models import Incident

    return queryset.filter(
        **{
            f"{prefix}organisation_id": user.organisation_id,
            f"{prefix}incident__in": visible_to(user, Incident).values("pk"),
        }
    )


class EvidenceRules(Rules):
    def visible(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return _visible_files(user, queryset)

    def can_change(self, user: User, obj: Any) -> bool:
        return (
            can(user, Capability.EVIDENCE_UPLOAD)
            and in_relief_org(user)
            and obj.organisation_id == user.organisation_id
        )


class CustodyRules(Rules):
    def visible(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return _visible_files(user, queryset, prefix="evidence__")


RULES: dict[str, Rules] = {
    "evidence.evidencefile": EvidenceRules(
        public_fields=frozenset(
            {
                "id",
                "incident",
                "testimony",
                "kind",
                "content_type",
                "size",
                "sha256",
                "uploaded_by",
                "uploaded_at",
            }
        ),
        restricted_fields={
            "original_name": Capability.EVIDENCE_VIEW,
            "description": Capability.EVIDENCE_VIEW,
        },
    ),
    "evidence.custodyentry": CustodyRules(
        public_fields=frozenset({"id", "evidence", "action", "by", "at", "sha256"}),
    ),
}
