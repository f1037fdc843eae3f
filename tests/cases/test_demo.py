"""The demo households and cases: built around demo victims, at every stage, loaded once."""

from __future__ import annotations

import pytest
from django.utils import timezone

from madad.accounts.demo import demo_email, load_users
from madad.accounts.models import User
from madad.accounts.roles import Role
from madad.cases import demo as case_demo
from madad.cases.models import ApprovalRequest, Case, StatusChange
from madad.core.demo import DemoContext
from madad.households import demo as household_demo
from madad.households.models import Household
from madad.incidents import demo as incident_demo
from madad.people import demo as people_demo
from tests.incidents.factories import gazetteer

pytestmark = pytest.mark.django_db


def _context(scale: float = 0.5) -> DemoContext:
    relief, partner = load_users(password="demo password for tests")
    users = {role: User.objects.get(email=demo_email(role)) for role in Role.values}
    return DemoContext(relief=relief, partner=partner, users=users, scale=scale)


def _load(context: DemoContext) -> None:
    for module in (household_demo, case_demo):
        module.load(context)


def test_households_and_cases_are_built_around_demo_victims_once() -> None:
    gazetteer()
    context = _context()
    incident_demo.load(
        DemoContext(relief=context.relief, partner=context.partner, users=context.users, scale=0.05)
    )
    _load(context)
    households = Household.objects.filter(organisation=context.relief)
    assert households.count() == 30
    assert context.report[-2:] == ["30 households", "30 cases at every stage"]
    for household in households:
        assert household.affected_by.exists(), "a household without what hit it"
        assert household.members.filter(relation="head").count() == 1
        assert all(
            m.person.cnic.startswith("99999") or not m.person.cnic
            for m in household.members.select_related("person")
        )
    _load(_context())
    assert households.count() == 30 and Case.objects.count() == 30


def test_the_demo_cases_reach_every_stage_by_the_rules(db: None) -> None:
    context = _context(scale=0.3)
    people_demo.load(context)  # no incidents: households around demo persons
    _load(context)
    cases = Case.objects.filter(organisation=context.relief)
    assert set(cases.values_list("status", flat=True)) == set(Case.Status.values)
    assert cases.filter(episode=2).exists()
    assert ApprovalRequest.objects.filter(decision="pending", kind="agree_plan").exists()
    assert ApprovalRequest.objects.filter(decision="pending", kind="close").exists()
    worker, boss = context.users[Role.CASEWORKER], context.users[Role.COORDINATOR]
    assert set(cases.values_list("caseworker", flat=True)) == {worker.pk}
    for approval in ApprovalRequest.objects.exclude(decision="pending"):
        assert approval.decided_by == boss and approval.requested_by == worker
    now = timezone.now()
    for case in cases:
        changes = list(StatusChange.objects.filter(case=case).order_by("at", "id"))
        assert changes[-1].to_status == case.status
        assert all(case.opened_at <= c.at < now for c in changes)
        assert (case.closed_at is not None) == case.is_closed
