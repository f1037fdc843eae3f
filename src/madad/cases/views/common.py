"""What every case page starts with: the one access helper, and the sections other apps add."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.template import TemplateDoesNotExist
from django.template.loader import get_template

from madad import access
from madad.cases.models import Case

# Sections other apps add to a case's page, shown once their template exists. Each is
# included with the page's context: `case` (the Case), `case_view` (selectors.CaseView),
# `can_edit_case` (bool) and `request`; a section reads its own records through its own
# selectors and madad.access.
SECTION_TEMPLATES = (
    "assistance/_case_assistance.html",
    "referrals/_case_referrals.html",
    "claims/_case_claims.html",
)


def get_case_for_user(request: HttpRequest, case_id: int) -> Case:
    """The case, if this user may see it; 404 otherwise (audited when it exists)."""
    return access.get_visible_or_404(request.user, Case, request=request, pk=case_id)


def get_case_to_change(request: HttpRequest, case_id: int) -> Case:
    case = get_case_for_user(request, case_id)
    if not access.can_change(request.user, case):
        raise Http404
    return case


def existing_templates(names: tuple[str, ...]) -> list[str]:
    found = []
    for name in names:
        try:
            get_template(name)
        except TemplateDoesNotExist:
            continue
        found.append(name)
    return found


def sections() -> list[str]:
    return existing_templates(SECTION_TEMPLATES)


def first_error(exc: Any) -> str:
    """One message from a ValidationError, for a flash message."""
    messages = getattr(exc, "messages", None) or [str(exc)]
    return str(messages[0])
