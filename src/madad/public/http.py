"""What every public view shares: a rate limit per address against scraping floods, and cache
headers that let browsers and proxies keep pages for anonymous visitors — never for signed-in
staff (core.middleware.NoStoreForSignedInMiddleware marks theirs no-store)."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.gzip import GZipMiddleware
from django.shortcuts import render
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.crypto import salted_hmac

from madad.core import request_context
from madad.public.selectors.figures import cache_seconds

View = Callable[..., HttpResponseBase]
WINDOW_SECONDS = 60


def over_limit(request: HttpRequest, cost: int) -> bool:
    """Counts this request against its address's budget for the current minute."""
    limit = int(getattr(settings, "MADAD_PUBLIC_RATE_LIMIT", 120))
    if limit <= 0:
        return False
    window = int(time.time() // WINDOW_SECONDS)
    # the address only as a keyed hash: the cache may be the database, whose rows outlive
    # their minute, and an address beside the minute a public report came in must not be kept
    address = request_context.rate_key_address(request)
    hashed = salted_hmac("madad.public.rate", f"{window}:{address}").hexdigest()[:32]
    key = f"public:rate:{hashed}:{window}"
    if cache.add(key, cost, WINDOW_SECONDS + 5):
        used = cost
    else:
        try:
            used = cache.incr(key, cost)
        except ValueError:  # expired between add and incr
            cache.set(key, cost, WINDOW_SECONDS + 5)
            used = cost
    return used > limit


def too_many(request: HttpRequest) -> HttpResponse:
    response = render(request, "public/429.html", status=429)
    response["Retry-After"] = str(WINDOW_SECONDS)
    patch_cache_control(response, no_store=True)
    return response


def public_view(cost: int = 1) -> Callable[[View], View]:
    """Marks a view as part of the public site: rate-limited, and cacheable when the visitor
    is not signed in. Cost: how much of the per-minute budget one request uses."""

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if over_limit(request, cost):
                return too_many(request)
            response = view(request, *args, **kwargs)
            # language comes from the cookie, and staff get no-store: the cache must tell apart
            patch_vary_headers(response, ["Cookie", "Accept-Language"])
            anonymous = not getattr(request, "user", None) or not request.user.is_authenticated
            if response.status_code == 200 and anonymous and cache_seconds():
                patch_cache_control(response, public=True, max_age=cache_seconds())
            # public pages carry no secret (no CSRF token, no session data), so compressing
            # them cannot leak one (BREACH); on slow connections it cuts pages to a fifth
            return _gzip(request, response)

        return wrapped

    return decorate


def _gzip(request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
    return GZipMiddleware(lambda _request: response).process_response(request, response)
