"""No sequence of actions — by the caseworker, the coordinators, in any order, allowed or not —
ever leaves a case in an invalid state. Hypothesis drives random sequences through the
services; after every step the invariants are checked against the database."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from functools import partial
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from madad.accounts.models import Organisation, User
from madad.accounts.roles import Role
from madad.cases import services, workflow
from madad.cases.models import ApprovalRequest, Assessment, Case, Need, StatusChange
from madad.core.refusals import Refused
from tests.cases.factories import open_case
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

S = Case.Status
D = ApprovalRequest.Decision
ACTORS = ("caseworker", "coordinator", "second_coordinator")


def _state(case: Case) -> tuple[Any, ...]:
    """Everything a refused action must leave as it was."""
    case.refresh_from_db()
    return (
        case.status,
        case.version,
        case.episode,
        case.plan,
        case.closed_at,
        StatusChange.objects.filter(case=case).count(),
        list(
            ApprovalRequest.objects.filter(case=case)
            .values_list("decision", flat=True)
            .order_by("id")
        ),
        Assessment.objects.filter(case=case).count(),
    )


class CaseMachine(RuleBasedStateMachine):
    people: dict[str, User]

    @initialize()
    def open_a_case(self) -> None:
        organisation = self.people["caseworker"].organisation
        assert organisation is not None
        self.case = open_case(caseworker=self.people["caseworker"])
        self.refusals = 0

    def _attempt(self, action: Any) -> bool:
        """Runs the action; a refusal (a state conflict or bad input) must change nothing."""
        before = _state(self.case)
        try:
            action()
        except Refused:
            assert _state(self.case) == before, "a refused action changed the case"
            self.refusals += 1
            return False
        self.case.refresh_from_db()
        return True

    @rule(
        actor=st.sampled_from(ACTORS),
        needs=st.dictionaries(st.sampled_from(Need.values), st.integers(0, 4), max_size=3),
        summary=st.sampled_from(["", "SUMMARY"]),
    )
    def record_an_assessment(self, actor: str, needs: dict[str, int], summary: str) -> None:
        self._attempt(
            lambda: services.assessment_record(
                case=self.case, assessed_by=self.people[actor], needs=needs, summary=summary
            )
        )

    @rule(
        actor=st.sampled_from(ACTORS),
        plan=st.sampled_from(["", "PLAN A", "PLAN B"]),
        stale=st.booleans(),
    )
    def write_the_plan(self, actor: str, plan: str, stale: bool) -> None:
        version = self.case.version - 1 if stale else self.case.version
        self._attempt(
            lambda: services.case_update(
                case=self.case, updated_by=self.people[actor], expected_version=version, plan=plan
            )
        )

    @rule(actor=st.sampled_from(ACTORS), to_status=st.sampled_from(S.values))
    def move(self, actor: str, to_status: str) -> None:
        before = self.case.status
        moved = self._attempt(
            lambda: services.case_transition(
                case=self.case, to_status=to_status, by=self.people[actor]
            )
        )
        if moved:
            assert (before, to_status) in workflow.DIRECT

    @rule(actor=st.sampled_from(ACTORS), order=st.permutations(S.values))
    def try_every_move(self, actor: str, order: list[str]) -> None:
        """Every move from wherever the case is, one after the other: the refused ones must
        change nothing, and after each one made the invariants must still hold."""
        for to_status in order:
            if self._attempt(
                lambda to=to_status: services.case_transition(
                    case=self.case, to_status=to, by=self.people[actor]
                )
            ):
                self.assert_invariants()

    @rule(actor=st.sampled_from(ACTORS), kind=st.sampled_from(ApprovalRequest.Kind.values))
    def ask_for_an_approval(self, actor: str, kind: str) -> None:
        self._attempt(
            lambda: services.approval_request(
                case=self.case, kind=kind, requested_by=self.people[actor]
            )
        )

    @rule(
        actor=st.sampled_from(ACTORS),
        approve=st.booleans(),
        reason=st.sampled_from(["", "Because."]),
        which=st.integers(0, 5),
    )
    def decide(self, actor: str, approve: bool, reason: str, which: int) -> None:
        approvals = list(ApprovalRequest.objects.filter(case=self.case).order_by("-id"))
        if not approvals:
            return
        approval = approvals[which % len(approvals)]
        before = self.case.status
        decided = self._attempt(
            lambda: services.approval_decide(
                approval=approval, decided_by=self.people[actor], approve=approve, reason=reason
            )
        )
        if decided:
            assert self.people[actor].pk != approval.requested_by_id
            assert self.people[actor].role == Role.COORDINATOR
            if approve:
                froms, to_status = workflow.BY_APPROVAL[approval.kind]
                assert before in froms and self.case.status == to_status

    @rule(actor=st.sampled_from(ACTORS), which=st.integers(0, 5))
    def withdraw(self, actor: str, which: int) -> None:
        approvals = list(ApprovalRequest.objects.filter(case=self.case).order_by("-id"))
        if approvals:
            approval = approvals[which % len(approvals)]
            self._attempt(
                lambda: services.approval_withdraw(
                    approval=approval, withdrawn_by=self.people[actor]
                )
            )

    @rule(actor=st.sampled_from(ACTORS), reason=st.sampled_from(["", "Threatened again."]))
    def reopen(self, actor: str, reason: str) -> None:
        self._attempt(
            lambda: services.case_reopen(case=self.case, by=self.people[actor], reason=reason)
        )

    @rule()
    def take_the_usual_next_step(self) -> None:
        """What a caseworker and a coordinator would do next, so that random walks get past
        the approvals often enough to test what lies beyond them."""
        worker, boss = self.people["caseworker"], self.people["coordinator"]
        case = self.case
        pending = ApprovalRequest.objects.filter(case=case, decision=D.PENDING).first()
        step: Callable[[], Any]
        if pending is not None:
            decider = (
                boss if pending.requested_by_id != boss.pk else self.people["second_coordinator"]
            )
            step = partial(
                services.approval_decide, approval=pending, decided_by=decider, approve=True
            )
        elif case.status == S.OPEN:
            step = partial(
                services.assessment_record, case=case, assessed_by=worker, needs={"financial": 2}
            )
        elif case.status == S.ASSESSED and not case.plan:
            step = partial(
                services.case_update,
                case=case,
                updated_by=worker,
                expected_version=case.version,
                plan="PLAN",
            )
        elif case.status == S.ASSESSED:
            step = partial(
                services.approval_request, case=case, kind="agree_plan", requested_by=worker
            )
        elif case.status in (S.PLAN_AGREED, S.ASSISTING):
            step = partial(
                services.case_transition,
                case=case,
                by=worker,
                to_status=S.ASSISTING if case.status == S.PLAN_AGREED else S.FOLLOW_UP,
            )
        elif case.status == S.FOLLOW_UP:
            step = partial(services.approval_request, case=case, kind="close", requested_by=worker)
        else:
            step = partial(services.case_reopen, case=case, by=worker, reason="Again.")
        assert self._attempt(step), "the usual next step was refused"

    # --- invariants -------------------------------------------------------------------------
    def assert_invariants(self) -> None:
        for name in dir(type(self)):
            method = getattr(type(self), name)
            if getattr(method, "hypothesis_stateful_invariant", None) is not None:
                getattr(self, name)()

    @invariant()
    def closed_exactly_when_there_is_a_closing_time(self) -> None:
        case = Case.objects.get(pk=self.case.pk)
        assert (case.status == S.CLOSED) == (case.closed_at is not None)

    @invariant()
    def the_plan_of_this_episode_was_approved_before_assisting(self) -> None:
        case = Case.objects.get(pk=self.case.pk)
        if case.status in workflow.AFTER_PLAN:
            assert ApprovalRequest.objects.filter(
                case=case, kind="agree_plan", decision=D.APPROVED, episode=case.episode
            ).exists()
            assert case.plan

    @invariant()
    def assessed_in_this_episode_before_the_plan(self) -> None:
        case = Case.objects.get(pk=self.case.pk)
        if case.status in {S.ASSESSED, *workflow.AFTER_PLAN}:
            assert Assessment.objects.filter(case=case, episode=case.episode).exists()

    @invariant()
    def closed_only_by_an_approval_of_this_episode(self) -> None:
        case = Case.objects.get(pk=self.case.pk)
        if case.status == S.CLOSED:
            last = StatusChange.objects.filter(case=case).last()
            assert last is not None and last.to_status == S.CLOSED
            assert last.approved_by_id is not None and last.approved_by_id != last.by_id
            assert ApprovalRequest.objects.filter(
                case=case, kind="close", decision=D.APPROVED, episode=case.episode
            ).exists()

    @invariant()
    def waiting_requests_make_sense(self) -> None:
        case = Case.objects.get(pk=self.case.pk)
        pending = list(ApprovalRequest.objects.filter(case=case, decision=D.PENDING))
        kinds = [a.kind for a in pending]
        assert len(kinds) == len(set(kinds)), "two waiting requests of a kind"
        if case.status == S.CLOSED:
            assert pending == []
        for approval in pending:
            froms, _to = workflow.BY_APPROVAL[approval.kind]
            assert case.status in froms and approval.episode == case.episode
            assert approval.decided_at is None and approval.decided_by_id is None

    @invariant()
    def nobody_approved_their_own_request(self) -> None:
        for approval in ApprovalRequest.objects.filter(case=self.case, decision=D.APPROVED):
            assert approval.decided_by_id not in (None, approval.requested_by_id)

    @invariant()
    def the_history_is_an_unbroken_chain_along_the_table(self) -> None:
        case = Case.objects.get(pk=self.case.pk)
        changes = list(StatusChange.objects.filter(case=case).order_by("at", "id"))
        assert changes[0].from_status == "" and changes[0].to_status == S.OPEN
        for previous, change in itertools.pairwise(changes):
            assert change.from_status == previous.to_status
            step = (change.from_status, change.to_status)
            if step == workflow.REOPEN:
                assert change.episode == previous.episode + 1 and change.note
            elif change.approved_by_id is not None:
                kinds = [
                    k
                    for k, (froms, to) in workflow.BY_APPROVAL.items()
                    if to == change.to_status and change.from_status in froms
                ]
                assert kinds, step
            else:
                assert step in workflow.DIRECT, step
        assert changes[-1].to_status == case.status
        assert changes[-1].episode == case.episode


def test_no_sequence_of_actions_reaches_an_invalid_state(
    db: None, relief_org: Organisation, monkeypatch: pytest.MonkeyPatch
) -> None:
    people = {
        "caseworker": UserFactory.create(role=Role.CASEWORKER, organisation=relief_org),
        "coordinator": UserFactory.create(role=Role.COORDINATOR, organisation=relief_org),
        "second_coordinator": UserFactory.create(role=Role.COORDINATOR, organisation=relief_org),
    }
    CaseMachine.people = people
    reached: set[str] = set()
    original = CaseMachine.teardown

    def teardown(self: CaseMachine) -> None:
        if hasattr(self, "case"):
            reached.update(
                StatusChange.objects.filter(case=self.case).values_list("to_status", flat=True)
            )
        original(self)

    monkeypatch.setattr(CaseMachine, "teardown", teardown)
    run_state_machine_as_test(
        CaseMachine,
        settings=settings(
            max_examples=30,
            stateful_step_count=25,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
    # the walk went everywhere: a machine that is refused everything proves nothing
    assert reached == set(S.values)
