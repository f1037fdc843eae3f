"""/api/v1/referrals: consent, the partner's narrow view and answers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from madad.accounts.models import Organisation, User
from madad.cases.models import Case
from madad.referrals.models import Referral
from tests.api.helpers import assert_error_shape
from tests.assistance.factories import give_referral_consent, withdraw_referral_consent

pytestmark = pytest.mark.django_db

Bearer = Callable[[User], dict[str, str]]
URL = "/api/v1/referrals"


def _post(client: Client, url: str, headers: dict[str, str], body: dict[str, Any]) -> Any:
    return client.post(url, body, content_type="application/json", headers=headers)


def _body(case: Case, partner: Organisation) -> dict[str, Any]:
    return {
        "case": case.pk,
        "person": case.household.head_id,
        "partner": partner.pk,
        "service": "Legal aid",
        "shared_summary": "Needs a lawyer",
        "share_phone": True,
    }


def test_without_consent_the_referral_is_refused(
    client: Client, bearer: Bearer, caseworker: User, case: Case, partner_org: Organisation
) -> None:
    response = _post(client, URL, bearer(caseworker), _body(case, partner_org))
    assert "consent" in assert_error_shape(response, 403, "no_consent")["message"]
    assert not Referral.objects.exists()


def test_the_partner_reads_and_answers_only_its_referral(
    client: Client,
    bearer: Bearer,
    caseworker: User,
    partner_user: User,
    case: Case,
    partner_org: Organisation,
) -> None:
    give_referral_consent(
        case.household.head, caseworker, partner_org, on=timezone.localdate() - dt.timedelta(days=1)
    )
    sent = _post(client, URL, bearer(caseworker), _body(case, partner_org))
    assert sent.status_code == 201, sent.content
    referral_id = sent.json()["id"]
    assert sent.json()["case"] == case.pk  # the sender sees the case

    listed = client.get(URL, headers=bearer(partner_user)).json()["items"]
    assert [r["id"] for r in listed] == [referral_id]
    assert "case" not in listed[0] and "person" not in listed[0]
    one = client.get(f"{URL}/{referral_id}", headers=bearer(partner_user)).json()
    assert (one["shared_given_name"], one["shared_phone"]) == ("Nasreen", "0399-1234567")
    assert not {"case", "person", "sent_by"} & set(one)

    answered = _post(
        client,
        f"{URL}/{referral_id}/respond",
        bearer(partner_user),
        {"decision": "accept", "note": "Call on Monday"},
    )
    assert answered.json()["status"] == "accepted"
    assert_error_shape(
        _post(client, f"{URL}/{referral_id}/respond", bearer(partner_user), {"decision": "accept"}),
        409,
        "conflict",
    )

    withdraw_referral_consent(case.household.head, caseworker, partner_org)
    assert_error_shape(client.get(f"{URL}/{referral_id}", headers=bearer(partner_user)), 404)
    assert client.get(URL, headers=bearer(partner_user)).json()["items"] == []
    assert_error_shape(
        _post(client, URL, bearer(caseworker), _body(case, partner_org)), 403, "no_consent"
    )


@pytest.mark.parametrize("who", ["outsider", "other_caseworker", "finance"])
def test_staff_without_the_case_get_404(
    request: pytest.FixtureRequest,
    client: Client,
    bearer: Bearer,
    caseworker: User,
    case: Case,
    partner_org: Organisation,
    who: str,
) -> None:
    give_referral_consent(case.household.head, caseworker, partner_org)
    headers = bearer(request.getfixturevalue(who))
    assert_error_shape(_post(client, URL, headers, _body(case, partner_org)), 404)
    assert client.get(URL, headers=headers).json()["items"] == []


def test_a_bad_decision_is_a_field_error(
    client: Client,
    bearer: Bearer,
    caseworker: User,
    partner_user: User,
    case: Case,
    partner_org: Organisation,
) -> None:
    give_referral_consent(case.household.head, caseworker, partner_org)
    referral_id = _post(client, URL, bearer(caseworker), _body(case, partner_org)).json()["id"]
    response = _post(
        client, f"{URL}/{referral_id}/respond", bearer(partner_user), {"decision": "maybe"}
    )
    assert "decision" in assert_error_shape(response, 422, "invalid")["fields"]
