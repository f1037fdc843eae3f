"""The case's status table: which moves exist, which of them need a coordinator's approval,
and what to tell somebody who asks for a move that does not exist.

    open ──(needs assessment recorded)──▶ assessed ──(approval: agree the plan)──▶ plan agreed
    plan agreed ──▶ assisting ◀──▶ follow-up
    any status but closed ──(approval: close)──▶ closed ──(reopen: a new episode)──▶ open

Closing is possible from every active status (a family may move away before any help), but
only with an approval. Pure functions: no database.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from madad.cases.models import ApprovalRequest, Case
from madad.core.refusals import Conflict

S = Case.Status
Kind = ApprovalRequest.Kind

ACTIVE = frozenset(s for s in S.values if s != S.CLOSED)
# moves a caseworker makes directly
DIRECT: frozenset[tuple[str, str]] = frozenset(
    {
        (S.OPEN, S.ASSESSED),
        (S.PLAN_AGREED, S.ASSISTING),
        (S.ASSISTING, S.FOLLOW_UP),
        (S.FOLLOW_UP, S.ASSISTING),
    }
)
# moves an approval makes: kind → (statuses it may be asked from, status it leads to)
BY_APPROVAL: dict[str, tuple[frozenset[str], str]] = {
    Kind.AGREE_PLAN: (frozenset({S.ASSESSED}), S.PLAN_AGREED),
    Kind.CLOSE: (ACTIVE, S.CLOSED),
}
REOPEN = (S.CLOSED, S.OPEN)
# statuses in which the plan was agreed (by an approval of this episode)
AFTER_PLAN = frozenset({S.PLAN_AGREED, S.ASSISTING, S.FOLLOW_UP})
# the plan is written before it is agreed; afterwards it is what was agreed
PLAN_EDITABLE = frozenset({S.OPEN, S.ASSESSED})


@dataclass(frozen=True)
class Move:
    to_status: str
    label: str
    approval: str | None = None  # the kind of approval it needs, if any


DIRECT_LABELS: dict[tuple[str, str], Any] = {
    (S.OPEN, S.ASSESSED): gettext_lazy("Mark as assessed"),
    (S.PLAN_AGREED, S.ASSISTING): gettext_lazy("Start assisting"),
    (S.ASSISTING, S.FOLLOW_UP): gettext_lazy("Move to follow-up"),
    (S.FOLLOW_UP, S.ASSISTING): gettext_lazy("Back to assisting"),
}


def direct_moves(status: str) -> list[Move]:
    return [Move(to, str(DIRECT_LABELS[(frm, to)])) for frm, to in sorted(DIRECT) if frm == status]


def approvals_possible(status: str) -> list[str]:
    return [kind for kind, (froms, _to) in BY_APPROVAL.items() if status in froms]


def refusal(from_status: str, to_status: str) -> Conflict | None:
    """Why the direct move from one status to another is refused — a conflict with a code
    ("approval_needed" when an approval would make it, "invalid_transition" otherwise) and a
    message saying what to do instead — or None when it is allowed (as a direct move)."""
    if (from_status, to_status) in DIRECT:
        return None
    for kind, (froms, to) in BY_APPROVAL.items():
        if to == to_status and from_status in froms:
            return Conflict(_APPROVAL_NEEDED[kind](), code="approval_needed")
    return Conflict(_invalid(from_status, to_status), code="invalid_transition")


_APPROVAL_NEEDED: dict[str, Callable[[], str]] = {
    Kind.AGREE_PLAN: lambda: _("Agreeing the plan needs a coordinator's approval: ask for it."),
    Kind.CLOSE: lambda: _("Closing a case needs a coordinator's approval: ask for it."),
}


def _invalid(from_status: str, to_status: str) -> str:
    labels = dict(S.choices)
    if from_status == to_status:
        return _("The case is already “%(status)s”.") % {"status": labels[to_status]}
    if from_status == S.CLOSED:
        if to_status == S.OPEN:
            return _("A closed case is reopened with “Reopen”, giving a reason.")
        return _("The case is closed. Reopen it first.")
    if to_status == S.PLAN_AGREED:
        return _("The plan is agreed after the needs are assessed.")
    if to_status == S.ASSISTING:
        return _("Assistance starts once the plan is agreed.")
    if to_status == S.FOLLOW_UP:
        return _("Follow-up comes after assisting.")
    if to_status == S.ASSESSED:
        return _(
            "A case is assessed once, when it is open; record a new assessment to reassess it."
        )
    return _("A case cannot go from “%(from)s” to “%(to)s”.") % {
        "from": labels[from_status],
        "to": labels[to_status],
    }
