"""Template helpers for the case page (the cases app's), which shows a case's assistance."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from madad.access.cases import may_see_cases
from madad.accounts.models import User

register = template.Library()


@register.simple_tag(takes_context=True)
def case_assistance(context: template.Context, case: Any) -> dict[str, Any]:
    """The assistance panel's contents for the signed-in user (see views.case_panel)."""
    from madad.assistance.views import case_panel

    request = context.get("request")
    user = getattr(request, "user", None)
    if case is None or not isinstance(user, User) or not may_see_cases(user):
        return {"hidden": True}
    return case_panel(user, case)


@register.filter
def rupees(value: Decimal | None) -> str:
    """An amount as "Rs 15,000.50" (grouped in the user's language)."""
    if value is None:
        return ""
    return _("Rs %(amount)s") % {
        "amount": number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)
    }
