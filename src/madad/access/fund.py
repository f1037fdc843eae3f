"""Who may see and change the relief fund.

The fund is the organisation's own: its finance officers, auditors and coordinators see it
(`fund.view`), finance officers change it (`fund.edit`). Partners see none of it. Donors' names
and contacts are restricted to `fund.donor.view` (finance officers and auditors); coordinators
see the figures, not who gave. Ledger entries are never changed, only reversed, which is
`fund.edit` too.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from madad.access.base import Rules, can, in_relief_org
from madad.access.roles import Capability
from madad.accounts.models import User


class FundRules(Rules):
    """The organisation's fund records, for those who may see the fund."""

    def visible(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if can(user, Capability.FUND_VIEW) and in_relief_org(user):
            return queryset.filter(organisation_id=user.organisation_id)
        return queryset.none()

    def can_change(self, user: User, obj: Any) -> bool:
        return (
            can(user, Capability.FUND_EDIT)
            and in_relief_org(user)
            and obj.organisation_id == user.organisation_id
        )


def _fields(*names: str) -> frozenset[str]:
    return frozenset(names)


RULES: dict[str, Rules] = {
    "fund.donor": FundRules(
        public_fields=_fields("id", "kind", "named_in_public", "created_at", "version"),
        restricted_fields={
            "name": Capability.FUND_DONOR_VIEW,
            "contact": Capability.FUND_DONOR_VIEW,
        },
    ),
    "fund.donation": FundRules(
        public_fields=_fields(
            "id",
            "donor",
            "receipt_number",
            "received_on",
            "channel",
            "currency",
            "amount",
            "fee",
            "net",
            "earmark",
            "account",
            "rate",
            "rate_date",
            "rate_source",
            "base_amount",
            "entry",
            "recorded_by",
            "recorded_at",
        ),
    ),
    "fund.earmark": FundRules(
        public_fields=_fields("id", "code", "name", "name_ur", "is_general", "kinds", "created_at"),
    ),
    "fund.account": FundRules(
        public_fields=_fields(
            "id", "kind", "name", "currency", "earmark", "assistance_kind", "created_at"
        ),
    ),
    "fund.journalentry": FundRules(
        public_fields=_fields(
            "id", "kind", "date", "memo", "posted_by", "posted_at", "reverses", "reason"
        ),
    ),
    "fund.exchangerate": FundRules(
        public_fields=_fields("id", "currency", "date", "rate", "source", "recorded_at"),
    ),
    "fund.conversion": FundRules(
        public_fields=_fields(
            "id",
            "date",
            "earmark",
            "from_account",
            "to_account",
            "amount_from",
            "amount_to",
            "rate",
            "rate_source",
            "gain",
            "entry",
            "recorded_at",
        ),
    ),
    "fund.disbursement": FundRules(
        public_fields=_fields(
            "id",
            "assistance",
            "account",
            "earmark",
            "amount",
            "paid_on",
            "entry",
            "made_by",
            "made_at",
            "reversed_at",
        ),
    ),
}
