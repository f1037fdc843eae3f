"""Template helpers for pages of other apps that show an incident's evidence files."""

from __future__ import annotations

from typing import Any

from django import template

from madad import access
from madad.access.roles import Capability
from madad.evidence import selectors, services
from madad.evidence.forms import EvidenceUploadForm
from madad.evidence.models import EvidenceFile
from madad.testimonies.selectors import testimony_list

register = template.Library()

SHOWN_ON_INCIDENT = 20


@register.simple_tag(takes_context=True)
def incident_evidence(context: template.Context, incident: Any) -> dict[str, Any]:
    """The files of the incident the signed-in user may see, and an upload form if their role
    may upload. Nothing at all for a role without evidence.view."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if incident is None or not access.can(user, Capability.EVIDENCE_VIEW):
        return {"may_view": False}
    files = list(selectors.evidence_list(user=user, incident=incident)[: SHOWN_ON_INCIDENT + 1])
    form = None
    if access.can(user, Capability.EVIDENCE_UPLOAD):
        form = EvidenceUploadForm(testimonies=testimony_list(user=user, incident=incident))
    return {
        "may_view": True,
        "files": files[:SHOWN_ON_INCIDENT],
        "more": len(files) > SHOWN_ON_INCIDENT,
        "form": form,
        "max_mb": services.max_bytes() // (1024 * 1024),
    }


@register.filter
def evidence_type(evidence: EvidenceFile) -> str:
    return selectors.type_label(evidence)
