"""/api/v1/referrals/{id}: the history of the partner's answers, under the same rules as the
pages (issue #17)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from madad.accounts.models import User
from madad.core.models import AuditEvent
from madad.referrals.models import Referral
from madad.referrals.services import referral_respond
from tests.api.helpers import assert_error_shape

pytestmark = pytest.mark.django_db

Bearer = Callable[[User], dict[str, str]]
URL = "/api/v1/referrals"


def _respond(client: Client, headers: dict[str, str], referral: Referral, **body: Any) -> Any:
    return client.post(
        f"{URL}/{referral.pk}/respond", body, content_type="application/json", headers=headers
    )


@pytest.mark.parametrize("who", ["caseworker", "partner_user"])
def test_the_referral_lists_its_answers_in_order_each_with_its_note(
    request: pytest.FixtureRequest,
    client: Client,
    bearer: Bearer,
    sent_referral: Referral,
    partner_user: User,
    who: str,
) -> None:
    referral_respond(
        referral=sent_referral, responded_by=partner_user, decision="accept", note="Call Monday"
    )
    referral_respond(referral=sent_referral, responded_by=partner_user, decision="complete")
    body = client.get(
        f"{URL}/{sent_referral.pk}", headers=bearer(request.getfixturevalue(who))
    ).json()
    assert [(a["from_status"], a["status"], a["by"], a["note"]) for a in body["answers"]] == [
        ("sent", "accepted", partner_user.pk, "Call Monday"),
        ("accepted", "completed", partner_user.pk, ""),
    ]
    assert body["answers"][0]["at"] <= body["answers"][1]["at"]
    assert (body["status"], body["response_note"]) == ("completed", "")
    assert AuditEvent.objects.filter(action="referral.answer.viewed").count() == 1


def test_an_answer_returns_the_history(
    client: Client, bearer: Bearer, sent_referral: Referral, partner_user: User
) -> None:
    response = _respond(client, bearer(partner_user), sent_referral, decision="accept", note="Yes")
    assert response.status_code == 200, response.content
    assert [a["status"] for a in response.json()["answers"]] == ["accepted"]


def test_declining_an_accepted_referral_without_a_reason_is_a_field_error(
    client: Client, bearer: Bearer, sent_referral: Referral, partner_user: User
) -> None:
    headers = bearer(partner_user)
    assert _respond(client, headers, sent_referral, decision="accept").status_code == 200
    refused = _respond(client, headers, sent_referral, decision="decline", version=2)
    assert set(assert_error_shape(refused, 422, "invalid")["fields"]) == {"note"}
    assert Referral.objects.get(pk=sent_referral.pk).status == "accepted"
    declined = _respond(
        client, headers, sent_referral, decision="decline", note="Lawyer ill", version=2
    )
    assert declined.json()["status"] == "declined"
    assert [a["note"] for a in declined.json()["answers"]] == ["", "Lawyer ill"]


@pytest.mark.parametrize("who", ["outsider", "other_caseworker", "finance"])
def test_those_who_may_not_see_the_referral_get_404(
    request: pytest.FixtureRequest,
    client: Client,
    bearer: Bearer,
    sent_referral: Referral,
    partner_user: User,
    who: str,
) -> None:
    referral_respond(referral=sent_referral, responded_by=partner_user, decision="accept")
    response = client.get(f"{URL}/{sent_referral.pk}", headers=bearer(request.getfixturevalue(who)))
    assert_error_shape(response, 404)
