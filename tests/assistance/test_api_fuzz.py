"""Random calls to the assistance, referral and claim endpoints, by every role that uses them,
with real records behind small ids, never make the API fail: every answer is below 500, every
error has the one shape, and no record is left breaking its rules."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from madad.accounts.models import Organisation, User
from madad.assistance.models import Assistance
from madad.cases.models import Case
from madad.claims.services import claim_file
from madad.referrals.services import referral_send
from tests.api.helpers import assert_error_shape
from tests.assistance.factories import give_referral_consent, make_assistance

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
_awkward = st.sampled_from(
    [
        "\x00",
        "\ud800",
        "\u202e",
        "\u06f3\u06f0",
        "",
        " ",
        "-1",
        "0",
        "1e309",
        "NaN",
        "Infinity",
        "-0.00",
        "12.345",
        "1E-999999",
        "1E+999999",
        "99999999999",
        "15000.50",
        "2011-02-30",
        "9999-12-31",
        "cash_grant",
        "food",
        "cash",
        "accept",
        "complete",
        "approved",
        "paid",
        "appealed",
    ]
)
_text = st.text(max_size=30) | _awkward
_scalar = st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats() | _text
_json = st.recursive(
    _scalar,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_text, inner, max_size=3),
    max_leaves=8,
)
_ids = st.integers(min_value=0, max_value=4) | st.integers(min_value=-1, max_value=2**70)
_body = (
    st.fixed_dictionaries(
        {},
        optional={
            name: _scalar
            for name in (
                "case",
                "kind",
                "amount",
                "in_kind",
                "purpose",
                "version",
                "reason",
                "method",
                "reference",
                "max_amount",
                "person",
                "partner",
                "service",
                "shared_summary",
                "share_phone",
                "decision",
                "note",
                "scheme",
                "authority",
                "authority_reference",
                "filed_on",
                "amount_claimed",
                "incident",
                "next_action_on",
                "next_action",
                "status",
                "amount_awarded",
            )
        },
    )
    | _json
)


def _operations() -> list[tuple[str, str]]:
    from madad.api.router import api

    spec = api.get_openapi_schema()
    return sorted(
        (method, path)
        for path, item in spec["paths"].items()
        for method in item
        if path.startswith(("/api/v1/assistance", "/api/v1/referrals", "/api/v1/claims"))
    )


@pytest.fixture
def world(
    caseworker: User,
    coordinator: User,
    finance: User,
    administrator: User,
    partner_user: User,
    case: Case,
    partner_org: Organisation,
    bearer: Callable[[User], dict[str, str]],
) -> dict[str, Any]:
    make_assistance(case=case, requested_by=caseworker)
    make_assistance(
        case=case, requested_by=coordinator, amount=None, kind="food", in_kind="Rations"
    )
    give_referral_consent(case.household.head, caseworker, partner_org)
    referral_send(
        case=case,
        person=case.household.head,
        partner=partner_org,
        service="Counselling",
        sent_by=caseworker,
    )
    from django.utils import timezone

    claim_file(
        case=case,
        filed_by=caseworker,
        scheme="Scheme",
        authority="Office",
        filed_on=timezone.localdate(),
        amount_claimed="1000",
    )
    return {
        "headers": [
            bearer(u) for u in (caseworker, coordinator, finance, administrator, partner_user)
        ]
    }


def test_the_operations_are_documented() -> None:
    assert len(_operations()) >= 16


@FUZZ
@given(data=st.data())
def test_random_calls_never_fail(
    client: Client, world: dict[str, Any], data: st.DataObject
) -> None:
    method, path = data.draw(st.sampled_from(_operations()), label="operation")
    url = re.sub(
        r"{assistance_id}|{referral_id}|{claim_id}",
        lambda _m: str(data.draw(_ids, label="id")),
        path,
    )
    url = url.replace(
        "{kind}", data.draw(st.sampled_from(["rent", "food", "x", "%00"]), label="kind")
    )
    headers = data.draw(st.sampled_from(world["headers"]), label="who")
    query = data.draw(
        st.dictionaries(
            st.sampled_from(["case", "status", "due", "limit", "offset"]),
            st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=12) | _ids.map(str),
            max_size=3,
        ),
        label="query",
    )
    if method == "get":
        response = client.get(url, query, headers=headers)
    else:
        body = data.draw(_body, label="body")
        response = getattr(client, method)(
            f"{url}?{urlencode(query)}",
            json.dumps(body),
            content_type="application/json",
            headers=headers,
        )
    assert response.status_code < 500, response.content
    if response.status_code >= 400:
        assert_error_shape(response, response.status_code)
    for item in Assistance.objects.all():
        assert item.approved_by_id != item.requested_by_id
        assert item.amount is None or item.amount > 0
