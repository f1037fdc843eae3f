"""Template helpers for pages of other apps (a person's page, an incident's page) that show
testimonies."""

from __future__ import annotations

from typing import Any

from django import template

from madad import access
from madad.access.roles import Capability
from madad.testimonies import selectors
from madad.testimonies.models import Testimony

register = template.Library()

SHOWN = 20


def _section(context: template.Context, **filters: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if not access.can(user, Capability.TESTIMONY_VIEW):
        return {"may_view": False}
    found = list(selectors.testimony_list(user=user, **filters)[: SHOWN + 1])
    return {"may_view": True, "testimonies": found[:SHOWN], "more": len(found) > SHOWN}


@register.simple_tag(takes_context=True)
def person_testimonies(context: template.Context, person: Any) -> dict[str, Any]:
    """The person's testimonies the signed-in user may see, and whether they may record one."""
    if person is None:
        return {"may_view": False}
    section = _section(context, person=person)
    user = getattr(context.get("request"), "user", None)
    section["can_record"] = access.can_change(
        user, Testimony(organisation_id=person.organisation_id)
    )
    return section


@register.simple_tag(takes_context=True)
def incident_testimonies(context: template.Context, incident: Any) -> dict[str, Any]:
    """The incident's testimonies the signed-in user may see."""
    if incident is None:
        return {"may_view": False}
    return _section(context, incident=incident)
