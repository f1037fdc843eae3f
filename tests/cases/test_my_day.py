"""The caseworker's day and the coordinator's view over everybody's cases."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from madad.accounts.models import User
from madad.cases import selectors, services
from madad.cases.models import Case
from madad.claims.models import Claim
from madad.referrals.models import Referral
from tests.cases.factories import case_at, open_case

pytestmark = pytest.mark.django_db
SignedIn = Callable[[User], Client]
TODAY = dt.date(2030, 6, 10)


def _follow_up(case: Case, on: dt.date) -> None:
    Case.objects.filter(pk=case.pk).update(next_follow_up=on)


def test_the_day_lists_late_follow_ups_tasks_due_and_waiting_requests(
    caseworker: User, other_caseworker: User, coordinator: User
) -> None:
    late = open_case(caseworker=caseworker)
    _follow_up(late, TODAY - dt.timedelta(days=3))
    today = open_case(caseworker=caseworker)
    _follow_up(today, TODAY)
    later = open_case(caseworker=caseworker)
    _follow_up(later, TODAY + dt.timedelta(days=3))
    somebody_elses = open_case(caseworker=other_caseworker)
    _follow_up(somebody_elses, TODAY - dt.timedelta(days=3))
    services.task_add(
        case=late, added_by=caseworker, title="Call the school", due_on=TODAY - dt.timedelta(days=1)
    )
    services.task_add(
        case=late, added_by=caseworker, title="Next month", due_on=TODAY + dt.timedelta(days=30)
    )
    done = services.task_add(case=today, added_by=caseworker, title="Done already", due_on=TODAY)
    services.task_done(task=done, done_by=caseworker)
    asked = services.approval_request(case=later, kind="close", requested_by=caseworker)
    refused_case = case_at("assisting", caseworker=caseworker, coordinator=coordinator)
    refused = services.approval_request(case=refused_case, kind="close", requested_by=caseworker)
    services.approval_decide(
        approval=refused, decided_by=coordinator, approve=False, reason="Not yet"
    )

    day = selectors.my_day(user=caseworker, today=TODAY)

    assert day.overdue_follow_ups == [late]
    assert day.due_today == [today]
    assert [t.title for t in day.tasks_due] == ["Call the school"]
    assert day.awaiting_approval == [asked]
    assert day.recently_refused == [refused]


def test_the_day_asks_referrals_and_claims_for_what_needs_the_caseworker(
    caseworker: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[str, User]] = []
    response, claim = Referral(), Claim()

    def responses(user: User) -> list[Referral]:
        calls.append(("referrals", user))
        return [response]

    def claims(user: User) -> list[Claim]:
        calls.append(("claims", user))
        return [claim]

    monkeypatch.setattr(selectors, "referral_responses_for", responses)
    monkeypatch.setattr(selectors, "claims_needing_action", claims)
    day = selectors.my_day(user=caseworker, today=TODAY)
    assert (day.referral_responses, day.claims_needing_action) == ([response], [claim])
    assert calls == [("referrals", caseworker), ("claims", caseworker)]


def test_the_coordinator_sees_caseloads_waiting_approvals_and_cases_without_contact(
    caseworker: User, other_caseworker: User, coordinator: User
) -> None:
    quiet = open_case(caseworker=caseworker, risk="critical")
    Case.objects.filter(pk=quiet.pk).update(
        opened_at=timezone.now() - dt.timedelta(days=45),
        next_follow_up=TODAY - dt.timedelta(days=1),
    )
    contacted = open_case(caseworker=caseworker)
    Case.objects.filter(pk=contacted.pk).update(opened_at=timezone.now() - dt.timedelta(days=90))
    services.note_add(case=contacted, written_by=caseworker, text="Visited", is_contact=True)
    stale_contact = case_at("assisting", caseworker=other_caseworker, coordinator=coordinator)
    Case.objects.filter(pk=stale_contact.pk).update(
        last_contact_at=timezone.now() - dt.timedelta(days=31)
    )
    case_at("closed", caseworker=other_caseworker, coordinator=coordinator)
    waiting = services.approval_request(
        case=stale_contact, kind="close", requested_by=other_caseworker
    )

    overview = selectors.coordinator_overview(user=coordinator, today=TODAY)

    assert overview is not None
    loads = {load.caseworker: load for load in overview.caseloads}
    assert loads[caseworker].active == 2 and loads[caseworker].overdue == 1
    assert loads[caseworker].high_risk == 1 and loads[caseworker].by_status["open"] == 2
    assert loads[other_caseworker].active == 1  # the closed case is not a load
    assert loads[other_caseworker].by_status["assisting"] == 1
    assert overview.approvals_waiting == [waiting]
    assert set(overview.without_contact) == {quiet, stale_contact}


def test_a_caseworker_gets_no_coordinator_view(caseworker: User) -> None:
    assert selectors.coordinator_overview(user=caseworker, today=TODAY) is None


def test_the_day_page_for_a_caseworker_and_for_a_coordinator(
    caseworker: User, coordinator: User, signed_in: SignedIn
) -> None:
    late = open_case(caseworker=caseworker)
    _follow_up(late, timezone.localdate() - dt.timedelta(days=2))
    html = signed_in(caseworker).get("/cases/my-day/").content.decode()
    assert f"/cases/{late.pk}/" in html and "late since" in html
    assert "Caseload per caseworker" not in html
    html = signed_in(coordinator).get("/cases/my-day/").content.decode()
    assert "Caseload per caseworker" in html and caseworker.full_name in html


def test_an_outsider_sees_nothing_of_the_organisation_in_their_day(
    caseworker: User, outsider: User, signed_in: SignedIn
) -> None:
    late = open_case(caseworker=caseworker)
    _follow_up(late, timezone.localdate() - dt.timedelta(days=2))
    response = signed_in(outsider).get("/cases/my-day/")
    assert response.status_code == 200
    assert f"/cases/{late.pk}/" not in response.content.decode()
    assert caseworker.full_name not in response.content.decode()
