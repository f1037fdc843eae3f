from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse


def _todo(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


meeting_list = _todo  # replaced by the real view
meeting_detail = _todo  # replaced by the real view
meeting_answer = _todo  # replaced by the real view
meeting_request = _todo  # replaced by the real view
