"""A partner's read of what a referral shares is audited in the referring organisation's
trail, so that its auditors see who outside read their people's details (found while fixing
the same for grantees, issue 15)."""

from __future__ import annotations

import pytest

from madad import access
from madad.accounts.models import User
from madad.core.models import AuditEvent
from madad.referrals.models import Referral

pytestmark = pytest.mark.django_db


def test_the_partners_read_is_filed_under_the_referring_organisation(
    sent_referral: Referral, partner_user: User
) -> None:
    access.reveal(
        partner_user, sent_referral, wanted=["shared_summary"], action="referral.shared.viewed"
    )
    event = AuditEvent.objects.get(action="referral.shared.viewed", actor=partner_user)
    assert event.organisation_id == sent_referral.organisation_id
    assert event.organisation_id != partner_user.organisation_id
