"""Who may see testimonies and consent records, and which of their fields.

- Testimonies belong to the relief organisation that recorded them. Its staff whose role carries
  ``testimony.view`` read them, and only those whose person (and incident, when there is one)
  they may also see. Partner organisations never do (404), whatever their role.
- The transcript is sensitive: it is encrypted at rest, and every read of it goes through
  ``access.reveal`` and is audited as ``testimony.transcript.viewed``.
- Recording a testimony needs ``testimony.edit``; recording consent needs ``consent.record``.
- Consent records are read by anyone who may read testimonies or record consent. Whether a
  consent *covers* a use is answered by the service ``consent_covers``, which the capabilities
  that share records call; it is not an access question.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from madad.access.base import Rules, can, in_relief_org
from madad.access.roles import Capability
from madad.accounts.models import User


def _same_organisation(user: User, obj: Any) -> bool:
    return in_relief_org(user) and obj.organisation_id == user.organisation_id


class TestimonyRules(Rules):
    def visible(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if not (can(user, Capability.TESTIMONY_VIEW) and in_relief_org(user)):
            return queryset.none()
        from madad.access import visible_to
        from madad.incidents.models import Incident
        from madad.people.models import Person

        return queryset.filter(
            Q(incident__isnull=True) | Q(incident__in=visible_to(user, Incident).values("pk")),
            organisation_id=user.organisation_id,
            person__in=visible_to(user, Person).values("pk"),
        )

    def can_change(self, user: User, obj: Any) -> bool:
        return can(user, Capability.TESTIMONY_EDIT) and _same_organisation(user, obj)


class ConsentRules(Rules):
    def visible(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        may_read = can(user, Capability.TESTIMONY_VIEW) or can(user, Capability.CONSENT_RECORD)
        if not (may_read and in_relief_org(user)):
            return queryset.none()
        from madad.access import visible_to
        from madad.people.models import Person

        return queryset.filter(
            organisation_id=user.organisation_id, person__in=visible_to(user, Person).values("pk")
        )

    def can_change(self, user: User, obj: Any) -> bool:
        # "Changing" consent means recording a new decision; rows themselves never change.
        return can(user, Capability.CONSENT_RECORD) and _same_organisation(user, obj)


RULES: dict[str, Rules] = {
    "testimonies.testimony": TestimonyRules(
        public_fields=frozenset(
            {"id", "person", "incident", "date", "language", "recorded_by", "recorded_at"}
        ),
        restricted_fields={"transcript": Capability.TESTIMONY_VIEW},
    ),
    "testimonies.consentrecord": ConsentRules(
        public_fields=frozenset(
            {
                "id",
                "person",
                "testimony",
                "purpose",
                "recipient",
                "decision",
                "date",
                "recorded_by",
                "recorded_at",
            }
        ),
    ),
}
