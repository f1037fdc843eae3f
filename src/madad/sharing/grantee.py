"""What a grantee reads of a grant, beyond the fields the access policy reveals: who the people
in it are (a pseudonym given within the grant, never a name), where an incident happened (its
town or district, never a neighbourhood or coordinates), how many people were affected by each
kind of act, what a case summary counts (assistance by kind, referrals and claims by status,
never an amount, a partner or a date finer than a month), and which records may be
downloaded.

Nothing here decides whether a record is shown: the callers have already asked the access
policy (madad.access.visible_to, get_visible_or_404, reveal_granted). These functions read
only person ids and counts, never a name, identity number, phone, address, source or alleged
perpetrator.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from madad.access.sharing import household_people
from madad.assistance.models import Assistance, Kind
from madad.claims.models import Claim
from madad.incidents.models import Act
from madad.places.models import Place
from madad.referrals.models import Referral
from madad.sharing.models import Grant, GrantedRecord

# The levels a grantee may see an incident's place at, the finest first.
_GENERAL_LEVELS = (Place.Level.TOWN, Place.Level.DISTRICT, Place.Level.CITY)

# Evidence a grantee may take away: images, copied without their metadata and stamped with the
# download's identifier. Documents, sound and video keep metadata nothing here removes reliably
# (evidence.services.evidence_export_copy refuses them for the same reason).
DOWNLOADABLE_IMAGES = ("image/jpeg", "image/png")


def _letters(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA, 27 → AB…"""
    letters = ""
    number = index + 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def pseudonym(index: int) -> str:
    return _("Person %(letter)s") % {"letter": _letters(index)}


def _persons_by_record(grant: Grant) -> list[tuple[int, list[int]]]:
    """Each of the grant's records (by id, in order) with the ids of the people it names: a
    testimony its giver, an incident its victims, an evidence file its testimony's giver, a
    case the people of its household."""
    records = list(
        grant.records.order_by("pk").values_list(
            "pk",
            "testimony__person_id",
            "incident_id",
            "evidence__testimony__person_id",
            "case_id",
        )
    )
    victims: dict[int, list[int]] = {}
    incident_ids = [incident_id for _pk, _t, incident_id, _e, _c in records if incident_id]
    acts = Act.objects.filter(incident_id__in=incident_ids).order_by("pk")
    for incident_id, victim_id in acts.values_list("incident_id", "victim_id"):
        victims.setdefault(incident_id, []).append(victim_id)
    families = household_people([case_id for *_rest, case_id in records if case_id])
    named = []
    for pk, giver, incident_id, evidence_giver, case_id in records:
        people = [giver] if giver else []
        people += victims.get(incident_id, []) if incident_id else []
        people += [evidence_giver] if evidence_giver else []
        people += families.get(case_id, []) if case_id else []
        named.append((pk, people))
    return named


def pseudonyms(grant: Grant) -> dict[int, str]:
    """Person id → "Person A", "Person B"…, numbered within this grant in the order of the
    first granted record that names them, so that a person keeps their pseudonym on every page
    of the grant (and across reads) while the grant's records stay the same. The numbering
    runs over all the grant's records, so that a withdrawal of consent for one record does not
    rename the people of another."""
    return _numbered(_persons_by_record(grant))


def _numbered(named: list[tuple[int, list[int]]]) -> dict[int, str]:
    numbered: dict[int, str] = {}
    for _pk, people in named:
        for person_id in people:
            if person_id not in numbered:
                numbered[person_id] = pseudonym(len(numbered))
    return numbered


def people_by_record(grant: Grant) -> dict[int, list[str]]:
    """Granted record id → the pseudonyms of the people it names (each once, in order)."""
    named = _persons_by_record(grant)
    names = _numbered(named)
    return {
        pk: list(dict.fromkeys(names[person_id] for person_id in people)) for pk, people in named
    }


def general_place(place: Place | None) -> Place | None:
    """The incident's place at the level a grantee may see: its town, else its district, else
    its city; never a neighbourhood."""
    if place is None:
        return None
    for level in _GENERAL_LEVELS:
        found = place.ancestor(level)
        if found is not None:
            return found
    return None


def people_affected(incident_ids: Iterable[int]) -> dict[int, list[tuple[str, int]]]:
    """For each incident, how many people were affected by each kind of act (counts only)."""
    labels = dict(Act.Type.choices)
    counts: dict[int, list[tuple[str, int]]] = {}
    rows = (
        Act.objects.filter(incident_id__in=list(incident_ids))
        .values("incident_id", "act_type")
        .annotate(people=Count("victim_id", distinct=True))
        .order_by("incident_id", "act_type")
    )
    for row in rows:
        label = str(labels.get(row["act_type"], row["act_type"]))
        counts.setdefault(row["incident_id"], []).append((label, row["people"]))
    return counts


def month_of(value: dt.datetime | None) -> dt.date | None:
    """A case's date as the grantee may know it: the first day of its month (local time), so
    that no page, file or answer can show the day."""
    if value is None:
        return None
    return timezone.localtime(value).date().replace(day=1)


# Assistance a case summary counts: what was approved or delivered (never what was only asked
# for or was cancelled).
_ASSISTANCE_COUNTED = (
    Assistance.Status.APPROVED,
    Assistance.Status.DISBURSED,
    Assistance.Status.RECEIPT_CONFIRMED,
)


def _counts(rows: Iterable[dict[str, Any]], key: str) -> dict[str, int]:
    return {row[key]: row["count"] for row in rows}


def case_summary(case_id: int) -> dict[str, dict[str, int]]:
    """What a case summary counts, read from the case's id alone: assistance approved or
    delivered by kind, referrals by status, claims by status. Counts only: never an amount, a
    description, a partner, a scheme or a date."""
    assistance = (
        Assistance.objects.filter(case_id=case_id, status__in=_ASSISTANCE_COUNTED)
        .values("kind")
        .annotate(count=Count("pk"))
        .order_by("kind")
    )
    referrals = (
        Referral.objects.filter(case_id=case_id)
        .values("status")
        .annotate(count=Count("pk"))
        .order_by("status")
    )
    claims = (
        Claim.objects.filter(case_id=case_id)
        .values("status")
        .annotate(count=Count("pk"))
        .order_by("status")
    )
    return {
        "assistance": _counts(assistance, "kind"),
        "referrals": _counts(referrals, "status"),
        "claims": _counts(claims, "status"),
    }


def summary_rows(summary: dict[str, dict[str, int]]) -> dict[str, list[tuple[str, int]]]:
    """A case summary's counts under their labels, in the order of the choices."""
    choices = {
        "assistance": Kind.choices,
        "referrals": Referral.Status.choices,
        "claims": Claim.Status.choices,
    }
    return {
        part: [
            (str(label), summary[part][code])
            for code, label in choices[part]
            if code in summary[part]
        ]
        for part in choices
    }


def downloadable(granted: GrantedRecord, content_type: str | None = None) -> bool:
    """Whether the grant lets its readers take this record away: a testimony, an incident, a
    case summary, or an evidence file that is a JPEG or PNG image (`content_type`, as
    revealed)."""
    if not granted.grant.downloads_allowed:
        return False
    if granted.kind != GrantedRecord.Kind.EVIDENCE:
        return True
    kind = (content_type or "").lower()
    return kind in DOWNLOADABLE_IMAGES
