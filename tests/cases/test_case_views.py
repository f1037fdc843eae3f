"""The case pages, asked by the case's caseworker (the owner), a colleague with another role,
another caseworker, coordinators and an outsider."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from pytest_django import Settings

from madad.accounts.models import User
from madad.cases.models import ApprovalRequest, Case, Note, Task
from madad.core.models import AuditEvent
from tests.cases.factories import case_at
from tests.households.factories import make_household

pytestmark = pytest.mark.django_db
SignedIn = Callable[[User], Client]


# --- the owner ----------------------------------------------------------------------------------
def test_the_caseworker_opens_a_case_from_the_household_page(
    caseworker: User, signed_in: SignedIn
) -> None:
    household = make_household(by=caseworker)
    client = signed_in(caseworker)
    assert "Open a case" in client.get(f"/households/{household.pk}/").content.decode()
    response = client.post(
        f"/cases/open/{household.pk}/",
        {"caseworker": caseworker.pk, "risk": "high", "next_follow_up": "2030-01-15"},
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/"
    assert (case.risk, str(case.next_follow_up), case.opened_by) == (
        "high",
        "2030-01-15",
        caseworker,
    )
    again = client.post(
        f"/cases/open/{household.pk}/", {"caseworker": caseworker.pk, "risk": "low"}
    )
    assert again.status_code == 409  # the service's conflict, on the form
    assert "already has a case that is not closed" in again.content.decode()


def test_the_caseworker_takes_a_case_through_assessment_plan_and_request(
    case: Case, caseworker: User, signed_in: SignedIn
) -> None:
    client = signed_in(caseworker)
    response = client.post(
        f"/cases/{case.pk}/assessments/new/",
        {
            "need_financial": "4",
            "need_medical": "0",
            "need_education": "3",
            "need_legal": "1",
            "need_psychosocial": "2",
            "need_shelter": "0",
            "need_livelihood": "3",
            "need_safety": "2",
            "summary": "VIEW-SUMMARY the father was the only earner",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "assessed"
    response = client.post(
        f"/cases/{case.pk}/edit/",
        {
            "version": case.version,
            "risk": "high",
            "next_follow_up": "",
            "plan": "VIEW-PLAN school fees for two children",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    response = client.post(
        f"/cases/{case.pk}/approvals/",
        {"version": case.version, "kind": "agree_plan", "note": "Urgent: term starts soon"},
    )
    assert response.status_code == 302
    approval = ApprovalRequest.objects.get(case=case)
    assert (approval.kind, approval.decision, approval.note) == (
        "agree_plan",
        "pending",
        "Urgent: term starts soon",
    )
    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert "VIEW-PLAN school fees" in html and "VIEW-SUMMARY the father" in html
    assert "waiting for a coordinator" in html
    assert AuditEvent.objects.filter(action="case.plan.viewed", actor=caseworker).exists()
    assert AuditEvent.objects.filter(action="case.assessment.viewed", actor=caseworker).exists()


def test_a_move_off_the_table_is_refused_with_the_reason(
    case: Case, caseworker: User, signed_in: SignedIn
) -> None:
    response = signed_in(caseworker).post(
        f"/cases/{case.pk}/status/", {"version": case.version, "to_status": "assisting"}
    )
    assert response.status_code == 409
    assert "Assistance starts once the plan is agreed." in response.content.decode()
    case.refresh_from_db()
    assert case.status == "open"


def test_a_stale_page_cannot_move_the_case(
    caseworker: User, coordinator: User, signed_in: SignedIn
) -> None:
    case = case_at("plan_agreed", caseworker=caseworker, coordinator=coordinator)
    response = signed_in(caseworker).post(
        f"/cases/{case.pk}/status/", {"version": case.version - 1, "to_status": "assisting"}
    )
    assert response.status_code == 409
    assert "Somebody else changed this case" in response.content.decode()


def test_notes_are_encrypted_shown_to_the_caseworker_and_their_reading_audited(
    case: Case, caseworker: User, signed_in: SignedIn
) -> None:
    client = signed_in(caseworker)
    response = client.post(
        f"/cases/{case.pk}/notes/",
        {"text": "NOTE-TEXT visited; the landlord threatens eviction", "is_contact": "on"},
    )
    assert response.status_code == 302
    note = Note.objects.get()
    raw = Note.objects.filter(pk=note.pk).values_list("text", flat=True)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM cases_note WHERE id = %s", [note.pk])
        stored = cursor.fetchone()[0]
    assert "NOTE-TEXT" not in stored and raw
    case.refresh_from_db()
    assert case.last_contact_at is not None
    assert "NOTE-TEXT visited" in client.get(f"/cases/{case.pk}/").content.decode()
    assert AuditEvent.objects.filter(
        action="case.note.viewed", actor=caseworker, object_id=str(note.pk)
    ).exists()


def test_an_empty_note_is_refused_on_the_form(
    case: Case, caseworker: User, signed_in: SignedIn
) -> None:
    response = signed_in(caseworker).post(f"/cases/{case.pk}/notes/", {"text": "  "})
    assert response.status_code == 422
    assert "This field is required." in response.content.decode()
    assert not Note.objects.exists()


def test_tasks_are_added_and_done_once(case: Case, caseworker: User, signed_in: SignedIn) -> None:
    client = signed_in(caseworker)
    response = client.post(
        f"/cases/{case.pk}/tasks/", {"title": "Collect school receipts", "due_on": "2030-02-01"}
    )
    assert response.status_code == 302
    task = Task.objects.get()
    assert task.assigned_to == caseworker
    client.post(f"/cases/{case.pk}/tasks/{task.pk}/done/")
    task.refresh_from_db()
    assert task.done_by == caseworker
    response = client.post(f"/cases/{case.pk}/tasks/{task.pk}/done/", follow=True)
    assert "already marked done" in response.content.decode()
    bad = client.post(f"/cases/{case.pk}/tasks/", {"title": "", "due_on": "someday"})
    assert bad.status_code == 422 and Task.objects.count() == 1


def test_the_caseworker_cannot_decide_their_own_request(
    caseworker: User, coordinator: User, signed_in: SignedIn
) -> None:
    case = case_at("assisting", caseworker=caseworker, coordinator=coordinator)
    client = signed_in(caseworker)
    client.post(f"/cases/{case.pk}/approvals/", {"version": case.version, "kind": "close"})
    approval = ApprovalRequest.objects.get(case=case, kind="close")
    response = client.post(
        f"/cases/{case.pk}/approvals/{approval.pk}/decision/", {"decision": "approve"}
    )
    assert response.status_code == 404
    approval.refresh_from_db()
    assert approval.decision == "pending"


def test_closing_and_reopening_through_the_pages(
    caseworker: User, coordinator: User, second_coordinator: User, signed_in: SignedIn
) -> None:
    case = case_at("follow_up", caseworker=caseworker, coordinator=coordinator)
    signed_in(caseworker).post(
        f"/cases/{case.pk}/approvals/", {"version": case.version, "kind": "close"}
    )
    approval = ApprovalRequest.objects.get(case=case, kind="close")
    response = signed_in(second_coordinator).post(
        f"/cases/{case.pk}/approvals/{approval.pk}/decision/", {"decision": "approve"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "closed"
    response = signed_in(caseworker).post(
        f"/cases/{case.pk}/reopen/", {"version": case.version, "reason": ""}
    )
    assert response.status_code == 422
    response = signed_in(caseworker).post(
        f"/cases/{case.pk}/reopen/", {"version": case.version, "reason": "Threatened again"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.episode) == ("open", 2)


# --- coordinators ---------------------------------------------------------------------------------
def test_a_coordinator_refuses_with_a_reason_or_is_told_to_give_one(
    caseworker: User, coordinator: User, signed_in: SignedIn
) -> None:
    case = case_at("assisting", caseworker=caseworker, coordinator=coordinator)
    signed_in(caseworker).post(
        f"/cases/{case.pk}/approvals/", {"version": case.version, "kind": "close"}
    )
    approval = ApprovalRequest.objects.get(case=case, kind="close")
    client = signed_in(coordinator)
    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert f"/cases/{case.pk}/approvals/{approval.pk}/decision/" in html
    response = client.post(
        f"/cases/{case.pk}/approvals/{approval.pk}/decision/", {"decision": "refuse", "reason": ""}
    )
    assert response.status_code == 422
    assert "Say why you refuse" in response.content.decode()
    response = client.post(
        f"/cases/{case.pk}/approvals/{approval.pk}/decision/",
        {"decision": "refuse", "reason": "Rent is still unpaid."},
    )
    assert response.status_code == 302
    approval.refresh_from_db()
    assert approval.decision == "refused"


def test_a_coordinator_reassigns_a_case(
    case: Case, coordinator: User, other_caseworker: User, signed_in: SignedIn
) -> None:
    response = signed_in(coordinator).post(
        f"/cases/{case.pk}/assign/", {"version": case.version, "caseworker": other_caseworker.pk}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.caseworker == other_caseworker


def test_the_list_filters_by_status_and_caseworker(
    caseworker: User, other_caseworker: User, coordinator: User, signed_in: SignedIn
) -> None:
    mine = case_at("assessed", caseworker=caseworker, coordinator=coordinator)
    theirs = case_at("closed", caseworker=other_caseworker, coordinator=coordinator)
    client = signed_in(coordinator)
    html = client.get("/cases/").content.decode()
    assert f"/cases/{mine.pk}/" in html and f"/cases/{theirs.pk}/" in html
    html = client.get("/cases/", {"status": "active"}).content.decode()
    assert f"/cases/{mine.pk}/" in html and f"/cases/{theirs.pk}/" not in html
    html = client.get("/cases/", {"caseworker": other_caseworker.pk}).content.decode()
    assert f"/cases/{mine.pk}/" not in html and f"/cases/{theirs.pk}/" in html


# --- who sees what ------------------------------------------------------------------------------
def test_another_caseworker_gets_404_on_the_case_and_its_actions(
    case: Case, other_caseworker: User, signed_in: SignedIn
) -> None:
    client = signed_in(other_caseworker)
    assert client.get(f"/cases/{case.pk}/").status_code == 404
    assert client.get(f"/cases/{case.pk}/edit/").status_code == 404
    assert client.post(f"/cases/{case.pk}/notes/", {"text": "x"}).status_code == 404
    assert (
        client.post(
            f"/cases/{case.pk}/status/", {"version": 1, "to_status": "assessed"}
        ).status_code
        == 404
    )
    assert f"/cases/{case.pk}/" not in client.get("/cases/").content.decode()
    assert not Note.objects.exists()
    assert AuditEvent.objects.filter(
        action="access.denied", actor=other_caseworker, object_type="cases.case"
    ).exists()


def test_with_team_visibility_a_teammate_sees_the_case(
    case: Case, caseworker: User, other_caseworker: User, signed_in: SignedIn, settings: Settings
) -> None:
    from madad.cases.services import team_create, team_members_set

    settings.CASE_VISIBILITY = "team"
    client = signed_in(other_caseworker)
    assert client.get(f"/cases/{case.pk}/").status_code == 404  # no team yet
    team = team_create(organisation=caseworker.organisation, name="North", created_by=caseworker)
    team_members_set(team=team, members=[caseworker, other_caseworker], changed_by=caseworker)
    assert client.get(f"/cases/{case.pk}/").status_code == 200
    settings.CASE_VISIBILITY = "own"
    assert client.get(f"/cases/{case.pk}/").status_code == 404


def test_a_documenter_has_no_case_pages(case: Case, documenter: User, signed_in: SignedIn) -> None:
    client = signed_in(documenter)
    assert client.get("/cases/").status_code == 404
    assert client.get("/cases/my-day/").status_code == 404
    assert client.get(f"/cases/{case.pk}/").status_code == 404


def test_a_coordinator_of_another_organisation_gets_404(
    case: Case, outsider: User, signed_in: SignedIn
) -> None:
    client = signed_in(outsider)
    assert client.get(f"/cases/{case.pk}/").status_code == 404
    assert client.post(f"/cases/{case.pk}/notes/", {"text": "x"}).status_code == 404
    assert f"/cases/{case.pk}/" not in client.get("/cases/").content.decode()


def test_a_partner_has_no_case_pages(case: Case, partner_user: User, signed_in: SignedIn) -> None:
    client = signed_in(partner_user)
    assert client.get("/cases/").status_code == 404
    assert client.get(f"/cases/{case.pk}/").status_code == 404


# --- teams ----------------------------------------------------------------------------------------
def test_a_coordinator_keeps_the_case_teams(
    coordinator: User, caseworker: User, other_caseworker: User, signed_in: SignedIn
) -> None:
    from madad.cases.models import Team

    client = signed_in(coordinator)
    assert client.post("/cases/teams/", {"name": "North"}).status_code == 302
    duplicate = client.post("/cases/teams/", {"name": "North"})
    assert duplicate.status_code == 422
    assert "A team with this name exists already." in duplicate.content.decode()
    team = Team.objects.get()
    response = client.post(
        f"/cases/teams/{team.pk}/members/", {"members": [caseworker.pk, other_caseworker.pk]}
    )
    assert response.status_code == 302
    assert set(team.members.all()) == {caseworker, other_caseworker}
    assert "Sana Caseworker" in client.get("/cases/teams/").content.decode()


def test_only_coordinators_of_the_organisation_keep_teams(
    caseworker: User, outsider: User, coordinator: User, signed_in: SignedIn
) -> None:
    from madad.cases.services import team_create

    team = team_create(organisation=coordinator.organisation, name="South", created_by=coordinator)
    assert signed_in(caseworker).get("/cases/teams/").status_code == 404
    assert (
        signed_in(caseworker)
        .post(f"/cases/teams/{team.pk}/members/", {"members": [caseworker.pk]})
        .status_code
        == 404
    )
    response = signed_in(outsider).post(
        f"/cases/teams/{team.pk}/members/", {"members": [outsider.pk]}
    )
    assert response.status_code == 404
    assert not team.members.exists()
