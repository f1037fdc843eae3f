"""Synthetic demo referrals to the demo partner organisation, under recorded consent.

For some of the demo cases that are not closed, the head of household consents to referral to
the demo partner (a consent record naming it, weeks ago) and the demo caseworker refers them to
the demo partner for a service; the demo partner user answers some (accepted, completed,
declined), one referral is withdrawn, and in one household the person later withdraws consent
to referral to the demo partner, so that the partner no longer sees that referral. One head of
household never consented: nothing is sent for them. Runs after the cases loader; idempotent.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from madad.accounts.roles import Role
from madad.cases.models import Case
from madad.core.demo import DemoContext, scaled
from madad.referrals import services
from madad.referrals.models import Referral, ReferralAnswer
from madad.testimonies.models import ConsentPurpose
from madad.testimonies.services import consent_covers, consent_give, consent_withdraw

SERVICES = [
    (
        "(Demo) Legal representation at the hearings on the FIR",
        "(Demo) The family filed an FIR after the killing and needs a lawyer for the hearings.",
    ),
    (
        "(Demo) Help to obtain the death certificate and succession certificate",
        "(Demo) The widow needs the certificates to claim compensation and the bank account.",
    ),
    (
        "(Demo) Advice on a threatening demand for money",
        "(Demo) The shopkeeper received a demand for money and wants to know his options.",
    ),
    (
        "(Demo) Legal aid for a property dispute after the arson",
        "(Demo) The family's shop was burned; the landlord wants them out.",
    ),
]
# what the partner does: share of referrals
FATES = [
    "sent",
    "accepted",
    "completed",
    "declined",
    "withdrawn",
    "consent_withdrawn",
    "accepted",
    "completed",
]
DEMO_REFERRALS = 12


def load(context: DemoContext) -> None:
    if Referral.objects.filter(organisation=context.relief).exists():
        return
    cases = list(
        Case.objects.filter(organisation=context.relief, household__head__isnull=False)
        .exclude(status=Case.Status.CLOSED)
        .select_related("household__head")
        .order_by("pk")
    )
    if len(cases) < 2:
        context.report.append("no referrals (no open cases yet)")
        return
    rng = context.rng
    worker = context.users[Role.CASEWORKER]
    partner_user = context.users[Role.PARTNER]
    today = timezone.localdate()
    count = min(scaled(context, DEMO_REFERRALS), len(cases) - 1)
    sent = 0
    with transaction.atomic():
        # the last case's head never consented: nothing is sent for them
        for n, case in enumerate(cases[:count]):
            person = case.household.head
            days_ago = rng.randint(3, 40)
            if person is None:  # the query asked for a head; for the type checker
                continue
            partner = context.partner
            if not consent_covers(
                purpose=ConsentPurpose.REFERRAL, person=person, recipient=partner
            ):
                consent_give(
                    purpose=ConsentPurpose.REFERRAL,
                    person=person,
                    recipient=partner,
                    recorded_by=worker,
                    date=today - dt.timedelta(days=days_ago + rng.randint(1, 20)),
                )
            if not consent_covers(
                purpose=ConsentPurpose.REFERRAL, person=person, recipient=partner
            ):
                # a withdrawal recorded by the testimonies' demo is later than that consent
                consent_give(
                    purpose=ConsentPurpose.REFERRAL,
                    person=person,
                    recipient=partner,
                    recorded_by=worker,
                    date=today,
                )
            service, summary = SERVICES[n % len(SERVICES)]
            referral = services.referral_send(
                case=case,
                person=person,
                partner=partner,
                service=service,
                shared_summary=summary,
                share_phone=rng.random() < 0.5,
                sent_by=worker,
            )
            fate = FATES[n % len(FATES)]
            if fate in ("accepted", "completed", "declined"):
                services.referral_respond(
                    referral=referral,
                    responded_by=partner_user,
                    decision="decline" if fate == "declined" else "accept",
                    note="(Demo) We have no lawyer free this month; please ask again in March."
                    if fate == "declined"
                    else "(Demo) A lawyer will call the family this week.",
                )
            if fate == "completed":
                services.referral_respond(
                    referral=referral,
                    responded_by=partner_user,
                    decision="complete",
                    note="(Demo) The lawyer attended the hearing.",
                )
            if fate == "withdrawn":
                services.referral_withdraw(referral=referral, withdrawn_by=worker)
            if fate == "consent_withdrawn":
                consent_withdraw(
                    purpose=ConsentPurpose.REFERRAL,
                    person=person,
                    recipient=partner,
                    recorded_by=worker,
                    date=today,
                )
            responded_at = (
                None
                if referral.responded_at is None
                else timezone.now() - dt.timedelta(days=rng.randint(0, days_ago - 1))
            )
            Referral.objects.filter(pk=referral.pk).update(
                sent_at=timezone.now() - dt.timedelta(days=days_ago),
                responded_at=responded_at,
            )
            if responded_at is not None:  # the answers on the same day, in their order
                ReferralAnswer.objects.filter(referral=referral).update(at=responded_at)
            sent += 1
    context.report.append(f"{sent} referrals to the demo partner")
