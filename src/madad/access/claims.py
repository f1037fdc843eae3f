"""Who may see government compensation claims, and who may change them.

- A claim belongs to a case: a role with ``claim.view`` sees the claims of the cases it can see
  (see madad.access.cases). Partners, finance, administrators and auditors see none (404).
- Filing a claim, changing its status and attaching documents need ``claim.edit`` on a claim
  (or case) the user can see.
- A claim's documents are evidence files of the incident the claim is for. Whoever sees the
  claim sees the list of its documents and may download them through the claim (the download
  is verified against the file's SHA-256 and enters its custody log); the evidence pages
  themselves stay for roles with ``evidence.view``.
- The authority's file number identifies the family at the authority: it is encrypted and read
  through ``access.reveal`` (audited).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from madad.access.base import Rules, can, in_relief_org, is_staff_user
from madad.access.cases import case_visibility
from madad.access.roles import Capability
from madad.accounts.models import User


def may_see_claims(user: Any) -> bool:
    return is_staff_user(user) and in_relief_org(user) and can(user, Capability.CLAIM_VIEW)


def may_edit_claims(user: Any) -> bool:
    return may_see_claims(user) and can(user, Capability.CLAIM_EDIT)


class ClaimRules(Rules):
    case_path = "case"

    def visible(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if not may_see_claims(user):
            return queryset.none()
        condition = case_visibility(user, prefix=f"{self.case_path}__")
        return queryset.none() if condition is None else queryset.filter(condition)

    def can_change(self, user: User, obj: Any) -> bool:
        if not may_edit_claims(user):
            return False
        return self.visible(user, type(obj)._default_manager.filter(pk=obj.pk)).exists()


class ClaimHistoryRules(ClaimRules):
    case_path = "claim__case"

    def can_change(self, user: User, obj: Any) -> bool:
        return False  # the history is written by the claim's services only


RULES: dict[str, Rules] = {
    "claims.claim": ClaimRules(
        public_fields=frozenset(
            {
                "id",
                "case",
                "incident",
                "scheme",
                "authority",
                "authority_reference",
                "filed_on",
                "amount_claimed",
                "amount_awarded",
                "status",
                "next_action_on",
                "next_action",
                "documents",
                "created_by",
                "created_at",
                "updated_at",
                "version",
            }
        ),
    ),
    "claims.claimstatuschange": ClaimHistoryRules(
        public_fields=frozenset({"id", "claim", "from_status", "to_status", "by", "at", "note"}),
    ),
}
