"""Template helpers for the case page (the cases app's), which shows a case's claims."""

from __future__ import annotations

from typing import Any, cast

from django import template

from madad.access.claims import may_see_claims
from madad.accounts.models import User

register = template.Library()


@register.simple_tag(takes_context=True)
def case_claims(context: template.Context, case: Any) -> dict[str, Any]:
    """The claims panel's contents for the signed-in user (see views.case_panel)."""
    from madad.claims.views import case_panel

    request = context.get("request")
    user = getattr(request, "user", None)
    if case is None or not may_see_claims(user):
        return {"hidden": True}
    return case_panel(cast(User, user), case)
