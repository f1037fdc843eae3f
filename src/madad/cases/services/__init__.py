"""Every write to cases and their parts. One function per use case, each atomic: on bad input
it raises `Invalid` (messages by field name) and writes nothing; an action the case's state
does not allow raises `Conflict` with a stable code (invalid_transition, approval_needed,
pending_exists, already_decided, active_case_exists, closed, already_done) and a message that
says what to do instead; the four-eyes rule and roles raise `NotAllowed` (not_requester,
not_allowed); an edit based on an older version of the case is refused with `Stale`.

Access (who may call) is the views' and API's question, asked of madad.access. What these
functions guarantee whoever calls them:

- the status moves only along madad.cases.workflow's table; agreeing the plan and closing only
  by an approval, decided by a coordinator who did not ask for it;
- closed ⇔ a closing time; a plan agreed in this episode before assisting and follow-up;
- at most one waiting approval per kind, none on a closed case;
- one case that is not closed per household; reopening starts the next episode.
"""

from madad.cases.services.approvals import approval_decide, approval_request, approval_withdraw
from madad.cases.services.cases import (
    case_assign,
    case_open,
    case_reopen,
    case_transition,
    case_update,
)
from madad.cases.services.records import (
    assessment_record,
    needs_of,
    note_add,
    task_add,
    task_done,
)
from madad.cases.services.teams import team_create, team_members_set

__all__ = [
    "approval_decide",
    "approval_request",
    "approval_withdraw",
    "assessment_record",
    "case_assign",
    "case_open",
    "case_reopen",
    "case_transition",
    "case_update",
    "needs_of",
    "note_add",
    "task_add",
    "task_done",
    "team_create",
    "team_members_set",
]
