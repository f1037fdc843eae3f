"""Template helpers for incidents: localised place names, partial dates, and a person's roles
across incidents. The person page shows the roles with
`{% load incident_tags %}{% person_incident_roles person %}`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template

from madad.access.incidents import may_see_incidents
from madad.incidents import labels
from madad.incidents.models import format_partial_date
from madad.incidents.selectors import person_incident_roles as select_roles

register = template.Library()


@register.filter
def place_label(place: Any) -> str:
    return labels.place_label(place)


@register.filter
def place_name(place: Any) -> str:
    return labels.place_name(place)


@register.simple_tag
def partial_date(value: dt.date | None, precision: str) -> str:
    return format_partial_date(value, precision)


@register.inclusion_tag("incidents/_person_roles.html", takes_context=True)
def person_incident_roles(context: template.Context, person: Any) -> dict[str, Any]:
    """Every role of the person across the incidents the signed-in user may see; alleged
    perpetrator roles only for users who may see alleged perpetrators."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if not may_see_incidents(user):
        return {"shown": False}
    return {"shown": True, "roles": select_roles(user=user, person=person), "person": person}
