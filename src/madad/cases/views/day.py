"""The caseworker's day and, for coordinators, the view over everybody's cases."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from madad.access.cases import may_see_cases
from madad.cases import selectors
from madad.cases.views.common import existing_templates


@login_required
@require_GET
def my_day_view(request: HttpRequest) -> HttpResponse:
    if not may_see_cases(request.user):
        raise Http404
    today = timezone.localdate()
    day = selectors.my_day(user=request.user, today=today)  # type: ignore[arg-type]
    overview = selectors.coordinator_overview(user=request.user, today=today)  # type: ignore[arg-type]
    cases = [
        *day.overdue_follow_ups,
        *day.due_today,
        *(overview.without_contact if overview else []),
    ]
    hooks = [
        (name, template)
        for name, _module, _function, template in selectors.DAY_HOOKS
        if name in day.extra
    ]
    shown = set(existing_templates(tuple(t for _n, t in hooks)))
    return render(
        request,
        "cases/my_day.html",
        {
            "day": day,
            "overview": overview,
            "today": today,
            "names": selectors.head_names(request.user, cases, request),
            # other apps' items: their own template when there is one, a plain list otherwise
            "extra_sections": [
                {
                    "name": name,
                    "template": template if template in shown else None,
                    "items": day.extra[name],
                }
                for name, template in hooks
            ],
        },
    )
