"""The request context behind reverse proxies: the audit trail and the public rate limit see the
client, not the proxy, and believe `X-Forwarded-For` only as far as the trusted hops."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypedDict, Unpack

import pytest
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse
from pytest_django import Settings

from madad.accounts.models import User
from madad.accounts.roles import Role
from madad.core.audit import audit_record
from madad.core.models import AuditEvent
from madad.core.request_context import RequestContextMiddleware, current
from tests.api.helpers import PERSONS_URL
from tests.responses import streamed_body

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"
CLIENT = "198.51.100.7"
FORGED = "203.0.113.66"
EXPORT = reverse("audit:export")


@pytest.fixture
def auditor(make_user: Callable[..., User], signed_in: Callable[[User], Client]) -> Client:
    """A client signed in as an auditor: exporting the trail writes an `audit.exported` row."""
    return signed_in(make_user(Role.AUDITOR))


class Relayed(TypedDict):
    """The WSGI environ of a request a proxy relayed: the proxy's address, the forwarded one."""

    REMOTE_ADDR: str
    HTTP_X_FORWARDED_FOR: str


def _exported_from(client: Client, **meta: Unpack[Relayed]) -> AuditEvent:
    response = client.get(EXPORT, **meta)
    assert response.status_code == 200
    streamed_body(response)
    return AuditEvent.objects.filter(action="audit.exported").latest("id")


def test_behind_one_proxy_the_audit_trail_records_the_client(
    auditor: Client, settings: Settings
) -> None:
    settings.TRUSTED_PROXY_HOPS = 1
    event = _exported_from(auditor, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=CLIENT)
    assert event.ip == CLIENT


def test_without_trusted_proxies_the_forwarded_header_is_ignored(
    auditor: Client, settings: Settings
) -> None:
    settings.TRUSTED_PROXY_HOPS = 0
    event = _exported_from(auditor, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=CLIENT)
    assert event.ip == PROXY


def test_addresses_the_client_wrote_to_the_left_are_not_believed(
    auditor: Client, settings: Settings
) -> None:
    settings.TRUSTED_PROXY_HOPS = 1
    # the client sent "X-Forwarded-For: FORGED"; the proxy appended the address it saw
    event = _exported_from(
        auditor, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{FORGED}, 192.0.2.1, {CLIENT}"
    )
    assert event.ip == CLIENT


def test_behind_two_proxies_the_second_address_from_the_right_is_the_client(
    auditor: Client, settings: Settings
) -> None:
    settings.TRUSTED_PROXY_HOPS = 2
    event = _exported_from(
        auditor, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{FORGED}, {CLIENT}, 10.0.0.1"
    )
    assert event.ip == CLIENT


def test_every_response_carries_a_request_id(client: Client) -> None:
    first = client.get(reverse("healthz"))
    second = client.get(reverse("healthz"))
    assert len(first["X-Request-Id"]) == 32
    assert first["X-Request-Id"] != second["X-Request-Id"]


def test_the_public_rate_limit_counts_each_client_behind_one_proxy(
    client: Client, settings: Settings
) -> None:
    settings.TRUSTED_PROXY_HOPS = 1
    settings.MADAD_PUBLIC_RATE_LIMIT = 2
    cache.clear()
    page = reverse("public:dashboard")
    one: Relayed = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": CLIENT}
    another: Relayed = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "198.51.100.8"}
    assert client.get(page, **one).status_code == 200
    assert client.get(page, **one).status_code == 200
    assert client.get(page, **one).status_code == 429
    # the same proxy relays another visitor, whose budget is whole
    assert client.get(page, **another).status_code == 200
    cache.clear()


def test_every_audit_row_of_an_api_request_carries_the_client_and_the_caller(
    client: Client,
    settings: Settings,
    make_user: Callable[..., User],
    bearer: Callable[[User], dict[str, str]],
) -> None:
    documenter = make_user(Role.DOCUMENTER)
    headers = bearer(documenter)
    settings.TRUSTED_PROXY_HOPS = 1
    meta: Relayed = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": CLIENT}
    before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0

    created = client.post(
        PERSONS_URL,
        {"given_name": "Farhan", "family_name": "Qureshi", "sex": "male"},
        content_type="application/json",
        headers=headers,
        **meta,
    )
    assert created.status_code == 201, created.content
    found = client.post(
        f"{PERSONS_URL}/search",
        {"q": "Farhan"},
        content_type="application/json",
        headers=headers,
        **meta,
    )
    assert found.status_code == 200, found.content

    rows = list(AuditEvent.objects.filter(id__gt=before))
    assert {row.action for row in rows} >= {"person.created", "person.searched"}
    assert {(row.ip, row.actor_id) for row in rows} == {(CLIENT, documenter.pk)}


def test_the_actor_is_read_when_the_audit_row_is_written_not_when_the_request_arrives(
    make_user: Callable[..., User],
) -> None:
    """The API authenticates inside the view, after the middleware set the context."""
    user = make_user(Role.DOCUMENTER)
    written: list[AuditEvent] = []

    def view(request: HttpRequest) -> HttpResponse:
        request.user = user  # as the bearer-token check does
        written.append(audit_record(action="test.api.called"))
        return HttpResponse(current().request_id)

    request = RequestFactory().get("/api/v1/anything", REMOTE_ADDR=CLIENT)
    response = RequestContextMiddleware(view)(request)
    assert written[0].actor_id == user.pk
    assert written[0].ip == CLIENT
    assert response["X-Request-Id"] == response.content.decode()
