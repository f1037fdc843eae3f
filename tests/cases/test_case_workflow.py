"""The case's status: open → assessed → plan agreed → assisting → follow-up → closed, with a
coordinator's approval to agree the plan and to close, and reopening as a new episode."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from madad.accounts.models import User
from madad.cases import services
from madad.cases.models import ApprovalRequest, Case, StatusChange
from madad.core.models import AuditEvent
from madad.core.refusals import Conflict, Invalid, NotAllowed, Stale
from tests.cases.factories import NEEDS, case_at, open_case

pytestmark = pytest.mark.django_db


def _statuses(case: Case) -> list[tuple[str, str]]:
    return list(StatusChange.objects.filter(case=case).values_list("from_status", "to_status"))


def test_a_case_goes_the_whole_way_with_two_approvals(caseworker: User, coordinator: User) -> None:
    case = case_at("closed", caseworker=caseworker, coordinator=coordinator)
    assert case.status == "closed" and case.closed_at is not None
    assert _statuses(case) == [
        ("", "open"),
        ("open", "assessed"),
        ("assessed", "plan_agreed"),
        ("plan_agreed", "assisting"),
        ("assisting", "follow_up"),
        ("follow_up", "closed"),
    ]
    approved = StatusChange.objects.filter(case=case, approved_by=coordinator)
    assert sorted(approved.values_list("to_status", flat=True)) == ["closed", "plan_agreed"]
    assert case.version == 7  # opened at 1, six changes


def test_recording_the_first_assessment_marks_an_open_case_assessed(
    case: Case, caseworker: User
) -> None:
    services.assessment_record(case=case, assessed_by=caseworker, needs=NEEDS)
    case.refresh_from_db()
    assert case.status == "assessed"
    services.assessment_record(case=case, assessed_by=caseworker, needs={"medical": 4})
    assert case.assessments.count() == 2  # the reassessment is kept beside the first


def test_an_open_case_cannot_be_marked_assessed_without_an_assessment(
    case: Case, caseworker: User
) -> None:
    with pytest.raises(Conflict, match="Record a needs assessment first"):
        services.case_transition(case=case, to_status="assessed", by=caseworker)


@pytest.mark.parametrize(
    ("status", "to_status", "code", "message"),
    [
        ("open", "assisting", "invalid_transition", "once the plan is agreed"),
        ("assessed", "plan_agreed", "approval_needed", "needs a coordinator's approval"),
        ("assisting", "closed", "approval_needed", "Closing a case needs"),
        ("open", "follow_up", "invalid_transition", "Follow-up comes after assisting"),
        ("closed", "open", "invalid_transition", "Reopen"),
        ("closed", "assisting", "invalid_transition", "Reopen it first"),
        ("plan_agreed", "plan_agreed", "invalid_transition", "already"),
    ],
)
def test_moves_off_the_table_are_refused_with_a_clear_message(
    status: str, to_status: str, code: str, message: str, caseworker: User, coordinator: User
) -> None:
    case = case_at(status, caseworker=caseworker, coordinator=coordinator)
    before = (case.status, case.version, StatusChange.objects.count())
    with pytest.raises(Conflict, match=message) as refused:
        services.case_transition(case=case, to_status=to_status, by=caseworker)
    assert refused.value.code == code
    case.refresh_from_db()
    assert (case.status, case.version, StatusChange.objects.count()) == before


def test_an_unknown_status_is_a_field_error(case: Case, caseworker: User) -> None:
    with pytest.raises(Invalid) as error:
        services.case_transition(case=case, to_status="finished", by=caseworker)
    assert "to_status" in error.value.fields


def test_the_plan_must_be_written_before_it_is_agreed(caseworker: User, coordinator: User) -> None:
    case = case_at("assessed", caseworker=caseworker, coordinator=coordinator)
    with pytest.raises(Conflict, match="Write the plan"):
        services.approval_request(case=case, kind="agree_plan", requested_by=caseworker)


def test_the_plan_is_agreed_only_from_assessed(case: Case, caseworker: User) -> None:
    services.case_update(case=case, updated_by=caseworker, expected_version=1, plan="A plan")
    with pytest.raises(Conflict, match="after the needs are assessed"):
        services.approval_request(case=case, kind="agree_plan", requested_by=caseworker)


def test_an_agreed_plan_cannot_be_rewritten(caseworker: User, coordinator: User) -> None:
    case = case_at("assisting", caseworker=caseworker, coordinator=coordinator)
    with pytest.raises(Conflict, match="The plan was agreed"):
        services.case_update(
            case=case, updated_by=caseworker, expected_version=case.version, plan="Something else"
        )
    case.refresh_from_db()
    assert case.plan == "PLAN-TEXT school fees and a cash grant"


def test_the_plan_cannot_change_while_its_approval_is_asked(
    caseworker: User, coordinator: User
) -> None:
    case = case_at("assessed", caseworker=caseworker, coordinator=coordinator)
    services.case_update(
        case=case, updated_by=caseworker, expected_version=case.version, plan="Plan one"
    )
    services.approval_request(case=case, kind="agree_plan", requested_by=caseworker)
    case.refresh_from_db()
    with pytest.raises(Conflict, match="withdraw the request"):
        services.case_update(
            case=case, updated_by=caseworker, expected_version=case.version, plan="Plan two"
        )


def test_a_refusal_needs_a_reason_and_leaves_the_status(
    caseworker: User, coordinator: User
) -> None:
    case = case_at("assessed", caseworker=caseworker, coordinator=coordinator)
    services.case_update(
        case=case, updated_by=caseworker, expected_version=case.version, plan="Plan"
    )
    approval = services.approval_request(case=case, kind="agree_plan", requested_by=caseworker)
    with pytest.raises(Invalid) as error:
        services.approval_decide(approval=approval, decided_by=coordinator, approve=False)
    assert "Say why you refuse" in error.value.fields["reason"][0]
    services.approval_decide(
        approval=approval,
        decided_by=coordinator,
        approve=False,
        reason="Add the rent arrears to the plan.",
    )
    case.refresh_from_db()
    approval.refresh_from_db()
    assert case.status == "assessed"
    assert (approval.decision, approval.reason) == ("refused", "Add the rent arrears to the plan.")
    # the caseworker may now change the plan and ask again
    services.case_update(
        case=case, updated_by=caseworker, expected_version=case.version, plan="Plan with rent"
    )
    services.approval_request(case=case, kind="agree_plan", requested_by=caseworker)


def test_the_requester_never_decides_their_own_request(
    coordinator: User, second_coordinator: User, caseworker: User
) -> None:
    case = case_at("assisting", caseworker=caseworker, coordinator=second_coordinator)
    approval = services.approval_request(case=case, kind="close", requested_by=coordinator)
    with pytest.raises(NotAllowed, match="another coordinator must decide") as refused:
        services.approval_decide(approval=approval, decided_by=coordinator, approve=True)
    assert refused.value.code == "not_requester"
    services.approval_decide(approval=approval, decided_by=second_coordinator, approve=True)
    case.refresh_from_db()
    assert case.status == "closed"


def test_the_database_refuses_an_approval_by_its_requester(case: Case, coordinator: User) -> None:
    approval = services.approval_request(case=case, kind="close", requested_by=coordinator)
    with pytest.raises(IntegrityError), transaction.atomic():
        ApprovalRequest.objects.filter(pk=approval.pk).update(
            decision="approved", decided_by=coordinator, decided_at=approval.requested_at
        )


def test_a_caseworker_cannot_decide_approvals(
    case: Case, caseworker: User, other_caseworker: User
) -> None:
    approval = services.approval_request(case=case, kind="close", requested_by=caseworker)
    with pytest.raises(NotAllowed, match="Only a coordinator") as refused:
        services.approval_decide(approval=approval, decided_by=other_caseworker, approve=True)
    assert refused.value.code == "not_allowed"
    # who decides is asked before what: a refusal without a reason is still the role's refusal
    with pytest.raises(NotAllowed, match="Only a coordinator"):
        services.approval_decide(approval=approval, decided_by=other_caseworker, approve=False)
    approval.refresh_from_db()
    assert approval.decision == "pending"


def test_a_coordinator_of_another_organisation_cannot_decide(
    case: Case, caseworker: User, outsider: User
) -> None:
    approval = services.approval_request(case=case, kind="close", requested_by=caseworker)
    with pytest.raises(NotAllowed, match="Only a coordinator"):
        services.approval_decide(approval=approval, decided_by=outsider, approve=True)


def test_one_waiting_request_per_kind(case: Case, caseworker: User) -> None:
    services.approval_request(case=case, kind="close", requested_by=caseworker)
    with pytest.raises(Conflict, match="already waiting") as refused:
        services.approval_request(case=case, kind="close", requested_by=caseworker)
    assert refused.value.code == "pending_exists"
    assert ApprovalRequest.objects.filter(case=case).count() == 1


def test_a_request_is_decided_once(
    case: Case, caseworker: User, coordinator: User, second_coordinator: User
) -> None:
    approval = services.approval_request(case=case, kind="close", requested_by=caseworker)
    services.approval_decide(
        approval=approval,
        decided_by=coordinator,
        approve=False,
        reason="Not yet: the school fees are due next month.",
    )
    with pytest.raises(Conflict, match="already decided") as refused:
        services.approval_decide(approval=approval, decided_by=second_coordinator, approve=True)
    assert refused.value.code == "already_decided"
    case.refresh_from_db()
    assert case.status == "open"


def test_closing_withdraws_the_waiting_plan_request(caseworker: User, coordinator: User) -> None:
    case = case_at("assessed", caseworker=caseworker, coordinator=coordinator)
    services.case_update(
        case=case, updated_by=caseworker, expected_version=case.version, plan="Plan"
    )
    plan = services.approval_request(case=case, kind="agree_plan", requested_by=caseworker)
    close = services.approval_request(
        case=case, kind="close", requested_by=caseworker, note="The family moved to another city."
    )
    services.approval_decide(approval=close, decided_by=coordinator, approve=True)
    plan.refresh_from_db()
    assert plan.decision == "withdrawn" and plan.decided_at is not None
    with pytest.raises(Conflict, match="already decided"):
        services.approval_decide(approval=plan, decided_by=coordinator, approve=True)


def test_the_requester_may_withdraw_a_request(
    case: Case, caseworker: User, other_caseworker: User
) -> None:
    approval = services.approval_request(case=case, kind="close", requested_by=caseworker)
    with pytest.raises(NotAllowed, match="Only the person who asked"):
        services.approval_withdraw(approval=approval, withdrawn_by=other_caseworker)
    services.approval_withdraw(approval=approval, withdrawn_by=caseworker)
    approval.refresh_from_db()
    assert approval.decision == "withdrawn"


def test_reopening_starts_a_new_episode_that_must_be_assessed_and_agreed_again(
    caseworker: User, coordinator: User
) -> None:
    case = case_at("closed", caseworker=caseworker, coordinator=coordinator)
    with pytest.raises(Invalid):
        services.case_reopen(case=case, by=caseworker, reason="  ")
    services.case_reopen(
        case=case, by=caseworker, reason="The family was threatened again and had to move."
    )
    case.refresh_from_db()
    assert (case.status, case.episode, case.closed_at) == ("open", 2, None)
    change = StatusChange.objects.filter(case=case).last()
    assert change is not None
    assert (change.from_status, change.to_status, change.episode) == ("closed", "open", 2)
    # the old assessment belongs to episode 1: it does not count for this one
    with pytest.raises(Conflict, match="Record a needs assessment first"):
        services.case_transition(case=case, to_status="assessed", by=caseworker)
    assert AuditEvent.objects.filter(action="case.reopened", object_id=str(case.pk)).exists()


def test_only_a_closed_case_is_reopened(case: Case, caseworker: User) -> None:
    with pytest.raises(Conflict, match="Only a closed case"):
        services.case_reopen(case=case, by=caseworker, reason="why not")


def test_a_household_has_one_case_that_is_not_closed(case: Case, caseworker: User) -> None:
    with pytest.raises(Conflict, match="already has a case") as refused:
        open_case(caseworker=caseworker, household=case.household)
    assert refused.value.code == "active_case_exists"


def test_a_new_case_after_closing_blocks_reopening_the_old_one(
    caseworker: User, coordinator: User
) -> None:
    old = case_at("closed", caseworker=caseworker, coordinator=coordinator)
    open_case(caseworker=caseworker, household=old.household)
    with pytest.raises(Conflict, match="already has a case"):
        services.case_reopen(case=old, by=caseworker, reason="More help needed")


def test_the_database_keeps_closed_and_closing_time_together(case: Case) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(status="closed")


def test_an_edit_from_an_old_version_is_refused(case: Case, caseworker: User) -> None:
    services.case_update(case=case, updated_by=caseworker, expected_version=1, risk="high")
    with pytest.raises(Stale, match="Somebody else changed this case") as refused:
        services.case_update(case=case, updated_by=caseworker, expected_version=1, risk="low")
    assert refused.value.code == "stale"
    case.refresh_from_db()
    assert case.risk == "high"


def test_transitions_and_approvals_are_audited_by_field_name_only(
    caseworker: User, coordinator: User
) -> None:
    case = case_at("plan_agreed", caseworker=caseworker, coordinator=coordinator)
    actions = list(
        AuditEvent.objects.filter(object_id=str(case.pk), object_type="cases.case").values_list(
            "action", flat=True
        )
    )
    assert "case.opened" in actions
    assert "case.approval.requested.agree_plan" in actions
    assert "case.approval.approved" in actions
    assert actions.count("case.status.changed") == 2
    for fields in AuditEvent.objects.values_list("fields", flat=True):
        assert "PLAN-TEXT" not in " ".join(fields)


def test_only_coordinators_assign_cases(
    case: Case, caseworker: User, other_caseworker: User, coordinator: User, documenter: User
) -> None:
    with pytest.raises(NotAllowed, match="Only a coordinator assigns"):
        services.case_assign(case=case, caseworker=other_caseworker, assigned_by=caseworker)
    with pytest.raises(Invalid) as error:
        services.case_assign(case=case, caseworker=documenter, assigned_by=coordinator)
    assert "active caseworker" in error.value.fields["caseworker"][0]
    services.case_assign(case=case, caseworker=other_caseworker, assigned_by=coordinator)
    case.refresh_from_db()
    assert case.caseworker == other_caseworker


def test_a_case_is_opened_only_for_a_caseworker_of_the_organisation(
    caseworker: User, outsider: User
) -> None:
    from tests.households.factories import make_household

    household = make_household(by=caseworker)
    with pytest.raises(Invalid) as error:
        services.case_open(household=household, caseworker=outsider, opened_by=caseworker)
    assert "active caseworker" in error.value.fields["caseworker"][0]
    assert not Case.objects.exists()
