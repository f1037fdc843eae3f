"""Every write about assistance: request, approve, cancel, disburse, confirm receipt, limits.

Guarantees, for every service here:
- It runs in one transaction with its audit event (action codes ``case.assistance.*``; field
  names only). Bad input raises ValidationError (by field) and writes nothing.
- A change of status is one conditional UPDATE on (id, version, status): if somebody else
  changed the item since the caller read it, nothing is written and AssistanceConflict says
  what happened. This works alike on SQLite (where select_for_update does nothing) and on
  PostgreSQL, and between processes.
- The approver is never the requester (AssistanceRefused here, and a CheckConstraint in the
  database). An amount over the kind's limit, or of a kind with no limit set, needs an approver
  whose role carries ``case.approve`` (a coordinator).
- Money leaves only through the fund (fund.services.disbursement_make calls
  assistance_disburse beside its ledger entry); help in kind without an amount is recorded as
  handed over with assistance_hand_over.
- Assistance is requested only on a case whose plan was agreed: ``plan_agreed`` or
  ``assisting``. A case in follow-up goes back to assisting first (a caseworker's direct move),
  so that new help is always a visible decision on the case; an open or assessed case has no
  agreed plan yet, and a closed one is over.
"""

from __future__ import annotations

import decimal
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
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
from madad.core.audit import audit_record

S = Assistance.Status
REQUESTABLE_CASE_STATUSES = frozenset({Case.Status.PLAN_AGREED, Case.Status.ASSISTING})
IN_KIND_MAX = 300
PURPOSE_MAX = 2000
REASON_MAX = 2000
REFERENCE_MAX = 200


class AssistanceError(Exception):
    """Base of the refusals below; str() is a sentence for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class AssistanceRefused(AssistanceError):
    """This user may not do this to this item (two-person rule, limit, role)."""


class AssistanceConflict(AssistanceError):
    """The item changed since the caller read it; nothing was written."""


# --- input checks ---------------------------------------------------------------------------
def _text(
    value: Any, field: str, limit: int, errors: dict[str, list[str]], required: str | None = None
) -> str:
    text = (value or "").strip() if isinstance(value, str) or value is None else None
    if text is None:
        errors[field] = [_("Enter text.")]
        return ""
    if "\x00" in text:
        errors[field] = [_("The text contains a character that cannot be stored.")]
    elif len(text) > limit:
        errors[field] = [_("Enter at most %(max)s characters.") % {"max": limit}]
    elif required and not text:
        errors[field] = [required]
    return text


def clean_amount(
    value: Any, field: str, errors: dict[str, list[str]], *, allow_zero: bool = False
) -> Decimal | None:
    """A rupee amount as a Decimal with at most two decimal places, or None (recorded in
    `errors` when it is no amount). Floats are refused: they cannot hold 0.10 exactly."""
    if value is None or value == "":
        return None
    if isinstance(value, bool | float):
        errors[field] = [_("Enter the amount in rupees, for example 15000 or 15000.50.")]
        return None
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except (decimal.InvalidOperation, ValueError):
        errors[field] = [_("Enter the amount in rupees, for example 15000 or 15000.50.")]
        return None
    if not amount.is_finite():
        errors[field] = [_("Enter the amount in rupees, for example 15000 or 15000.50.")]
    elif amount < 0 or (amount == 0 and not allow_zero):
        errors[field] = [
            _("The amount must be more than zero.")
            if not allow_zero
            else _("The amount cannot be negative.")
        ]
    elif amount > MAX_AMOUNT:
        errors[field] = [
            _("The amount is larger than Madad can record (%(max)s).") % {"max": f"{MAX_AMOUNT:,}"}
        ]
    elif amount != amount.quantize(Decimal("0.01"), rounding=decimal.ROUND_DOWN):
        errors[field] = [_("Rupee amounts have at most two decimal places.")]
    else:
        return amount.quantize(Decimal("0.01"))
    return None


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
    request: HttpRequest | None = None,
) -> Limit | None:
    """Sets (or, with an empty amount, removes) the organisation's limit for one kind. Without
    a limit every item of that kind with an amount needs a coordinator."""
    if not may_edit_limits(set_by) or set_by.organisation_id != organisation.pk:
        raise AssistanceRefused(_("Your role cannot change the assistance limits."))
    errors: dict[str, list[str]] = {}
    if kind not in Kind.values:
        errors["kind"] = [_("Choose one of the listed kinds.")]
    amount = clean_amount(max_amount, "max_amount", errors, allow_zero=True)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if amount is None:
            deleted, _rows = Limit.objects.filter(organisation=organisation, kind=kind).delete()
            if deleted:
                audit_record(
                    action="assistance.limit.removed",
                    request=request,
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
            request=request,
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
    assistance: Assistance, *, expected_version: int | None, from_status: str, **changes: Any
) -> None:
    """One conditional UPDATE; raises AssistanceConflict if the item moved on meanwhile."""
    version = assistance.version if expected_version is None else expected_version
    updated = Assistance.objects.filter(
        pk=assistance.pk,
        version=version,
        status=from_status,
    ).update(version=F("version") + 1, **changes)
    if updated != 1:
        current = (
            Assistance.objects.filter(pk=assistance.pk).values_list("status", flat=True).first()
        )
        raise AssistanceConflict(_conflict_message(current))
    assistance.refresh_from_db()


def _conflict_message(current: str | None) -> str:
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
    return str(
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
        raise AssistanceConflict(_conflict_message(assistance.status))


def assistance_request(
    *,
    case: Case,
    requested_by: User,
    kind: str,
    amount: Any = None,
    in_kind: str = "",
    purpose: str = "",
    request: HttpRequest | None = None,
) -> Assistance:
    """Records a request for one item of help on a case whose plan was agreed. An amount in
    rupees (Decimal, two places), an in-kind description, or both."""
    if not may_request_assistance(requested_by) or not _may_see_case(requested_by, case):
        raise AssistanceRefused(_("Your role cannot request assistance on this case."))
    errors: dict[str, list[str]] = {}
    if case.status not in REQUESTABLE_CASE_STATUSES:
        errors["case"] = [
            _(
                "Assistance is requested once the case's plan is agreed (plan "
                "agreed or assisting). This case is “%(status)s”."
            )
            % {"status": case.get_status_display()}
        ]
    if kind not in Kind.values:
        errors["kind"] = [_("Choose one of the listed kinds.")]
    value = clean_amount(amount, "amount", errors)
    description = _text(in_kind, "in_kind", IN_KIND_MAX, errors)
    why = _text(purpose, "purpose", PURPOSE_MAX, errors)
    if value is None and not description and "amount" not in errors and "in_kind" not in errors:
        errors["amount"] = [_("Enter an amount in rupees, or describe the help in kind.")]
    if errors:
        raise ValidationError(errors)
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
            request=request,
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
    request: HttpRequest | None = None,
) -> Assistance:
    """Approves a requested item. Of two approvals at the same moment exactly one succeeds;
    the other raises AssistanceConflict and writes nothing. `expected_version` is the version
    the approver saw (defaults to the one in `assistance`)."""
    if not may_approve_assistance(approver) or not _may_see(approver, assistance):
        raise AssistanceRefused(_("Your role cannot approve assistance."))
    _refuse_unless_status(assistance, S.REQUESTED)
    reason = approval_refusal(assistance=assistance, approver=approver)
    if reason is not None:
        raise AssistanceRefused(reason)
    over_limit = is_over_limit(assistance)
    with transaction.atomic():
        _transition(
            assistance,
            expected_version=expected_version,
            from_status=S.REQUESTED,
            status=S.APPROVED,
            approved_by=approver,
            approved_at=timezone.now(),
            approved_over_limit=over_limit,
        )
        audit_record(
            action="case.assistance.approved",
            request=request,
            actor=approver,
            obj=assistance,
            fields=["status", "approved_by"],
        )
    return assistance


def assistance_cancel(
    *,
    assistance: Assistance,
    cancelled_by: User,
    reason: str,
    expected_version: int | None = None,
    request: HttpRequest | None = None,
) -> Assistance:
    """Cancels an item not yet disbursed, with a reason. The requester may cancel their own
    request; otherwise it takes somebody who may approve assistance."""
    if not _may_see(cancelled_by, assistance) or not (
        (assistance.requested_by_id == cancelled_by.pk and may_request_assistance(cancelled_by))
        or may_approve_assistance(cancelled_by)
    ):
        raise AssistanceRefused(_("Your role cannot cancel this assistance."))
    _refuse_unless_status(assistance, S.REQUESTED, S.APPROVED)
    errors: dict[str, list[str]] = {}
    text = _text(
        reason, "reason", REASON_MAX, errors, required=_("Say why the assistance is cancelled.")
    )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _transition(
            assistance,
            expected_version=expected_version,
            from_status=assistance.status,
            status=S.CANCELLED,
            cancelled_by=cancelled_by,
            cancelled_at=timezone.now(),
            cancelled_reason=text,
        )
        audit_record(
            action="case.assistance.cancelled",
            request=request,
            actor=cancelled_by,
            obj=assistance,
            fields=["status", "cancelled_reason"],
        )
    return assistance


def assistance_disburse(
    *,
    assistance: Assistance,
    disbursed_by: User,
    method: str,
    reference: str,
    expected_version: int | None = None,
    request: HttpRequest | None = None,
) -> Assistance:
    """Records that finance paid out (or handed over) an approved item: how, and the
    transaction, cheque or voucher number (encrypted). The disburser is neither the requester
    nor the approver."""
    if not may_record_disbursements(disbursed_by) or not _may_see(disbursed_by, assistance):
        raise AssistanceRefused(_("Your role cannot record disbursements."))
    _refuse_unless_status(assistance, S.APPROVED)
    if disbursed_by.pk in (assistance.requested_by_id, assistance.approved_by_id):
        raise AssistanceRefused(
            _("Whoever requested or approved assistance does not also pay it out.")
        )
    errors: dict[str, list[str]] = {}
    if method not in DisbursementMethod.values:
        errors["method"] = [_("Choose one of the listed methods.")]
    ref = _text(
        reference,
        "reference",
        REFERENCE_MAX,
        errors,
        required=_("Enter the transaction, cheque or voucher number."),
    )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _transition(
            assistance,
            expected_version=expected_version,
            from_status=S.APPROVED,
            status=S.DISBURSED,
            disbursed_by=disbursed_by,
            disbursed_at=timezone.now(),
            disbursement_method=method,
            disbursement_reference=ref,
        )
        audit_record(
            action="case.assistance.disbursed",
            request=request,
            actor=disbursed_by,
            obj=assistance,
            fields=["status", "disbursement_method", "disbursement_reference"],
        )
    return assistance


def assistance_hand_over(
    *,
    assistance: Assistance,
    handed_over_by: User,
    method: str,
    reference: str,
    expected_version: int | None = None,
    request: HttpRequest | None = None,
) -> Assistance:
    """Records the hand-over of help in kind that has no amount (a ration pack, a school
    uniform): the staff pages and the API record disbursements this way. An item with an
    amount is money, and money is paid from the fund (fund.services.disbursement_make, which
    calls assistance_disburse in the same transaction as its ledger entry), so that the ledger
    always accounts for it; here it is refused."""
    if assistance.amount is not None:
        raise AssistanceRefused(
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
        request=request,
    )


def assistance_confirm_receipt(
    *,
    assistance: Assistance,
    confirmed_by: User,
    expected_version: int | None = None,
    request: HttpRequest | None = None,
) -> Assistance:
    """Records that the family confirmed they received a disbursed item (to the caseworker or a
    coordinator who can see the case; never the person who paid it out)."""
    if not may_request_assistance(confirmed_by) or not _may_see_case(confirmed_by, assistance.case):
        raise AssistanceRefused(_("Your role cannot confirm receipt of assistance."))
    _refuse_unless_status(assistance, S.DISBURSED)
    if confirmed_by.pk == assistance.disbursed_by_id:
        raise AssistanceRefused(
            _("Whoever paid the assistance out does not also confirm it was received.")
        )
    with transaction.atomic():
        _transition(
            assistance,
            expected_version=expected_version,
            from_status=S.DISBURSED,
            status=S.RECEIPT_CONFIRMED,
            receipt_confirmed_by=confirmed_by,
            receipt_confirmed_at=timezone.now(),
        )
        audit_record(
            action="case.assistance.receipt_confirmed",
            request=request,
            actor=confirmed_by,
            obj=assistance,
            fields=["status"],
        )
    return assistance
