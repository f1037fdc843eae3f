"""Cases opened and moved through the services, as the UI does it."""

from __future__ import annotations

from typing import Any

from madad.accounts.models import User
from madad.cases import services
from madad.cases.models import Case
from madad.households.models import Household
from tests.households.factories import make_household

NEEDS = {"financial": 3, "education": 2, "psychosocial": 1}


def open_case(*, caseworker: User, household: Household | None = None, **extra: Any) -> Case:
    household = household or make_household(by=caseworker)
    return services.case_open(
        household=household, caseworker=caseworker, opened_by=caseworker, **extra
    )


def case_at(
    status: str, *, caseworker: User, coordinator: User, household: Household | None = None
) -> Case:
    """A case taken to `status` the way people take it there (approvals by the coordinator)."""
    case = open_case(caseworker=caseworker, household=household)
    order = ["open", "assessed", "plan_agreed", "assisting", "follow_up", "closed"]
    for step in order[1 : order.index(status) + 1]:
        if step == "assessed":
            services.assessment_record(
                case=case,
                assessed_by=caseworker,
                needs=NEEDS,
                summary="ASSESSMENT-SUMMARY father killed, no income",
            )
        elif step == "plan_agreed":
            services.case_update(
                case=case,
                updated_by=caseworker,
                expected_version=case.version,
                plan="PLAN-TEXT school fees and a cash grant",
            )
            approval = services.approval_request(
                case=case, kind="agree_plan", requested_by=caseworker
            )
            services.approval_decide(approval=approval, decided_by=coordinator, approve=True)
        elif step == "closed":
            approval = services.approval_request(case=case, kind="close", requested_by=caseworker)
            services.approval_decide(approval=approval, decided_by=coordinator, approve=True)
        else:
            services.case_transition(case=case, to_status=step, by=caseworker)
        case.refresh_from_db()
    return case
