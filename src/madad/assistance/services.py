"""Every write about assistance: request, approve, cancel, disburse, confirm receipt, limits.

Guarantees, for every service here:
- It runs in one transaction with its audit event (action codes ``case.assistance.*``; field
  names only). Bad input raises `Invalid` (by field) and writes nothing.
- A change of status is one conditional UPDATE on (id, version, status) (core.versioned): if
  somebody else changed the item since the caller read it, nothing is written and a `Conflict`
  says what happened. This works alike on SQLite (where select_for_update does nothing) and on
  PostgreSQL, and between processes.
- The approver is never the requester (`NotAllowed` here, and a CheckConstraint in the
  database); who may do what is refused with `NotAllowed`. An amount over the kind's limit, or
  of a kind with no limit set, needs an approver whose role carries ``case.approve`` (a
  coordinator).
- Money leaves only through the fund (fund.services.disbursement_make calls
  assistance_disburse beside its ledger entry); help in kind without an amount is recorded as
  handed over with assistance_hand_over.
- Assistance is requested only on a case whose plan was agreed: ``plan_agreed`` or
  ``assisting``. A case in follow-up goes back to assisting first (a caseworker's direct move),
  so that new help is always a visible decision on the case; an open or assessed case has no
  agreed plan yet, and a closed one is over.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from madad import access
from madad.access.assistance import (
    may_approve_assistance,
    may_approve_over_limit,
    may_edit_limits,
    may_record_disbursements,
    may_request_assistance,
)
from madad.accounts.models import Organisation, User
from madad.assistance.models import MAX_AMOUNT, Assistance, DisbursementMethod, Kind, Limit
from madad.cases.models import Case
from madad.core import validation as check
from madad.core.audit import audit_record
from madad.core.refusals import Conflict, Errors, NotAllowed, Stale
from madad.core.versioned import update_versioned

S = Assistance.Status
REQUESTABLE_CASE_STATUSES = frozenset({Case.Status.PLAN_AGREED, Case.Status.ASSISTING})
IN_KIND_MAX = 300
PURPOSE_MAX = 2000
REASON_MAX = 2000
REFERENCE_MAX = 200


def _required_text(
    value: Any, field: str, errors: Errors, *, max_length: int, missing: str, multiline: bool
) -> str:
    """Text that must be given, with the message that says what to give."""
    text = check.text(value, field, errors, max_length=max_length, multiline=multiline)
    if not text and field not in errors:
        errors.add(field, missing)
    return text


# --- limits ---------------------------------------------------------------------------------
def limit_for(*, organisation_id: int, kind: str) -> Decimal | None:
    """The organisation's limit for one kind of assistance; None when none is set."""
    return (
        Limit.objects.filter(organisation_id=organisation_id, kind=kind)
        .values_list("max_amount", flat=True)
        .first()
    )


def is_over_limit(assistance: Assistance) -> bool:
    """Whether approving needs a coordinator: an amount over the kind's limit, or any amount of
    a kind with no limit set. In-kind help without an amount is within every limit."""
    if assistance.amount is None:
        return False
    limit = limit_for(organisation_id=assistance.case.organisation_id, kind=assistance.kind)
    return limit is None or assistance.amount > limit


def limit_set(
    *,
    organisation: Organisation,
    kind: str,
    max_amount: Any,
    set_by: User,
) -> Limit | None:
    """Sets (or, with an empty amount, removes) the organisation's limit for one kind. Without
    a limit every item of that kind with an amount needs a coordinator."""
    if not may_edit_limits(set_by) or set_by.organisation_id != organisation.pk:
        raise NotAllowed(_("Your role cannot change the assistance limits."))
    errors = Errors()
    check.choice(kind, "kind", errors, Kind.values)
    amount = check.amount(max_amount, "max_amount", errors, maximum=MAX_AMOUNT)
    errors.raise_if()
    with transaction.atomic():
        if amount is None:
            deleted, _rows = Limit.objects.filter(organisation=organisation, kind=kind).delete()
            if deleted:
                audit_record(
                    action="assistance.limit.removed",
                    actor=set_by,
                    object_type="assistance.limit",
                    object_id=kind,
                    fields=["max_amount"],
                )
            return None
        limit, _created = Limit.objects.update_or_create(
            organisation=organisation,
            kind=kind,
            defaults={"max_amount": amount, "updated_by": set_by, "updated_at": timezone.now()},
        )
        audit_record(
            action="assistance.limit.changed",
            actor=set_by,
            obj=limit,
            fields=["max_amount"],
        )
    return limit


# --- the item's life ------------------------------------------------------------------------
def _may_see_case(user: User, case: Case) -> bool:
    return access.visible_to(user, Case).filter(pk=case.pk).exists()


def _may_see(user: User, assistance: Assistance) -> bool:
    return access.visible_to(user, Assistance).filter(pk=assistance.pk).exists()


def _transition(
    assistance: Assistance,
    *,
    by: User,
    action: str,
    audited: list[str],
    expected_version: int | None,
    from_status: str,
    **changes: Any,
) -> Assistance:
    """One conditional UPDATE and its audit event (`action`, the `audited` fields), in one
    transaction; a `Conflict` saying what happened if the item moved on meanwhile."""
    with transaction.atomic():
        try:
            update_versioned(
                assistance,
                expected_version=expected_version,
                where=Q(status=from_status),
                **changes,
            )
        except Stale:
            current = (
                Assistance.objects.filter(pk=assistance.pk).values_list("status", flat=True).first()
            )
            raise _conflict(current) from None
        audit_record(action=action, actor=by, obj=assistance, fields=audited)
    return assistance


def _conflict(current: str | None) -> Conflict:
    messages: dict[str, str] = {
        S.APPROVED: _(
            "Somebody else approved this assistance a moment ago. Nothing was "
            "changed; reload the page to see it."
        ),
        S.CANCELLED: _("This assistance was cancelled meanwhile. Nothing was changed."),
        S.DISBURSED: _("This assistance was disbursed meanwhile. Nothing was changed."),
        S.RECEIPT_CONFIRMED: _(
            "The family's receipt of this assistance was confirmed meanwhile. Nothing was changed."
        ),
    }
    return Conflict(
        messages.get(
            current or "",
            _(
                "This assistance was changed by somebody else since you opened it. Nothing was "
                "changed; reload the page and try again."
            ),
        )
    )


def _refuse_unless_status(assistance: Assistance, *allowed: str) -> None:
    if assistance.status not in allowed:
        raise _conflict(assistance.status)


def assistance_request(
    *,
    case: Case,
    requested_by: User,
    kind: str,
    amount: Any = None,
    in_kind: str = "",
    purpose: str = "",
) -> Assistance:
    """Records a request for one item of help on a case whose plan was agreed. An amount in
    rupees (Decimal, two places), an in-kind description, or both."""
    if not may_request_assistance(requested_by) or not _may_see_case(requested_by, case):
        raise NotAllowed(_("Your role cannot request assistance on this case."))
    errors = Errors()
    if case.status not in REQUESTABLE_CASE_STATUSES:
        errors.add(
            "case",
            _(
                "Assistance is requested once the case's plan is agreed (plan "
                "agreed or assisting). This case is “%(status)s”."
            )
            % {"status": case.get_status_display()},
        )
    check.choice(kind, "kind", errors, Kind.values)
    value = check.amount(amount, "amount", errors, allow_zero=False, maximum=MAX_AMOUNT)
    description = check.text(in_kind, "in_kind", errors, max_length=IN_KIND_MAX)
    why = check.text(purpose, "purpose", errors, max_length=PURPOSE_MAX, multiline=True)
    if value is None and not description and "amount" not in errors and "in_kind" not in errors:
        errors.add("amount", _("Enter an amount in rupees, or describe the help in kind."))
    errors.raise_if()
    with transaction.atomic():
        assistance = Assistance.objects.create(
            case=case,
            kind=kind,
            amount=value,
            in_kind=description,
            purpose=why,
            requested_by=requested_by,
        )
        audit_record(
            action="case.assistance.requested",
            actor=requested_by,
            obj=assistance,
            fields=[
                name
                for name, present in (
                    ("amount", value is not None),
                    ("in_kind", bool(description)),
                    ("kind", True),
                    ("purpose", bool(why)),
                )
                if present
            ],
        )
    return assistance


def approval_refusal(*, assistance: Assistance, approver: User) -> str | None:
    """Why this user may not approve this item now, or None if they may. Views use it to
    show (or explain the absence of) the approve button; assistance_approve enforces it."""
    if not may_approve_assistance(approver):
        return _("Your role cannot approve assistance.")
    if assistance.requested_by_id == approver.pk:
        return _(
            "You requested this assistance, so somebody else must approve it (two-person rule)."
        )
    if is_over_limit(assistance) and not may_approve_over_limit(approver):
        return _(
            "The amount is over the limit for this kind of assistance, so a coordinator "
            "must approve it."
        )
    if assistance.case.status not in REQUESTABLE_CASE_STATUSES:
        return _(
            "The case is “%(status)s”: assistance is approved only while the plan is "
            "agreed or the family is being assisted."
        ) % {"status": assistance.case.get_status_display()}
    return None


def assistance_approve(
    *,
    assistance: Assistance,
    approver: User,
    expected_version: int | None = None,
) -> Assistance:
    """Approves a requested item. Of two approvals at the same moment exactly one succeeds;
    the other raises `Conflict` and writes nothing. `expected_version` is the version
    the approver saw (defaults to the one in `assistance`)."""
    if not may_approve_assistance(approver) or not _may_see(approver, assistance):
        raise NotAllowed(_("Your role cannot approve assistance."))
    _refuse_unless_status(assistance, S.REQUESTED)
    reason = approval_refusal(assistance=assistance, approver=approver)
    if reason is not None:
        raise NotAllowed(reason)
    over_limit = is_over_limit(assistance)
    return _transition(
        assistance,
        by=approver,
        action="case.assistance.approved",
        audited=["status", "approved_by"],
        expected_version=expected_version,
        from_status=S.REQUESTED,
        status=S.APPROVED,
        approved_by=approver,
        approved_at=timezone.now(),
        approved_over_limit=over_limit,
    )


def assistance_cancel(
    *,
    assistance: Assistance,
    cancelled_by: User,
    reason: str,
    expected_version: int | None = None,
) -> Assistance:
    """Cancels an item not yet disbursed, with a reason. The requester may cancel their own
    request; otherwise it takes somebody who may approve assistance."""
    if not _may_see(cancelled_by, assistance) or not (
        (assistance.requested_by_id == cancelled_by.pk and may_request_assistance(cancelled_by))
        or may_approve_assistance(cancelled_by)
    ):
        raise NotAllowed(_("Your role cannot cancel this assistance."))
    _refuse_unless_status(assistance, S.REQUESTED, S.APPROVED)
    errors = Errors()
    text = _required_text(
        reason,
        "reason",
        errors,
        max_length=REASON_MAX,
        missing=_("Say why the assistance is cancelled."),
        multiline=True,
    )
    errors.raise_if()
    return _transition(
        assistance,
        by=cancelled_by,
        action="case.assistance.cancelled",
        audited=["status", "cancelled_reason"],
        expected_version=expected_version,
        from_status=assistance.status,
        status=S.CANCELLED,
        cancelled_by=cancelled_by,
        cancelled_at=timezone.now(),
        cancelled_reason=text,
    )


def assistance_disburse(
    *,
    assistance: Assistance,
    disbursed_by: User,
    method: str,
    reference: str,
    expected_version: int | None = None,
) -> Assistance:
    """Records that finance paid out (or handed over) an approved item: how, and the
    transaction, cheque or voucher number (encrypted). The disburser is neither the requester
    nor the approver."""
    if not may_record_disbursements(disbursed_by) or not _may_see(disbursed_by, assistance):
        raise NotAllowed(_("Your role cannot record disbursements."))
    _refuse_unless_status(assistance, S.APPROVED)
    if disbursed_by.pk in (assistance.requested_by_id, assistance.approved_by_id):
        raise NotAllowed(_("Whoever requested or approved assistance does not also pay it out."))
    errors = Errors()
    check.choice(method, "method", errors, DisbursementMethod.values)
    ref = _required_text(
        reference,
        "reference",
        errors,
        max_length=REFERENCE_MAX,
        missing=_("Enter the transaction, cheque or voucher number."),
        multiline=False,
    )
    errors.raise_if()
    return _transition(
        assistance,
        by=disbursed_by,
        action="case.assistance.disbursed",
        audited=["status", "disbursement_method", "disbursement_reference"],
        expected_version=expected_version,
        from_status=S.APPROVED,
        status=S.DISBURSED,
        disbursed_by=disbursed_by,
        disbursed_at=timezone.now(),
        disbursement_method=method,
        disbursement_reference=ref,
    )


def assistance_hand_over(
    *,
    assistance: Assistance,
    handed_over_by: User,
    method: str,
    reference: str,
    expected_version: int | None = None,
) -> Assistance:
    """Records the hand-over of help in kind that has no amount (a ration pack, a school
    uniform): the staff pages and the API record disbursements this way. An item with an
    amount is money, and money is paid from the fund (fund.services.disbursement_make, which
    calls assistance_disburse in the same transaction as its ledger entry), so that the ledger
    always accounts for it; here it is refused."""
    if assistance.amount is not None:
        raise NotAllowed(
            _(
                "This assistance is money: pay it from the fund (Fund → "
                "Disbursements), so that the ledger records it."
            )
        )
    return assistance_disburse(
        assistance=assistance,
        disbursed_by=handed_over_by,
        method=method,
        reference=reference,
        expected_version=expected_version,
    )


def assistance_confirm_receipt(
    *,
    assistance: Assistance,
    confirmed_by: User,
    expected_version: int | None = None,
) -> Assistance:
    """Records that the family confirmed they received a disbursed item (to the caseworker or a
    coordinator who can see the case; never the person who paid it out)."""
    if not may_request_assistance(confirmed_by) or not _may_see_case(confirmed_by, assistance.case):
        raise NotAllowed(_("Your role cannot confirm receipt of assistance."))
    _refuse_unless_status(assistance, S.DISBURSED)
    if confirmed_by.pk == assistance.disbursed_by_id:
        raise NotAllowed(
            _("Whoever paid the assistance out does not also confirm it was received.")
        )
    return _transition(
        assistance,
        by=confirmed_by,
        action="case.assistance.receipt_confirmed",
        audited=["status"],
        expected_version=expected_version,
        from_status=S.DISBURSED,
        status=S.RECEIPT_CONFIRMED,
        receipt_confirmed_by=confirmed_by,
        receipt_confirmed_at=timezone.now(),
    )
