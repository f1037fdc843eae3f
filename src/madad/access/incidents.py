"""Who may see incidents, their acts, alleged perpetrators, sources and verification history.

- Incidents belong to the relief organisation that recorded them. Its staff whose role carries
  ``incident.view`` see them; partner organisations never do (404), whatever their role.
- The restricted narrative (an incident's description, an act's consequences) needs
  ``incident.description.view``: documenters, verifiers and coordinators. Caseworkers work from
  the public summary and the acts; they do not need the account of the violence itself.
  Every read of it goes through ``access.reveal`` and is audited.
- Alleged perpetrators (Involvement) need ``perpetrator.view``. Without it they do not exist:
  the queryset is empty, so no view, API answer or export can include them by mistake.
- A source's identifying details (name, notes, the person, FIR number and police station) need
  ``source.view``; its kind, grading, outlet and link do not.
- Confidentiality (internal, restricted, confidential) governs sharing outside the
  organisation (partner grants, publication), not who inside it may read the record.
- Changing incidents and their parts needs ``incident.edit``; verifying needs
  ``incident.verify``, and the verification services add the four-eyes rule.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from madad.access.base import Rules, can, in_relief_org, is_staff_user
from madad.access.roles import Capability
from madad.accounts.models import User


def may_see_incidents(user: Any) -> bool:
    """Whether incidents exist at all for this user (partners: never)."""
    return is_staff_user(user) and can(user, Capability.INCIDENT_VIEW) and in_relief_org(user)


def may_record_incidents(user: Any) -> bool:
    return may_see_incidents(user) and can(user, Capability.INCIDENT_EDIT)


class IncidentRules(Rules):
    def visible(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if may_see_incidents(user):
            return queryset.filter(organisation_id=user.organisation_id)
        return queryset.none()

    def can_change(self, user: User, obj: Any) -> bool:
        return (
            can(user, Capability.INCIDENT_EDIT)
            and in_relief_org(user)
            and obj.organisation_id == user.organisation_id
        )


class IncidentPartRules(Rules):
    """Acts, sources, relations and verification steps: visible with their incident."""

    incident_path: str = "incident"
    needs: str | None = None

    def visible(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if may_see_incidents(user) and (self.needs is None or can(user, self.needs)):
            return queryset.filter(
                **{f"{self.incident_path}__organisation_id": user.organisation_id}
            )
        return queryset.none()

    def can_change(self, user: User, obj: Any) -> bool:
        incident = obj
        for step in self.incident_path.split("__"):
            incident = getattr(incident, step)
        return IncidentRules().can_change(user, incident) and (
            self.needs is None or can(user, self.needs)
        )


class InvolvementRules(IncidentPartRules):
    incident_path = "act__incident"
    needs = Capability.PERPETRATOR_VIEW


class RelationRules(IncidentPartRules):
    incident_path = "from_incident"


class IncidentTypeRules(Rules):
    def visible(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset if may_see_incidents(user) else queryset.none()


RULES: dict[str, Rules] = {
    "incidents.incidenttype": IncidentTypeRules(
        public_fields=frozenset({"id", "code", "name", "name_ur", "active", "position"}),
    ),
    "incidents.incident": IncidentRules(
        public_fields=frozenset(
            {
                "id",
                "title",
                "start_date",
                "start_precision",
                "end_date",
                "end_precision",
                "place",
                "latitude",
                "longitude",
                "location_precision",
                "types",
                "public_summary",
                "confidentiality",
                "status",
                "created_by",
                "created_at",
                "updated_by",
                "updated_at",
                "verified_at",
                "version",
            }
        ),
        restricted_fields={"description": Capability.INCIDENT_DESCRIPTION_VIEW},
    ),
    "incidents.act": IncidentPartRules(
        public_fields=frozenset({"id", "incident", "victim", "act_type", "date", "method"}),
        restricted_fields={"consequences": Capability.INCIDENT_DESCRIPTION_VIEW},
    ),
    "incidents.involvement": InvolvementRules(
        public_fields=frozenset(
            {"id", "act", "person", "described_group", "degree", "allegation_status"}
        ),
    ),
    "incidents.source": IncidentPartRules(
        public_fields=frozenset(
            {"id", "incident", "kind", "reliability", "credibility", "url", "outlet", "received_on"}
        ),
        restricted_fields={
            name: Capability.SOURCE_VIEW
            for name in ("name", "notes", "person", "fir_number", "police_station")
        },
    ),
    "incidents.incidentrelation": RelationRules(
        public_fields=frozenset({"id", "from_incident", "to_incident", "kind", "created_at"}),
    ),
    "incidents.verificationstep": IncidentPartRules(
        public_fields=frozenset(
            {"id", "incident", "action", "from_status", "to_status", "by", "note", "at"}
        ),
    ),
}
