"""The caseworker's day and, for coordinators, the view over everybody's cases."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from madad.access.cases import may_see_cases
from madad.cases import selectors
from madad.core.http import AuthedRequest


@login_required
@require_GET
def my_day_view(request: AuthedRequest) -> HttpResponse:
    if not may_see_cases(request.user):
        raise Http404
    today = timezone.localdate()
    day = selectors.my_day(user=request.user, today=today)
    overview = selectors.coordinator_overview(user=request.user, today=today)
    cases = [
        *day.overdue_follow_ups,
        *day.due_today,
        *(overview.without_contact if overview else []),
    ]
    return render(
        request,
        "cases/my_day.html",
        {
            "day": day,
            "overview": overview,
            "today": today,
            "names": selectors.head_names(request.user, cases),
        },
    )
