from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse


def _todo(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


grant_list = _todo  # replaced by the real view
grant_new = _todo  # replaced by the real view
grant_detail = _todo  # replaced by the real view
grant_approve = _todo  # replaced by the real view
grant_refuse = _todo  # replaced by the real view
grant_revoke = _todo  # replaced by the real view
