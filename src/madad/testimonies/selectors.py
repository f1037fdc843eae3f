"""Reads of testimonies and consent, filtered by what the user may see."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from madad import access
from madad.accounts.models import Organisation
from madad.incidents.models import Incident
from madad.people.models import Person
from madad.testimonies.models import (
    PURPOSES_WITH_RECIPIENT,
    ConsentDecision,
    ConsentPurpose,
    ConsentRecord,
    Testimony,
)


def testimony_list(
    *, user: Any, person: Person | None = None, incident: Incident | None = None
) -> QuerySet[Testimony]:
    testimonies = access.visible_to(user, Testimony).select_related("incident", "recorded_by")
    if person is not None:
        testimonies = testimonies.filter(person=person)
    if incident is not None:
        testimonies = testimonies.filter(incident=incident)
    return testimonies


def consent_history(
    *, user: Any, person: Person, testimony: Testimony | None = None
) -> QuerySet[ConsentRecord]:
    """Every decision that applies: the person's decisions for all their records and, for a
    testimony, those for that testimony; newest first."""
    records = access.visible_to(user, ConsentRecord).filter(person=person)
    if testimony is None:
        records = records.filter(testimony__isnull=True)
    else:
        records = records.filter(Q(testimony__isnull=True) | Q(testimony=testimony))
    return records.select_related("recipient", "recorded_by", "testimony").order_by(
        "-date", "-recorded_at", "-id"
    )


@dataclass(frozen=True)
class ConsentState:
    purpose: str
    label: str
    recipient: Organisation | None
    latest: ConsentRecord | None

    @property
    def in_force(self) -> bool:
        return self.latest is not None and self.latest.decision == ConsentDecision.GIVEN


def consent_states(
    *, user: Any, person: Person, testimony: Testimony | None = None
) -> list[ConsentState]:
    """The decision in force for each purpose (and each named recipient), for the consent
    panel. The same rule as services.consent_covers: the latest applicable decision wins."""
    latest: dict[tuple[str, int | None], ConsentRecord] = {}
    recipients: dict[int, Organisation] = {}
    for record in consent_history(user=user, person=person, testimony=testimony):
        key = (record.purpose, record.recipient_id)
        latest.setdefault(key, record)  # newest first: the first seen is in force
        if record.recipient is not None:
            recipients[record.recipient.pk] = record.recipient
    states = []
    for purpose in ConsentPurpose:
        if purpose in PURPOSES_WITH_RECIPIENT:
            named = [
                ConsentState(
                    purpose.value, str(purpose.label), org, latest[(purpose.value, org_id)]
                )
                for org_id, org in sorted(recipients.items(), key=lambda i: i[1].name)
                if (purpose.value, org_id) in latest
            ]
            # with no decision yet, one line says so
            states.extend(named or [ConsentState(purpose.value, str(purpose.label), None, None)])
            continue
        states.append(
            ConsentState(purpose.value, str(purpose.label), None, latest.get((purpose.value, None)))
        )
    return states


def consent_recipients(*, purpose: str | None = None) -> QuerySet[Organisation]:
    """Organisations a consent may name: human-rights organisations for sharing with one, any
    partner organisation (never a relief organisation) for referral; without a purpose, all
    of these. This is the directory of partner organisations, not anybody's records: every
    member of staff may list it."""
    organisations = Organisation.objects.exclude(kind=Organisation.Kind.RELIEF)
    if purpose == ConsentPurpose.HUMAN_RIGHTS_SHARING:
        organisations = organisations.filter(kind=Organisation.Kind.HUMAN_RIGHTS)
    elif purpose is not None and purpose not in PURPOSES_WITH_RECIPIENT:
        organisations = organisations.none()
    return organisations.order_by("name")
