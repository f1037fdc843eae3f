"""Who may see the record-linkage queue: possible duplicates, merges and batch runs.

Documenters and verifiers of a relief organisation (``linkage.review``) review the pairs of
their own organisation; nobody else sees them, partners never. Incident pairs also need
incidents to exist for the user. Imported record ids go with the persons they belong to.
Blocking keys are visible to nobody: they are an index, read only by the matcher.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from madad.access.base import Rules, can, in_relief_org, is_staff_user
from madad.access.incidents import may_see_incidents
from madad.access.roles import Capability
from madad.accounts.models import User


def may_review(user: Any) -> bool:
    """Whether the duplicate queue exists at all for this user."""
    return (
        is_staff_user(user)
        and can(user, Capability.LINKAGE_REVIEW)
        and can(user, Capability.PERSON_VIEW)
        and in_relief_org(user)
    )


class ReviewRules(Rules):
    needs_incidents: bool = False

    def visible(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if may_review(user) and (not self.needs_incidents or may_see_incidents(user)):
            return queryset.filter(organisation_id=user.organisation_id)
        return queryset.none()

    def can_change(self, user: User, obj: Any) -> bool:
        return may_review(user) and obj.organisation_id == user.organisation_id


class IncidentPairRules(ReviewRules):
    needs_incidents = True


class RecordIdRules(Rules):
    def visible(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if can(user, Capability.PERSON_VIEW) and in_relief_org(user):
            return queryset.filter(organisation_id=user.organisation_id)
        return queryset.none()


RULES: dict[str, Rules] = {
    "linkage.personpair": ReviewRules(
        public_fields=frozenset(
            {
                "id",
                "person_a_id",
                "person_b_id",
                "probability",
                "weight",
                "evidence",
                "found_by",
                "found_at",
                "status",
                "decided_by",
                "decided_at",
            }
        ),
    ),
    "linkage.incidentpair": IncidentPairRules(
        public_fields=frozenset(
            {
                "id",
                "incident_a",
                "incident_b",
                "score",
                "evidence",
                "found_by",
                "found_at",
                "status",
                "relation",
                "decided_by",
                "decided_at",
            }
        ),
    ),
    "linkage.mergerecord": ReviewRules(
        public_fields=frozenset(
            {
                "id",
                "pair",
                "kept_person_id",
                "merged_person_id",
                "merged_by",
                "merged_at",
                "undone_by",
                "undone_at",
            }
        ),
    ),
    "linkage.linkagerun": ReviewRules(
        public_fields=frozenset(
            {
                "id",
                "kind",
                "status",
                "requested_by",
                "requested_at",
                "started_at",
                "finished_at",
                "progress",
                "threshold",
                "records",
                "candidates",
                "pairs_found",
                "error",
            }
        ),
    ),
    "linkage.personrecordid": RecordIdRules(
        public_fields=frozenset({"id", "person", "record_id", "place", "imported_at"}),
    ),
}
