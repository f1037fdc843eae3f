"""Who may see assistance and its limits, which of their fields, and who may act on them.

- Assistance belongs to a case: whoever may see the case (its caseworker, coordinators, see
  madad.access.cases) sees its assistance. Finance officers (``disbursement.record``) see every
  approved, disbursed or received item of their organisation, to pay it out, but no case.
  Partner organisations, administrators and auditors see none (404).
- The disbursement details (method and reference) are for finance officers and the case's own
  caseworker only (``disbursement.view`` plus, for a caseworker, being the case's caseworker):
  a coordinator or another caseworker who can see the case does not see how or to which
  account the money went. The reference is encrypted; every read goes through
  ``access.reveal`` and is audited as ``assistance.disbursement.viewed``. Finance does not
  read why the family needs the item (``purpose``): that is the case's business.
- Requesting needs ``assistance.request`` on a case the user can see; approving needs
  ``assistance.approve`` on an item the user can see, never the requester's own (the service
  and a database constraint both refuse it), and ``case.approve`` (a coordinator) when the
  amount is over the kind's limit. Recording a disbursement needs ``disbursement.record``.
- Limits are read by the organisation's staff who work with assistance and changed by a role
  with ``assistance.limits`` (administrators).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from madad.access.base import Rules, can, in_relief_org, is_staff_user
from madad.access.cases import case_visibility
from madad.access.roles import Capability
from madad.accounts.models import User
from madad.cases.models import Case

DISBURSEMENT_FIELDS = frozenset({"disbursement_method", "disbursement_reference"})
CASE_ONLY_FIELDS = frozenset({"purpose"})
# Items a finance officer works on: approved and later, never cancelled or merely requested.
FINANCE_STATUSES = ("approved", "disbursed", "receipt_confirmed")


def _relief_staff(user: Any) -> bool:
    return is_staff_user(user) and in_relief_org(user)


def may_request_assistance(user: Any) -> bool:
    return _relief_staff(user) and can(user, Capability.ASSISTANCE_REQUEST)


def may_approve_assistance(user: Any) -> bool:
    return _relief_staff(user) and can(user, Capability.ASSISTANCE_APPROVE)


def may_approve_over_limit(user: Any) -> bool:
    return may_approve_assistance(user) and can(user, Capability.CASE_APPROVE)


def may_record_disbursements(user: Any) -> bool:
    return _relief_staff(user) and can(user, Capability.DISBURSEMENT_RECORD)


def may_edit_limits(user: Any) -> bool:
    return _relief_staff(user) and can(user, Capability.ASSISTANCE_LIMITS)


def may_see_disbursement(user: Any, assistance: Any) -> bool:
    """Method and reference of this item: finance, or the case's own caseworker."""
    if not (_relief_staff(user) and can(user, Capability.DISBURSEMENT_VIEW)):
        return False
    if assistance.case.organisation_id != user.organisation_id:
        return False
    return can(user, Capability.DISBURSEMENT_RECORD) or assistance.case.caseworker_id == user.pk


def may_see_case_of(user: Any, assistance: Any) -> bool:
    condition = case_visibility(user)
    return condition is not None and Case.objects.filter(condition, pk=assistance.case_id).exists()


class AssistanceRules(Rules):
    def visible(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if not _relief_staff(user):
            return queryset.none()
        condition: Q | None = case_visibility(user, prefix="case__")
        if may_record_disbursements(user):
            finance = Q(case__organisation_id=user.organisation_id, status__in=FINANCE_STATUSES)
            condition = finance if condition is None else condition | finance
        return queryset.none() if condition is None else queryset.filter(condition)

    def can_change(self, user: User, obj: Any) -> bool:
        # "change" = act on the item at all; each action adds its own capability
        return self.visible(user, type(obj)._default_manager.filter(pk=obj.pk)).exists()

    def fields_of(self, user: User, obj: Any, fields: frozenset[str]) -> frozenset[str]:
        if not may_see_disbursement(user, obj):
            fields = fields - DISBURSEMENT_FIELDS
        if not may_see_case_of(user, obj):
            # finance pays the item out; why the family needs it is the case's business
            fields = fields - CASE_ONLY_FIELDS
        return fields


class LimitRules(Rules):
    def visible(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if may_request_assistance(user) or may_approve_assistance(user) or may_edit_limits(user):
            return queryset.filter(organisation_id=user.organisation_id)
        return queryset.none()

    def can_change(self, user: User, obj: Any) -> bool:
        return may_edit_limits(user) and obj.organisation_id == user.organisation_id


RULES: dict[str, Rules] = {
    "assistance.assistance": AssistanceRules(
        public_fields=frozenset(
            {
                "id",
                "case",
                "kind",
                "amount",
                "in_kind",
                "purpose",
                "status",
                "requested_by",
                "requested_at",
                "approved_by",
                "approved_at",
                "approved_over_limit",
                "disbursed_by",
                "disbursed_at",
                "receipt_confirmed_by",
                "receipt_confirmed_at",
                "cancelled_by",
                "cancelled_at",
                "cancelled_reason",
                "version",
            }
        ),
        restricted_fields={name: Capability.DISBURSEMENT_VIEW for name in DISBURSEMENT_FIELDS},
    ),
    "assistance.limit": LimitRules(
        public_fields=frozenset({"id", "kind", "max_amount", "updated_by", "updated_at"}),
    ),
}
