"""Reads about grants for the relief organisation's own staff."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from madad import access
from madad.access.sharing import consent_covers_record, may_manage_grants
from madad.accounts.models import User
from madad.sharing.models import Grant, GrantedRecord
from madad.testimonies.models import Testimony


@dataclass(frozen=True)
class SharedIn:
    """A grant that holds a testimony (or a file attached to it, or its incident)."""

    grant: Grant
    in_force: bool  # approved, and today between its dates
    consent_holds: bool  # the consent of the people in it covers this grant today
    may_open: bool  # the user may open the grant's page (its coordinators)


def grants_including(*, user: User, testimony: Testimony) -> list[SharedIn]:
    """The grants, not ended, that include this testimony, for anyone who may see the
    testimony — so that the family's caseworker knows who can read it. Empty for a testimony
    the user may not see."""
    if not access.visible_to(user, Testimony).filter(pk=testimony.pk).exists():
        return []
    holds = Q(testimony=testimony) | Q(evidence__testimony=testimony)
    if testimony.incident_id is not None:
        holds |= Q(incident_id=testimony.incident_id)
    records = (
        GrantedRecord.objects.filter(holds, grant__organisation_id=testimony.organisation_id)
        .filter(grant__status__in=[Grant.Status.PENDING, Grant.Status.APPROVED])
        .select_related("grant__grantee", "testimony", "incident", "evidence__testimony")
        .order_by("-grant__valid_until", "grant_id", "pk")
    )
    manager = may_manage_grants(user)
    found: dict[int, SharedIn] = {}
    today = timezone.localdate()
    for record in records:
        if record.grant_id in found:
            continue
        grant = record.grant
        found[grant.pk] = SharedIn(
            grant=grant,
            in_force=grant.in_force_on(today),
            consent_holds=consent_covers_record(grant, record),
            may_open=manager,
        )
    return list(found.values())
