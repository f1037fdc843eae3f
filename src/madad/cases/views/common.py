"""What every case page starts with: the one access helper."""

from __future__ import annotations

from django.http import Http404

from madad import access
from madad.cases.models import Case
from madad.core.http import AuthedRequest


def get_case_for_user(request: AuthedRequest, case_id: int) -> Case:
    """The case, if this user may see it; 404 otherwise (audited when it exists)."""
    return access.get_visible_or_404(request.user, Case, pk=case_id)


def get_case_to_change(request: AuthedRequest, case_id: int) -> Case:
    case = get_case_for_user(request, case_id)
    if not access.can_change(request.user, case):
        raise Http404
    return case
