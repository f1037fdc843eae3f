"""/api/v1/cases, /api/v1/assessments and /api/v1/households asked by the caseworker (owner),
coordinators, another caseworker, a documenter and an outsider."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from madad.accounts.models import User
from madad.accounts.roles import Role
from madad.cases.models import ApprovalRequest, Case
from madad.core.models import AuditEvent
from madad.households.models import Household
from tests.api.helpers import assert_error_shape
from tests.cases.factories import NEEDS, case_at
from tests.households.factories import make_household, make_person

pytestmark = pytest.mark.django_db
Bearer = Callable[[User], dict[str, str]]


def _post(client: Client, url: str, body: Any, headers: dict[str, str]) -> Any:
    return client.post(url, body, content_type="application/json", headers=headers)


# --- households -----------------------------------------------------------------------------
def test_a_caseworker_registers_a_household_through_the_api(
    client: Client, caseworker: User, bearer: Bearer
) -> None:
    known = make_person(by=caseworker, given_name="Sadia")
    response = _post(
        client,
        "/api/v1/households",
        {
            "members": [
                {"person_id": known.pk, "relation": "head"},
                {
                    "new_person": {"given_name": "Ahmed", "age": 8},
                    "relation": "son",
                    "dependant": True,
                    "schooling": "in_school",
                },
            ],
            "address": "API-ADDRESS 7",
            "monthly_income_before": "20000.50",
            "monthly_income_after": 0,
        },
        bearer(caseworker),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["head_id"] == known.pk and body["address"] == "API-ADDRESS 7"
    assert [m["relation"] for m in body["members"]] == ["head", "son"]
    assert body["monthly_income_before"] == "20000.50"
    household = Household.objects.get(pk=body["id"])
    patched = client.patch(
        f"/api/v1/households/{household.pk}",
        {"version": body["version"], "monthly_income_after": "5000"},
        content_type="application/json",
        headers=bearer(caseworker),
    )
    assert patched.status_code == 200 and patched.json()["version"] == 2
    stale = client.patch(
        f"/api/v1/households/{household.pk}",
        {"version": 1, "address": "x"},
        content_type="application/json",
        headers=bearer(caseworker),
    )
    assert_error_shape(stale, 409, "stale")


def test_bad_household_input_gives_field_errors_and_writes_nothing(
    client: Client, caseworker: User, bearer: Bearer
) -> None:
    response = _post(
        client,
        "/api/v1/households",
        {
            "members": [
                {"new_person": {"given_name": "A"}, "relation": "head"},
                {"new_person": {"given_name": "B"}, "relation": "head"},
            ],
            "monthly_income_before": -3,
        },
        bearer(caseworker),
    )
    error = assert_error_shape(response, 422, "invalid")
    assert "monthly_income_before" in error["fields"]
    response = _post(
        client,
        "/api/v1/households",
        {
            "members": [
                {"new_person": {"given_name": "A"}, "relation": "head"},
                {"new_person": {"given_name": "B"}, "relation": "head"},
            ]
        },
        bearer(caseworker),
    )
    assert "members.1.relation" in assert_error_shape(response, 422)["fields"]
    response = _post(
        client,
        "/api/v1/households",
        {"members": [{"person_id": 999999, "relation": "head"}]},
        bearer(caseworker),
    )
    assert "members.0.person_id" in assert_error_shape(response, 422)["fields"]
    assert not Household.objects.exists()


def test_members_are_added_changed_and_removed(
    client: Client, caseworker: User, bearer: Bearer
) -> None:
    household = make_household(by=caseworker)
    headers = bearer(caseworker)
    response = _post(
        client,
        f"/api/v1/households/{household.pk}/members",
        {"new_person": {"given_name": "Gran"}, "relation": "mother"},
        headers,
    )
    assert response.status_code == 201
    member_id = response.json()["members"][-1]["id"]
    response = client.patch(
        f"/api/v1/households/{household.pk}/members/{member_id}",
        {"dependant": True},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 200 and response.json()["members"][-1]["dependant"]
    response = client.delete(
        f"/api/v1/households/{household.pk}/members/{member_id}", headers=headers
    )
    assert response.status_code == 200 and len(response.json()["members"]) == 2
    second_head = _post(
        client,
        f"/api/v1/households/{household.pk}/members",
        {"new_person": {"given_name": "X"}, "relation": "head"},
        headers,
    )
    assert "relation" in assert_error_shape(second_head, 422)["fields"]


def test_households_are_404_for_others(
    client: Client,
    caseworker: User,
    other_caseworker: User,
    documenter: User,
    outsider: User,
    partner_user: User,
    coordinator: User,
    bearer: Bearer,
) -> None:
    household = make_household(by=caseworker)
    for user in (other_caseworker, documenter, outsider, partner_user):
        assert_error_shape(
            client.get(f"/api/v1/households/{household.pk}", headers=bearer(user)), 404
        )
        listed = client.get("/api/v1/households", headers=bearer(user))
        assert listed.status_code == 404 or listed.json()["count"] == 0
    assert (
        client.get(f"/api/v1/households/{household.pk}", headers=bearer(coordinator)).status_code
        == 200
    )


# --- cases ------------------------------------------------------------------------------------
def test_a_case_goes_from_open_to_closed_through_the_api(
    client: Client, caseworker: User, coordinator: User, second_coordinator: User, bearer: Bearer
) -> None:
    household = make_household(by=caseworker)
    mine = bearer(caseworker)
    response = _post(client, "/api/v1/cases", {"household_id": household.pk, "risk": "high"}, mine)
    assert response.status_code == 201, response.content
    case_id = response.json()["id"]
    url = f"/api/v1/cases/{case_id}"
    response = _post(
        client,
        f"{url}/assessments",
        {"needs": {"financial": 4, "education": 2}, "summary": "API-SUMMARY"},
        mine,
    )
    assert response.status_code == 201 and response.json()["needs"] == {
        "education": 2,
        "financial": 4,
    }
    case = client.get(url, headers=mine).json()
    assert case["status"] == "assessed"
    refused = _post(client, f"{url}/transitions", {"to_status": "plan_agreed"}, mine)
    assert_error_shape(refused, 409, "approval_needed")
    case = client.patch(
        url,
        {"version": case["version"], "plan": "API-PLAN"},
        content_type="application/json",
        headers=mine,
    ).json()
    approval = _post(client, f"{url}/approvals", {"kind": "agree_plan"}, mine).json()
    own = _post(
        client, f"{url}/approvals/{approval['id']}/decision", {"approve": True}, bearer(caseworker)
    )
    assert_error_shape(own, 404)  # as on the case's page: deciding is a coordinator's
    decided = _post(
        client, f"{url}/approvals/{approval['id']}/decision", {"approve": True}, bearer(coordinator)
    )
    assert decided.status_code == 200 and decided.json()["decision"] == "approved"
    for status in ("assisting", "follow_up"):
        assert (
            _post(client, f"{url}/transitions", {"to_status": status}, mine).json()["status"]
            == status
        )
    closing = _post(client, f"{url}/approvals", {"kind": "close"}, bearer(coordinator)).json()
    self_approval = _post(
        client, f"{url}/approvals/{closing['id']}/decision", {"approve": True}, bearer(coordinator)
    )
    assert_error_shape(self_approval, 403, "not_requester")
    _post(
        client,
        f"{url}/approvals/{closing['id']}/decision",
        {"approve": True},
        bearer(second_coordinator),
    )
    case = client.get(url, headers=mine).json()
    assert case["status"] == "closed" and case["closed_at"]
    assert [h["to_status"] for h in case["history"]] == [
        "open",
        "assessed",
        "plan_agreed",
        "assisting",
        "follow_up",
        "closed",
    ]
    assert case["plan"] == "API-PLAN"
    reopened = _post(client, f"{url}/reopen", {"reason": "Threatened again"}, mine)
    assert reopened.json()["episode"] == 2


def test_notes_tasks_and_assessments_through_the_api(
    client: Client, case: Case, caseworker: User, bearer: Bearer
) -> None:
    mine = bearer(caseworker)
    url = f"/api/v1/cases/{case.pk}"
    assert (
        _post(client, f"{url}/notes", {"text": "API-NOTE", "is_contact": True}, mine).status_code
        == 201
    )
    notes = client.get(f"{url}/notes", headers=mine).json()
    assert [n["text"] for n in notes] == ["API-NOTE"]
    assert AuditEvent.objects.filter(action="case.note.viewed").exists()
    task = _post(client, f"{url}/tasks", {"title": "Call", "due_on": "2030-01-01"}, mine).json()
    assert _post(client, f"{url}/tasks/{task['id']}/done", {}, mine).json()["done_at"]
    assert_error_shape(
        _post(client, f"{url}/tasks/{task['id']}/done", {}, mine), 409, "already_done"
    )
    _post(client, f"{url}/assessments", {"needs": NEEDS, "summary": "API-SUMMARY"}, mine)
    listed = client.get("/api/v1/assessments", {"case_id": case.pk}, headers=mine).json()
    assert listed["count"] == 1 and listed["items"][0]["needs"] == NEEDS
    detail = client.get(f"/api/v1/assessments/{listed['items'][0]['id']}", headers=mine)
    assert detail.json()["summary"] == "API-SUMMARY"
    bad = _post(client, f"{url}/assessments", {"needs": {"financial": 9}}, mine)
    assert "needs.financial" in assert_error_shape(bad, 422)["fields"]
    unknown = _post(client, f"{url}/assessments", {"needs": {"luck": 1}}, mine)
    assert_error_shape(unknown, 422)


def test_the_list_filters_cases(
    client: Client, caseworker: User, coordinator: User, bearer: Bearer
) -> None:
    assessed = case_at("assessed", caseworker=caseworker, coordinator=coordinator)
    closed = case_at("closed", caseworker=caseworker, coordinator=coordinator)
    headers = bearer(caseworker)
    every = client.get("/api/v1/cases", headers=headers).json()
    assert {c["id"] for c in every["items"]} == {assessed.pk, closed.pk}
    active = client.get("/api/v1/cases", {"status": "active"}, headers=headers).json()
    assert [c["id"] for c in active["items"]] == [assessed.pk]
    assert_error_shape(client.get("/api/v1/cases", {"status": "done"}, headers=headers), 422)


def test_a_caseworker_gets_404_on_another_caseworkers_case(
    client: Client, case: Case, other_caseworker: User, bearer: Bearer
) -> None:
    headers = bearer(other_caseworker)
    url = f"/api/v1/cases/{case.pk}"
    assert_error_shape(client.get(url, headers=headers), 404)
    assert_error_shape(client.get(f"{url}/notes", headers=headers), 404)
    assert_error_shape(_post(client, f"{url}/notes", {"text": "x"}, headers), 404)
    assert_error_shape(_post(client, f"{url}/transitions", {"to_status": "assessed"}, headers), 404)
    assert client.get("/api/v1/cases", headers=headers).json()["count"] == 0


@pytest.mark.parametrize("who", ["documenter", "outsider", "partner_user"])
def test_cases_do_not_exist_for_others(
    client: Client, case: Case, who: str, bearer: Bearer, request: pytest.FixtureRequest
) -> None:
    headers = bearer(request.getfixturevalue(who))
    assert_error_shape(client.get(f"/api/v1/cases/{case.pk}", headers=headers), 404)
    listed = client.get("/api/v1/cases", headers=headers)
    assert listed.status_code == 404 or listed.json()["count"] == 0
    opened = _post(client, "/api/v1/cases", {"household_id": case.household_id}, headers)
    assert opened.status_code in (403, 404)
    assert Case.objects.count() == 1


def test_a_coordinator_reassigns_and_the_caseworker_loses_sight(
    client: Client,
    case: Case,
    coordinator: User,
    caseworker: User,
    other_caseworker: User,
    bearer: Bearer,
) -> None:
    response = _post(
        client,
        f"/api/v1/cases/{case.pk}/assign",
        {"caseworker_id": other_caseworker.pk},
        bearer(coordinator),
    )
    assert response.status_code == 200 and response.json()["caseworker_id"] == other_caseworker.pk
    assert_error_shape(client.get(f"/api/v1/cases/{case.pk}", headers=bearer(caseworker)), 404)
    refused = _post(
        client,
        f"/api/v1/cases/{case.pk}/assign",
        {"caseworker_id": caseworker.pk},
        bearer(other_caseworker),
    )
    assert_error_shape(refused, 403, "not_allowed")


def test_another_organisations_coordinator_is_told_the_case_does_not_exist_before_the_colleague(
    client: Client,
    case: Case,
    caseworker: User,
    outsider: User,
    make_user: Callable[..., User],
    bearer: Bearer,
) -> None:
    """The case the path names is looked up first: 404 whichever colleague the body names (a
    colleague of neither organisation was a 422 on "caseworker_id" that told the case exists)."""
    theirs = make_user(Role.CASEWORKER, organisation=outsider.organisation)
    before = (case.caseworker_id, case.version)
    for named in (caseworker.pk, theirs.pk, 2**40):
        refused = _post(
            client, f"/api/v1/cases/{case.pk}/assign", {"caseworker_id": named}, bearer(outsider)
        )
        assert_error_shape(refused, 404, "not_found")
    case.refresh_from_db()
    assert (case.caseworker_id, case.version) == before


def test_a_caseworker_is_refused_a_decision_before_its_body_is_judged(
    client: Client, case: Case, caseworker: User, bearer: Bearer
) -> None:
    """Deciding is a coordinator's: the caseworker gets the 404 of the case's page, also for a
    refusal without a reason (which was judged first, a 422 on "reason")."""
    headers = bearer(caseworker)
    url = f"/api/v1/cases/{case.pk}/approvals"
    approval = _post(client, url, {"kind": "close"}, headers).json()
    for body in ({"approve": False}, {"approve": False, "reason": "Because."}, {"approve": True}):
        refused = _post(client, f"{url}/{approval['id']}/decision", body, headers)
        assert_error_shape(refused, 404, "not_found")
    assert ApprovalRequest.objects.get(pk=approval["id"]).decision == "pending"


def test_one_waiting_request_per_kind_through_the_api(
    client: Client, case: Case, caseworker: User, bearer: Bearer
) -> None:
    headers = bearer(caseworker)
    url = f"/api/v1/cases/{case.pk}/approvals"
    assert _post(client, url, {"kind": "close"}, headers).status_code == 201
    assert_error_shape(_post(client, url, {"kind": "close"}, headers), 409, "pending_exists")
    assert ApprovalRequest.objects.count() == 1
