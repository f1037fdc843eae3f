"""/api/v1/assistance: the same rules as the pages, in the API's one error shape."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from madad.accounts.models import User
from madad.assistance.models import Assistance, Limit
from madad.assistance.services import assistance_approve, assistance_disburse
from madad.cases.models import Case
from tests.api.helpers import assert_error_shape
from tests.assistance.factories import make_assistance

pytestmark = pytest.mark.django_db

Bearer = Callable[[User], dict[str, str]]
URL = "/api/v1/assistance"


def _post(client: Client, url: str, headers: dict[str, str], body: dict[str, Any]) -> Any:
    return client.post(url, body, content_type="application/json", headers=headers)


def test_the_caseworker_requests_and_a_coordinator_approves(
    client: Client,
    bearer: Bearer,
    caseworker: User,
    coordinator: User,
    case: Case,
    limits: dict[str, Limit],
) -> None:
    response = _post(
        client,
        URL,
        bearer(caseworker),
        {"case": case.pk, "kind": "cash_grant", "amount": "15000.50", "purpose": "Rent"},
    )
    assert response.status_code == 201, response.content
    item = response.json()
    assert (item["amount"], item["status"], item["purpose"]) == ("15000.50", "requested", "Rent")
    refused = _post(client, f"{URL}/{item['id']}/approve", bearer(caseworker), {})
    assert "two-person rule" in assert_error_shape(refused, 403, "forbidden")["message"]
    approved = _post(
        client, f"{URL}/{item['id']}/approve", bearer(coordinator), {"version": item["version"]}
    )
    assert approved.status_code == 200, approved.content
    assert approved.json()["status"] == "approved"
    again = _post(
        client, f"{URL}/{item['id']}/approve", bearer(coordinator), {"version": item["version"]}
    )
    assert_error_shape(again, 409, "conflict")


def test_bad_input_is_a_field_error(
    client: Client, bearer: Bearer, caseworker: User, case: Case
) -> None:
    response = _post(
        client, URL, bearer(caseworker), {"case": case.pk, "kind": "cash_grant", "amount": "12.345"}
    )
    error = assert_error_shape(response, 422, "invalid")
    assert "amount" in error["fields"]
    assert not Assistance.objects.exists()


def test_over_the_limit_a_caseworker_gets_a_clear_refusal(
    client: Client,
    bearer: Bearer,
    coordinator: User,
    caseworker: User,
    case: Case,
    limits: dict[str, Limit],
) -> None:
    item = make_assistance(case=case, requested_by=coordinator, amount="80000")
    refused = _post(client, f"{URL}/{item.pk}/approve", bearer(caseworker), {})
    assert "coordinator must approve" in assert_error_shape(refused, 403)["message"]


@pytest.mark.parametrize("who", ["outsider", "other_caseworker", "partner_user", "administrator"])
def test_others_get_404(
    request: pytest.FixtureRequest,
    client: Client,
    bearer: Bearer,
    caseworker: User,
    case: Case,
    who: str,
) -> None:
    item = make_assistance(case=case, requested_by=caseworker)
    headers = bearer(request.getfixturevalue(who))
    assert_error_shape(client.get(f"{URL}/{item.pk}", headers=headers), 404)
    assert_error_shape(_post(client, f"{URL}/{item.pk}/approve", headers, {}), 404)
    assert_error_shape(
        _post(client, URL, headers, {"case": case.pk, "kind": "food", "amount": "1"}), 404
    )
    assert client.get(URL, headers=headers).json()["items"] == []


def test_disbursement_details_only_for_finance_and_the_caseworker(
    client: Client, bearer: Bearer, caseworker: User, coordinator: User, finance: User, case: Case
) -> None:
    item = assistance_approve(
        assistance=make_assistance(
            case=case, requested_by=caseworker, amount=None, kind="food", in_kind="Rations"
        ),
        approver=coordinator,
    )
    response = _post(
        client,
        f"{URL}/{item.pk}/hand-over",
        bearer(finance),
        {"method": "goods_delivered", "reference": "DN-99", "version": 2},
    )
    assert response.status_code == 200, response.content
    assert response.json()["disbursement_reference"] == "DN-99"
    assert "purpose" not in response.json()
    mine = client.get(f"{URL}/{item.pk}", headers=bearer(caseworker)).json()
    theirs = client.get(f"{URL}/{item.pk}", headers=bearer(coordinator)).json()
    assert mine["disbursement_reference"] == "DN-99"
    assert "disbursement_reference" not in theirs and "disbursement_method" not in theirs


def test_money_is_not_recorded_as_handed_over(
    client: Client,
    bearer: Bearer,
    caseworker: User,
    coordinator: User,
    finance: User,
    case: Case,
    limits: dict[str, Limit],
) -> None:
    item = assistance_approve(
        assistance=make_assistance(case=case, requested_by=caseworker), approver=coordinator
    )
    refused = _post(
        client, f"{URL}/{item.pk}/hand-over", bearer(finance), {"method": "cash", "reference": "V1"}
    )
    assert "pay it from the fund" in assert_error_shape(refused, 403)["message"]
    assert Assistance.objects.get(pk=item.pk).status == "approved"


def test_finance_cannot_approve_and_the_caseworker_cannot_hand_over(
    client: Client,
    bearer: Bearer,
    caseworker: User,
    coordinator: User,
    finance: User,
    case: Case,
    limits: dict[str, Limit],
) -> None:
    item = assistance_approve(
        assistance=make_assistance(case=case, requested_by=caseworker), approver=coordinator
    )
    assert_error_shape(_post(client, f"{URL}/{item.pk}/approve", bearer(finance), {}), 403)
    assert_error_shape(
        _post(
            client,
            f"{URL}/{item.pk}/hand-over",
            bearer(caseworker),
            {"method": "cash", "reference": "V1"},
        ),
        403,
    )
    assistance_disburse(assistance=item, disbursed_by=finance, method="cash", reference="V1")
    confirmed = _post(client, f"{URL}/{item.pk}/confirm-receipt", bearer(caseworker), {})
    assert confirmed.json()["status"] == "receipt_confirmed"


def test_limits_are_read_by_staff_and_set_by_administrators(
    client: Client,
    bearer: Bearer,
    caseworker: User,
    administrator: User,
    partner_user: User,
    limits: dict[str, Limit],
) -> None:
    listed = client.get(f"{URL}/limits", headers=bearer(caseworker)).json()
    assert {"kind": "cash_grant", "max_amount": "25000.00"} in listed
    assert_error_shape(
        client.put(
            f"{URL}/limits/rent",
            {"max_amount": "1"},
            content_type="application/json",
            headers=bearer(caseworker),
        ),
        403,
    )
    response = client.put(
        f"{URL}/limits/rent",
        {"max_amount": "30000"},
        content_type="application/json",
        headers=bearer(administrator),
    )
    assert response.json() == {"kind": "rent", "max_amount": "30000.00"}
    assert_error_shape(client.get(f"{URL}/limits", headers=bearer(partner_user)), 404)


def test_the_approvals_list(
    client: Client, bearer: Bearer, caseworker: User, coordinator: User, case: Case
) -> None:
    item = make_assistance(case=case, requested_by=caseworker)
    ids = [
        i["id"] for i in client.get(f"{URL}/approvals", headers=bearer(coordinator)).json()["items"]
    ]
    assert ids == [item.pk]
    assert client.get(f"{URL}/approvals", headers=bearer(caseworker)).json()["items"] == []
