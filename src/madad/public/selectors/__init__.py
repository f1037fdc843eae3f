"""Every read of the public site.

Incidents: ``public_incidents(filters=...)``, the one public selector (see .incidents), with
its figures (.figures) and generalised places (.places). Texts: the published fact sheets and
claim checks, and the public incidents they rest on.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from madad.public.models import ClaimCheck, FactSheet, Status
from madad.public.selectors.incidents import (
    PublicFilters,
    PublicIncident,
    PublicIncidents,
    public_incidents,
)

__all__ = [
    "PublicFilters",
    "PublicIncident",
    "PublicIncidents",
    "claimcheck_for_public",
    "factsheet_for_public",
    "incidents_behind",
    "public_incidents",
    "published_claimchecks",
    "published_factsheets",
    "texts_citing",
]


def published_factsheets() -> QuerySet[FactSheet]:
    return FactSheet.objects.filter(status=Status.PUBLISHED).order_by("-approved_at", "-id")


def published_claimchecks() -> QuerySet[ClaimCheck]:
    return ClaimCheck.objects.filter(status=Status.PUBLISHED).order_by("-approved_at", "-id")


def factsheet_for_public(slug: str) -> FactSheet:
    sheet = published_factsheets().filter(slug=slug).first()
    if sheet is None:
        raise Http404
    return sheet


def claimcheck_for_public(slug: str) -> ClaimCheck:
    check = published_claimchecks().filter(slug=slug).first()
    if check is None:
        raise Http404
    return check


def incidents_behind(text: FactSheet | ClaimCheck) -> list[PublicIncident]:
    """The incidents a text links to that are public now: one that has since gone back to
    review (or become confidential) silently drops out."""
    ids = list(text.incidents.values_list("id", flat=True))
    return public_incidents().existing(ids) if ids else []


def texts_citing(incident_id: int) -> tuple[list[FactSheet], list[ClaimCheck]]:
    return (
        list(published_factsheets().filter(incidents=incident_id)),
        list(published_claimchecks().filter(incidents=incident_id)),
    )
