"""Template helpers for the case page (the cases app's), which shows a case's referrals."""

from __future__ import annotations

from typing import Any, cast

from django import template

from madad.access.cases import may_see_cases
from madad.accounts.models import User

register = template.Library()


@register.simple_tag(takes_context=True)
def case_referrals(context: template.Context, case: Any) -> dict[str, Any]:
    """The referrals panel's contents for the signed-in user (see views.case_panel)."""
    from madad.referrals.views import case_panel

    request = context.get("request")
    user = getattr(request, "user", None)
    if case is None or not may_see_cases(user):
        return {"hidden": True}
    return case_panel(cast(User, user), case)
