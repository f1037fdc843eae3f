"""The authorised internal export of incidents (CSV), for roles with incident.export.

Alleged perpetrators are included only for a user who may also see them (perpetrator.view);
otherwise the column does not exist. The restricted description, the sources' identifying
details and victims' identities are never exported: victims appear by record number.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Prefetch

from madad import access
from madad.access.roles import Capability
from madad.core.audit import audit_record
from madad.incidents.models import Act, Incident, Involvement, Source, overall_confidence
from madad.incidents.selectors import incident_list

COLUMNS = [
    "id",
    "title",
    "start_date",
    "start_precision",
    "end_date",
    "end_precision",
    "place_code",
    "place",
    "district",
    "latitude",
    "longitude",
    "location_precision",
    "types",
    "status",
    "confidentiality",
    "public_summary",
    "acts",
    "sources",
    "confidence",
    "recorded_at",
    "verified_at",
]
PERPETRATOR_COLUMN = "alleged_perpetrators"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> str:
    """Text a spreadsheet shows as text: a leading formula character is neutralised."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def export_columns(user: Any) -> list[str]:
    columns = list(COLUMNS)
    if access.can(user, Capability.PERPETRATOR_VIEW):
        columns.append(PERPETRATOR_COLUMN)
    return columns


def incident_export_rows(*, user: Any, filters: dict[str, Any]) -> Iterator[list[str]]:
    """The header, then one row per incident the user may see, matching the filters. The
    export is audited once, with the columns it contains, before the first row."""
    columns = export_columns(user)
    with_perpetrators = PERPETRATOR_COLUMN in columns
    incidents = incident_list(user=user, filters=filters).prefetch_related(
        Prefetch("acts", queryset=access.visible_to(user, Act).order_by("id")),
        Prefetch("sources", queryset=access.visible_to(user, Source).order_by("id")),
    )
    if with_perpetrators:
        incidents = incidents.prefetch_related(
            Prefetch(
                "acts__involvements", queryset=access.visible_to(user, Involvement).order_by("id")
            )
        )
    audit_record(
        action="incident.exported",
        actor=user,
        object_type="incidents.incident",
        fields=columns,
    )
    yield columns
    for incident in incidents.iterator(chunk_size=500):
        yield [cell(v) for v in _row(incident, with_perpetrators)]


def _row(incident: Incident, with_perpetrators: bool) -> list[Any]:
    place = incident.place
    district = place.ancestor("district")
    acts = list(incident.acts.all())
    sources = list(incident.sources.all())
    row = [
        incident.pk,
        incident.title,
        incident.start_date,
        incident.start_precision,
        incident.end_date or "",
        incident.end_precision if incident.end_date else "",
        place.code,
        place.name,
        district.name if district else "",
        incident.latitude or "",
        incident.longitude or "",
        incident.location_precision,
        ";".join(t.code for t in incident.types.all()),
        incident.status,
        incident.confidentiality,
        incident.public_summary,
        ";".join(f"{a.act_type}:person-{a.victim_id}" for a in acts),
        ";".join(f"{s.kind}:{s.grading or 'ungraded'}" for s in sources),
        overall_confidence(sources).value,
        incident.created_at.isoformat(),
        incident.verified_at.isoformat() if incident.verified_at else "",
    ]
    if with_perpetrators:
        row.append(
            ";".join(
                f"act-{a.pk}:{i.degree}:{i.allegation_status}:"
                + (f"person-{i.person_id}" if i.person_id else i.described_group)
                for a in acts
                for i in a.involvements.all()
            )
        )
    return row
