"""Reads of evidence files and their custody, filtered by what the user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from madad import access
from madad.evidence import files
from madad.evidence.models import CustodyEntry, EvidenceFile
from madad.incidents.models import Incident
from madad.testimonies.models import Testimony


def evidence_list(
    *, user: Any, incident: Incident | None = None, testimony: Testimony | None = None
) -> QuerySet[EvidenceFile]:
    found = access.visible_to(user, EvidenceFile).select_related("uploaded_by")
    if incident is not None:
        found = found.filter(incident=incident)
    if testimony is not None:
        found = found.filter(testimony=testimony)
    return found


def custody_log(*, user: Any, evidence: EvidenceFile) -> QuerySet[CustodyEntry]:
    return access.visible_to(user, CustodyEntry).filter(evidence=evidence).select_related("by")


def type_label(evidence: EvidenceFile) -> str:
    file_type = files.ALLOWED.get(evidence.content_type)
    return str(file_type.label) if file_type else evidence.content_type


def exportable(evidence: EvidenceFile) -> bool:
    file_type = files.ALLOWED.get(evidence.content_type)
    return file_type is not None and file_type.strippable
