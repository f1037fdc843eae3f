"""Asking for and deciding a coordinator's approval (agree the plan, close the case).

The four-eyes rule: whoever asked never decides (refused here, and a database constraint
refuses to store it). Deciding twice at the same moment: the decision is a conditional UPDATE
from "pending", so exactly one decision wins; the other gets a clear conflict.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from madad.access.base import can
from madad.access.roles import Capability
from madad.accounts.models import User
from madad.cases import workflow
from madad.cases.models import ApprovalRequest, Case
from madad.cases.services.transitions import closed, lock, move
from madad.core import validation as check
from madad.core.audit import audit_record
from madad.core.refusals import Conflict, Errors, NotAllowed

D = ApprovalRequest.Decision
NOTE_MAX = 2_000


def _pending_exists(kind: str) -> Conflict:
    label = dict(ApprovalRequest.Kind.choices)[kind]
    return Conflict(
        _("“%(kind)s” is already waiting for a decision.") % {"kind": label},
        code="pending_exists",
    )


def _already_decided(message: str) -> Conflict:
    return Conflict(message, code="already_decided")


def approval_request(
    *,
    case: Case,
    kind: str,
    requested_by: User,
    note: str = "",
    expected_version: int | None = None,
) -> ApprovalRequest:
    """Asks a coordinator to agree the plan (only from "assessed", with a plan written) or to
    close the case (from any status but closed). One waiting request per kind."""
    errs = Errors()
    check.choice(kind, "kind", errs, ApprovalRequest.Kind.values)
    note = check.text(note, "note", errs, max_length=NOTE_MAX, multiline=True)
    errs.raise_if()
    with transaction.atomic():
        current = lock(case, expected_version)
        froms, _to = workflow.BY_APPROVAL[kind]
        if current["status"] == Case.Status.CLOSED:
            raise closed()
        if current["status"] not in froms:
            raise Conflict(
                _("The plan is agreed after the needs are assessed."), code="invalid_transition"
            )
        if kind == ApprovalRequest.Kind.AGREE_PLAN and not Case.objects.get(pk=case.pk).plan:
            raise Conflict(
                _("Write the plan before asking for it to be agreed."), code="invalid_transition"
            )
        if ApprovalRequest.objects.filter(case=case, kind=kind, decision=D.PENDING).exists():
            raise _pending_exists(kind)
        try:
            with transaction.atomic():
                approval = ApprovalRequest.objects.create(
                    case=case,
                    episode=current["episode"],
                    kind=kind,
                    requested_by=requested_by,
                    note=note,
                )
        except IntegrityError:
            raise _pending_exists(kind) from None
        audit_record(
            action=f"case.approval.requested.{kind}",
            actor=requested_by,
            obj=case,
            fields=["approval_requests"],
        )
    return approval


def approval_decide(
    *, approval: ApprovalRequest, decided_by: User, approve: bool, reason: str = ""
) -> ApprovalRequest:
    """Approves (and so performs the transition) or refuses (with a reason) a waiting request.
    Refused for the requester, for a role without case.approve or of another organisation,
    and for a request already decided, by somebody else in the meantime included."""
    case = approval.case
    if not (
        can(decided_by, Capability.CASE_APPROVE)
        and decided_by.organisation_id == case.organisation_id
    ):
        raise NotAllowed(_("Only a coordinator decides approvals."), code="not_allowed")
    errs = Errors()
    reason = check.text(reason, "reason", errs, max_length=NOTE_MAX, multiline=True)
    if not approve and not reason and "reason" not in errs:
        errs.add("reason", _("Say why you refuse, so that the caseworker knows what to change."))
    errs.raise_if()
    if decided_by.pk == approval.requested_by_id:
        raise NotAllowed(
            _("You asked for this approval yourself; another coordinator must decide it."),
            code="not_requester",
        )
    with transaction.atomic():
        current = lock(case)
        now = timezone.now()
        decision = D.APPROVED if approve else D.REFUSED
        if not ApprovalRequest.objects.filter(pk=approval.pk, decision=D.PENDING).update(
            decision=decision, decided_by=decided_by, decided_at=now, reason=reason
        ):
            raise _already_decided(
                _(
                    "This request was already decided or withdrawn (perhaps a moment ago, by "
                    "somebody else). Reload to see the decision."
                )
            )
        if approve:
            froms, to_status = workflow.BY_APPROVAL[approval.kind]
            if current["status"] not in froms or current["episode"] != approval.episode:
                raise Conflict(
                    _("The case has moved on since this was asked; it cannot be approved now."),
                    code="invalid_transition",
                )
            move(
                case,
                current,
                to_status=to_status,
                by=approval.requested_by,
                approved_by=decided_by,
                note=reason,
            )
        audit_record(
            action=f"case.approval.{decision}",
            actor=decided_by,
            obj=case,
            fields=["approval_requests", *(["status"] if approve else [])],
        )
    approval.refresh_from_db()
    return approval


def approval_withdraw(*, approval: ApprovalRequest, withdrawn_by: User) -> ApprovalRequest:
    """The requester (or a coordinator) takes a waiting request back, e.g. to change the plan."""
    if withdrawn_by.pk != approval.requested_by_id and not can(
        withdrawn_by, Capability.CASE_APPROVE
    ):
        raise NotAllowed(
            _("Only the person who asked, or a coordinator, can withdraw this request."),
            code="not_allowed",
        )
    with transaction.atomic():
        lock(approval.case)
        if not ApprovalRequest.objects.filter(pk=approval.pk, decision=D.PENDING).update(
            decision=D.WITHDRAWN, decided_by=withdrawn_by, decided_at=timezone.now()
        ):
            raise _already_decided(
                _("This request was already decided or withdrawn. Reload to see the decision.")
            )
        audit_record(
            action="case.approval.withdrawn",
            actor=withdrawn_by,
            obj=approval.case,
            fields=["approval_requests"],
        )
    approval.refresh_from_db()
    return approval
