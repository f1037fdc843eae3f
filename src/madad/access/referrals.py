"""Who may see referrals, which of their fields, and who may act on them.

- Staff of the referring organisation see the referrals of the cases they can see (see
  madad.access.cases), with every field.
- Partner users (``referral.respond``, in a partner organisation) see only the referrals sent
  to their own organisation, and only while the person's consent to referral to that
  organisation is in force and the referral has not been withdrawn: after a withdrawal of
  consent for that partner the referral answers 404 to them, as everything else in Madad
  always does. Consent for another partner changes nothing for them.
- What a partner reads is what the referral itself shares: the service, the summary written
  for the partner, the person's given name and, only when the caseworker chose to share it, a
  phone number; who referred and when, and the state of the referral. Never the case, the
  household, the person's record, their family name, CNIC, address or incident. The shared
  name and phone are encrypted and every read of them through ``access.reveal`` is audited.
- Sending needs ``referral.send`` on a case the user can see, and consent (the service asks
  ``testimonies.services.consent_covers``); answering needs ``referral.respond``.
- The history of the partner's answers (ReferralAnswer: from, to, who, when, the note) is seen
  by exactly those who see the referral, as its latest answer always was; nobody changes it
  (only ``services.referral_respond`` adds to it). Its notes are encrypted and read through
  ``access.reveal``, audited.
"""

from __future__ import annotations

from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from madad.access.base import Rules, can, in_relief_org, is_staff_user
from madad.access.cases import case_visibility
from madad.access.roles import Capability
from madad.accounts.models import User

# Fields that only the referring organisation's staff read.
SENDER_ONLY_FIELDS = frozenset({"case", "person", "sent_by", "response_seen_at"})


def may_send_referrals(user: Any) -> bool:
    return is_staff_user(user) and in_relief_org(user) and can(user, Capability.REFERRAL_SEND)


def is_partner_user(user: Any) -> bool:
    return (
        is_staff_user(user) and not in_relief_org(user) and can(user, Capability.REFERRAL_RESPOND)
    )


def with_consent_in_force(queryset: QuerySet[Any]) -> QuerySet[Any]:
    """The referrals whose person's consent to referral to the referral's partner is in force
    today.

    The same rule as testimonies.services.consent_covers (the latest decision made on or before
    today about all of the person's records wins; consent to referral names its partner, so
    only decisions about this partner count, and old ones naming none count for no partner),
    written as a subquery so that a list filters in the database.
    tests/referrals/test_access.py checks that both agree.
    """
    from madad.testimonies.models import ConsentDecision, ConsentPurpose, ConsentRecord

    decisions = ConsentRecord.objects.filter(
        person_id=OuterRef("person_id"),
        purpose=ConsentPurpose.REFERRAL,
        recipient_id=OuterRef("partner_id"),
        testimony__isnull=True,
        date__lte=timezone.localdate(),
    )
    latest = decisions.order_by("-date", "-recorded_at", "-id").values("decision")[:1]
    in_force: QuerySet[Any] = queryset.alias(consent_in_force=Subquery(latest)).filter(
        consent_in_force=ConsentDecision.GIVEN
    )
    return in_force


class ReferralRules(Rules):
    def visible(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if is_partner_user(user):
            return with_consent_in_force(
                queryset.filter(partner_id=user.organisation_id).exclude(status="withdrawn")
            )
        if not (is_staff_user(user) and in_relief_org(user)):
            return queryset.none()
        condition = case_visibility(user, prefix="case__")
        return queryset.none() if condition is None else queryset.filter(condition)

    def can_change(self, user: User, obj: Any) -> bool:
        if obj.organisation_id != user.organisation_id or not may_send_referrals(user):
            return False
        return self.visible(user, type(obj)._default_manager.filter(pk=obj.pk)).exists()


class ReferralAnswerRules(Rules):
    """Answers to a referral: visible exactly with their referral."""

    def visible(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        from madad.referrals.models import Referral

        referrals = ReferralRules().visible(user, Referral._default_manager.all())
        return queryset.filter(referral__in=referrals.values("pk"))


def may_respond_to(user: Any, referral: Any) -> bool:
    """A partner user answering a referral sent to their organisation that they can see."""
    if not is_partner_user(user) or referral.partner_id != user.organisation_id:
        return False
    return (
        ReferralRules()
        .visible(user, type(referral)._default_manager.filter(pk=referral.pk))
        .exists()
    )


RULES: dict[str, Rules] = {
    "referrals.referral": ReferralRules(
        public_fields=frozenset(
            {
                "id",
                "organisation",
                "partner",
                "service",
                "shared_summary",
                "shared_given_name",
                "shared_phone",
                "status",
                "sent_at",
                "responded_by",
                "responded_at",
                "response_note",
                "withdrawn_at",
                "version",
            }
        ),
        restricted_fields={name: Capability.REFERRAL_SEND for name in SENDER_ONLY_FIELDS},
    ),
    "referrals.referralanswer": ReferralAnswerRules(
        public_fields=frozenset({"id", "referral", "from_status", "to_status", "by", "at", "note"}),
    ),
}
