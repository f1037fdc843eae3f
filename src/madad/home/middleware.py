"""A friendly page for an address opened with the wrong method.

Views that only take a form's POST answer a browser's GET with 405 and an empty body, which a
browser shows as a blank page: someone who bookmarked or shared such an address sees nothing.
This puts Madad's page in it, keeping the status and the Allow header. The API answers 405 in
its own error shape (madad.api.middleware)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string


class MethodNotAllowedPageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code == 405
            and not response.streaming
            and not response.content
            and not request.path.startswith("/api/")
            and request.method in ("GET", "HEAD")
        ):
            response.content = render_to_string("405.html", request=request)
            response["Content-Type"] = "text/html; charset=utf-8"
        return response
