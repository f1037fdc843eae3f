"""What the public may see, and who on the staff may write and approve what is published.

The public site (anyone, signed in or not) reads incidents only through
``madad.public.selectors.public_incidents``, which is built on the rules below and nothing else:

- **Which incidents.** Verified incidents of a relief organisation whose confidentiality is not
  "confidential". Confidentiality governs publication (see access.incidents); a confidential
  incident counts nowhere in public, not even in a total.
- **Which fields.** Only the columns named here are ever selected (``values()``, never model
  instances), so no encrypted field is even decrypted on the way to a public page: not the
  title (a working title may name the victim), not the description, not a person, a source's
  name or an alleged perpetrator. Victims' sex and age are read only to be counted.
- **Where.** Never the recorded coordinates: an incident shows at the centroid of its place,
  made coarser as its location precision says ("exact" and "neighbourhood": the
  neighbourhood; "town": the town; "district": the district). An unknown precision is treated
  as the coarsest.
- **Small numbers.** Any public count of victims broken down by a personal attribute (sex, age
  group) below ``MADAD_PUBLIC_MIN_COUNT`` (default 5) shows as "fewer than 5"; when that would
  let a reader work the number out from a total, the next smallest count is withheld too.

Staff rules: fact sheets and claim checks belong to the organisation that wrote them; its
staff with ``publication.view`` see them, writers change drafts, approvers publish (services add
the four-eyes rule).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from madad.access.base import Rules, can, in_relief_org, is_staff_user
from madad.access.roles import Capability
from madad.accounts.models import Organisation, User

# --- Incidents ------------------------------------------------------------------------------
PUBLISHED_STATUS = "verified"
NEVER_PUBLISHED_CONFIDENTIALITY = ("confidential",)

# The only columns a public page or export ever reads, per model.
PUBLIC_INCIDENT_COLUMNS = (
    "id",
    "start_date",
    "start_precision",
    "end_date",
    "end_precision",
    "place_id",
    "location_precision",
    "public_summary",
    "verified_at",
)
# Victims are counted (per act type, per incident); `victim_id` only to count people once.
PUBLIC_ACT_COLUMNS = ("incident_id", "act_type", "victim_id")
# Read only to be aggregated and then suppressed below the threshold.
PUBLIC_VICTIM_ATTRIBUTES = ("sex", "age")
# The kind of a source, never its name, person, notes, FIR number or police station.
PUBLIC_SOURCE_COLUMNS = ("incident_id", "kind")
PUBLIC_PLACE_COLUMNS = (
    "id",
    "code",
    "name",
    "name_ur",
    "level",
    "parent_id",
    "latitude",
    "longitude",
)
PUBLIC_TYPE_COLUMNS = ("id", "code", "name", "name_ur", "position")


def publishable_incidents_q(prefix: str = "") -> Q:
    """The condition every public incident meets; `prefix` for lookups through a relation
    (e.g. "incident__")."""
    return Q(
        **{
            f"{prefix}status": PUBLISHED_STATUS,
            f"{prefix}organisation__kind": Organisation.Kind.RELIEF,
        }
    ) & ~Q(**{f"{prefix}confidentiality__in": NEVER_PUBLISHED_CONFIDENTIALITY})


def publishable_incidents() -> QuerySet[Any]:
    """Every incident the public may count or read (columns: see PUBLIC_INCIDENT_COLUMNS)."""
    from madad.incidents.models import Incident

    return Incident.objects.filter(publishable_incidents_q())


# --- Places: how coarse a public position is --------------------------------------------------
LEVEL_RANK = {"neighbourhood": 0, "town": 1, "district": 2, "city": 3}
_PRECISION_LEVEL = {
    "exact": "neighbourhood",
    "neighbourhood": "neighbourhood",
    "town": "town",
    "district": "district",
}
LOCATION_PRECISIONS = tuple(_PRECISION_LEVEL)


def public_level(location_precision: str) -> str:
    """The finest gazetteer level at which an incident of this precision may be shown."""
    return _PRECISION_LEVEL.get(location_precision, "district")


# --- Small counts -----------------------------------------------------------------------------
def min_count() -> int:
    return max(1, int(getattr(settings, "MADAD_PUBLIC_MIN_COUNT", 5)))


@dataclass(frozen=True)
class PublicCount:
    """A count of people broken down by a personal attribute, as the public may see it."""

    value: int | None  # None when not shown
    fewer_than: int | None = None  # set when suppressed for being small
    withheld: bool = False  # set when suppressed so that a small one cannot be worked out

    @property
    def shown(self) -> bool:
        return self.value is not None

    def __str__(self) -> str:
        if self.value is not None:
            return str(self.value)
        if self.fewer_than is not None:
            return _("fewer than %(n)s") % {"n": self.fewer_than}
        return _("not shown")

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"count": self.value}
        if self.fewer_than is not None:
            data["fewer_than"] = self.fewer_than
        if self.withheld:
            data["withheld"] = True
        return data


def suppress(counts: dict[str, int], *, threshold: int | None = None) -> dict[str, PublicCount]:
    """The public form of one breakdown of people by a personal attribute.

    Counts from 1 to threshold - 1 become "fewer than <threshold>". If exactly one count was
    suppressed, a reader could work it out from the total and the others, so the smallest
    other non-zero count is withheld too. Zero is shown: it singles nobody out.
    """
    threshold = threshold or min_count()
    public = {
        key: PublicCount(value=n)
        if n == 0 or n >= threshold
        else PublicCount(value=None, fewer_than=threshold)
        for key, n in counts.items()
    }
    small = [key for key, n in counts.items() if 0 < n < threshold]
    if len(small) == 1:
        others = sorted((n, key) for key, n in counts.items() if n >= threshold)
        if others:
            public[others[0][1]] = PublicCount(value=None, withheld=True)
    return public


# --- Staff: fact sheets and claim checks ----------------------------------------------------
def may_see_publications(user: Any) -> bool:
    return is_staff_user(user) and can(user, Capability.PUBLICATION_VIEW) and in_relief_org(user)


def may_write(user: Any, capability: str) -> bool:
    return may_see_publications(user) and can(user, capability)


class PublicationRules(Rules):
    write_capability: str = ""

    def visible(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if may_see_publications(user):
            return queryset.filter(organisation_id=user.organisation_id)
        return queryset.none()

    def can_change(self, user: User, obj: Any) -> bool:
        return (
            may_write(user, self.write_capability) and obj.organisation_id == user.organisation_id
        )


class FactSheetRules(PublicationRules):
    write_capability = Capability.FACTSHEET_WRITE


class ClaimCheckRules(PublicationRules):
    write_capability = Capability.CLAIMCHECK_WRITE


_WORKFLOW = frozenset(
    {
        "id",
        "slug",
        "status",
        "organisation",
        "created_by",
        "created_at",
        "updated_by",
        "updated_at",
        "submitted_by",
        "submitted_at",
        "approved_by",
        "approved_at",
        "returned_reason",
        "incidents",
        "version",
    }
)

RULES: dict[str, Rules] = {
    "public.factsheet": FactSheetRules(
        public_fields=_WORKFLOW
        | {"title_en", "title_ur", "summary_en", "summary_ur", "body_en", "body_ur"}
    ),
    "public.claimcheck": ClaimCheckRules(
        public_fields=_WORKFLOW
        | {
            "claim_en",
            "claim_ur",
            "claimant",
            "claim_date",
            "claim_url",
            "rating",
            "explanation_en",
            "explanation_ur",
            "factsheets",
        }
    ),
}
