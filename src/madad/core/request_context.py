"""Who is asking and from where, for the length of one request (or one task or command).

`RequestContextMiddleware` sets it once per request; the audit trail and the rate limits read
it, so services never take an `HttpRequest` only to learn an address. Outside a request
(tasks, commands, tests) `bound(...)` sets it.

Behind reverse proxies the peer address is the nearest proxy's. `MADAD_TRUSTED_PROXY_HOPS`
says how many proxies stand in front of Madad: with N, the client is the N-th address from the
right of `X-Forwarded-For` (each proxy appends the address it was reached from). Addresses to
the left of that were written by the client and are not believed.
"""

from __future__ import annotations

import contextlib
import ipaddress
import uuid
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.ipv6 import clean_ipv6_address

if TYPE_CHECKING:
    from madad.accounts.models import User


@dataclass(frozen=True)
class RequestContext:
    ip: str | None = None
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    # read when asked: the API authenticates inside the view, after the middleware ran
    _actor: Callable[[], User | None] = lambda: None

    @property
    def actor(self) -> User | None:
        return self._actor()


_CURRENT: ContextVar[RequestContext | None] = ContextVar("madad_request", default=None)


def current() -> RequestContext:
    """The context in force; an empty one (no actor, no address) outside any."""
    return _CURRENT.get() or RequestContext()


@contextlib.contextmanager
def bound(
    *, ip: str | None = None, actor: User | None = None, request_id: str | None = None
) -> Iterator[RequestContext]:
    """Runs the block with this context (for tasks, commands and tests)."""
    context = RequestContext(
        ip=canonical_ip(ip), request_id=request_id or uuid.uuid4().hex, _actor=lambda: actor
    )
    token = _CURRENT.set(context)
    try:
        yield context
    finally:
        _CURRENT.reset(token)


def canonical_ip(raw: str | None) -> str | None:
    """The address as the database stores it, or None for anything that is no address.

    Audit rows are hashed before they are saved, so the value must already be canonical: the
    database would otherwise store "2001:db8::1" for "2001:DB8::1" and the chain would look
    tampered with.
    """
    try:
        address = ipaddress.ip_address((raw or "").strip())
    except ValueError:
        return None
    if address.version == 4:
        return str(address)
    return clean_ipv6_address(str(address).split("%")[0])


def rate_key_address(request: HttpRequest) -> str:
    """The client as rate limits count it: an IPv4 address, or the /64 network of an IPv6
    one (one household's or phone's allotment; counting each /128 apart lets one client
    take as many addresses as it likes)."""
    address = client_ip(request)
    if address is None:
        return "unknown"
    parsed = ipaddress.ip_address(address)
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return address


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, believing `X-Forwarded-For` only as far as the trusted hops."""
    hops = int(getattr(settings, "TRUSTED_PROXY_HOPS", 0))
    raw = request.META.get("REMOTE_ADDR") or ""
    if hops > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if forwarded:
            raw = forwarded[-hops] if len(forwarded) >= hops else forwarded[0]
    return canonical_ip(raw)


def _request_actor(request: HttpRequest) -> Callable[[], User | None]:
    def actor() -> User | None:
        user: Any = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return user  # type: ignore[no-any-return]
        return None

    return actor


class RequestContextMiddleware:
    """Sets the request context for the rest of the request; put it first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        context = RequestContext(ip=client_ip(request), _actor=_request_actor(request))
        token = _CURRENT.set(context)
        try:
            response = self.get_response(request)
        finally:
            _CURRENT.reset(token)
        response["X-Request-Id"] = context.request_id
        return response
