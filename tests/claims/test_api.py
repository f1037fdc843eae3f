"""/api/v1/claims: filing, status changes with a version, and the claims due."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from madad.accounts.models import User
from madad.cases.models import Case
from madad.claims.models import Claim
from tests.api.helpers import assert_error_shape

pytestmark = pytest.mark.django_db

Bearer = Callable[[User], dict[str, str]]
URL = "/api/v1/claims"


def _post(client: Client, url: str, headers: dict[str, str], body: dict[str, Any]) -> Any:
    return client.post(url, body, content_type="application/json", headers=headers)


def _body(case: Case, **extra: Any) -> dict[str, Any]:
    return {
        "case": case.pk,
        "scheme": "Compensation package",
        "authority": "DC South",
        "filed_on": timezone.localdate().isoformat(),
        "amount_claimed": "200000",
        "authority_reference": "DC/77",
        **extra,
    }


def test_a_claim_is_filed_and_moves_along_its_path(
    client: Client, bearer: Bearer, caseworker: User, case: Case
) -> None:
    headers = bearer(caseworker)
    due = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    filed = _post(client, URL, headers, _body(case, next_action_on=due))
    assert filed.status_code == 201, filed.content
    claim = filed.json()
    assert (claim["status"], claim["amount_claimed"], claim["authority_reference"]) == (
        "filed",
        "200000.00",
        "DC/77",
    )
    due_ids = [c["id"] for c in client.get(f"{URL}?due=true", headers=headers).json()["items"]]
    assert due_ids == [claim["id"]]

    wrong = _post(client, f"{URL}/{claim['id']}/status", headers, {"status": "paid"})
    assert "status" in assert_error_shape(wrong, 422, "invalid")["fields"]
    approved = _post(
        client,
        f"{URL}/{claim['id']}/status",
        headers,
        {"status": "approved", "amount_awarded": "150000", "version": claim["version"]},
    )
    assert approved.status_code == 200, approved.content
    assert approved.json()["next_action_on"] == due  # kept: not sent
    assert [h["status"] for h in approved.json()["history"]] == ["filed", "approved"]
    stale = _post(
        client,
        f"{URL}/{claim['id']}/status",
        headers,
        {"status": "paid", "version": claim["version"]},
    )
    assert_error_shape(stale, 409, "conflict")
    paid = _post(client, f"{URL}/{claim['id']}/status", headers, {"status": "paid"})
    assert (paid.json()["status"], paid.json()["next_action_on"]) == ("paid", None)


def test_bad_input_is_a_field_error(
    client: Client, bearer: Bearer, caseworker: User, case: Case
) -> None:
    response = _post(client, URL, bearer(caseworker), _body(case, amount_claimed="-1"))
    assert "amount_claimed" in assert_error_shape(response, 422)["fields"]
    assert not Claim.objects.exists()


@pytest.mark.parametrize("who", ["outsider", "other_caseworker", "partner_user", "finance"])
def test_others_get_404(
    request: pytest.FixtureRequest,
    client: Client,
    bearer: Bearer,
    caseworker: User,
    case: Case,
    who: str,
) -> None:
    claim_id = _post(client, URL, bearer(caseworker), _body(case)).json()["id"]
    headers = bearer(request.getfixturevalue(who))
    assert_error_shape(client.get(f"{URL}/{claim_id}", headers=headers), 404)
    assert_error_shape(
        _post(client, f"{URL}/{claim_id}/status", headers, {"status": "rejected"}), 404
    )
    assert_error_shape(_post(client, URL, headers, _body(case)), 404)
    assert client.get(URL, headers=headers).json()["items"] == []
