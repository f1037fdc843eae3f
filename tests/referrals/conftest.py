from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from madad.accounts.models import Organisation, User
from madad.cases.models import Case
from madad.referrals.models import Referral
from madad.referrals.services import referral_send
from tests.assistance.factories import give_referral_consent
from tests.assistance.fixtures import *  # noqa: F403


@pytest.fixture
def sent_referral(caseworker: User, case: Case, partner_org: Organisation) -> Referral:
    """A referral of the case's head of household, who consented to it yesterday."""
    give_referral_consent(
        case.household.head, caseworker, partner_org, on=timezone.localdate() - dt.timedelta(days=1)
    )
    return referral_send(
        case=case,
        person=case.household.head,
        partner=partner_org,
        service="Legal aid at the sessions court",
        shared_summary="Threatened after filing the FIR",
        sent_by=caseworker,
    )
