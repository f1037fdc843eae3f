"""Gives errors that Django answers under /api/ the API's one error shape.

Inside an endpoint the API's own handlers shape every error (madad.api.errors). Some answers
come before any endpoint runs: a path no route matches (404), a method a route does not take
(405), an error in a middleware (400, 500). Those arrive here as HTML or plain text and leave
as JSON, so that an API client only ever has one shape to read.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse

from madad.api.errors import error_body, status_error

API_PREFIX = "/api/"
# Headers of the original answer that still hold for the reshaped one.
_KEPT_HEADERS = ("Allow", "Cache-Control", "Expires", "Vary", "WWW-Authenticate")


class ApiErrorShapeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if (
            response.status_code < 400
            or not request.path_info.startswith(API_PREFIX)
            or response.get("Content-Type", "").startswith("application/json")
        ):
            return response
        code, message = status_error(response.status_code)
        shaped: HttpResponse = JsonResponse(error_body(code, message), status=response.status_code)
        for header in _KEPT_HEADERS:
            if header in response:
                shaped[header] = response[header]
        return shaped
