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
from madad.cases import errors, workflow
from madad.cases.errors import CaseRefused
from madad.cases.models import ApprovalRequest, Case
from madad.cases.services.transitions import lock, move
from madad.core.audit import audit_record
from madad.households import validation as check

D = ApprovalRequest.Decision
NOTE_MAX = 2_000


def _pending_exists(kind: str) -> CaseRefused:
    label = dict(ApprovalRequest.Kind.choices)[kind]
    return CaseRefused(
        "pending_exists", _("“%(kind)s” is already waiting for a decision.") % {"kind": label}
    )


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
    errs: check.Errors = {}
    check.choice(kind, "kind", errs, ApprovalRequest.Kind.values)
    note = check.text(note, "note", errs, max_length=NOTE_MAX)
    check.raise_if(errs)
    with transaction.atomic():
        current = lock(case, expected_version)
        froms, _to = workflow.BY_APPROVAL[kind]
        if current["status"] == Case.Status.CLOSED:
            raise errors.closed()
        if current["status"] not in froms:
            raise CaseRefused(
                "invalid_transition", _("The plan is agreed after the needs are assessed.")
            )
        if kind == ApprovalRequest.Kind.AGREE_PLAN and not Case.objects.get(pk=case.pk).plan:
            raise CaseRefused(
                "invalid_transition", _("Write the plan before asking for it to be agreed.")
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
    errs: check.Errors = {}
    reason = check.text(reason, "reason", errs, max_length=NOTE_MAX, required=not approve)
    if not approve and "reason" in errs:
        errs["reason"] = [_("Say why you refuse, so that the caseworker knows what to change.")]
    check.raise_if(errs)
    case = approval.case
    if not (
        can(decided_by, Capability.CASE_APPROVE)
        and decided_by.organisation_id == case.organisation_id
    ):
        raise CaseRefused("not_allowed", _("Only a coordinator decides approvals."))
    if decided_by.pk == approval.requested_by_id:
        raise CaseRefused(
            "not_requester",
            _("You asked for this approval yourself; another coordinator must decide it."),
        )
    with transaction.atomic():
        current = lock(case)
        now = timezone.now()
        decision = D.APPROVED if approve else D.REFUSED
        if not ApprovalRequest.objects.filter(pk=approval.pk, decision=D.PENDING).update(
            decision=decision, decided_by=decided_by, decided_at=now, reason=reason
        ):
            raise CaseRefused(
                "already_decided",
                _(
                    "This request was already decided or withdrawn (perhaps a moment ago, by "
                    "somebody else). Reload to see the decision."
                ),
            )
        if approve:
            froms, to_status = workflow.BY_APPROVAL[approval.kind]
            if current["status"] not in froms or current["episode"] != approval.episode:
                raise CaseRefused(
                    "invalid_transition",
                    _("The case has moved on since this was asked; it cannot be approved now."),
                )
            move(
                case,
                current,
                to_status=to_status,
                by=approval.requested_by,
                approved_by=decided_by,
                reason=reason,
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
        raise CaseRefused(
            "not_allowed",
            _("Only the person who asked, or a coordinator, can withdraw this request."),
        )
    with transaction.atomic():
        lock(approval.case)
        if not ApprovalRequest.objects.filter(pk=approval.pk, decision=D.PENDING).update(
            decision=D.WITHDRAWN, decided_by=withdrawn_by, decided_at=timezone.now()
        ):
            raise CaseRefused(
                "already_decided",
                _("This request was already decided or withdrawn. Reload to see the decision."),
            )
        audit_record(
            action="case.approval.withdrawn",
            actor=withdrawn_by,
            obj=approval.case,
            fields=["approval_requests"],
        )
    approval.refresh_from_db()
    return approval
