"""Referrals answered before the history of answers existed get their history from what was
kept: the referral's latest answer and, where the audit trail tells them, the answers before it
(so that an earlier answer's note is not put beside a later status). The reverse removes it."""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.db.models import F
from django.utils import timezone

from madad.accounts.models import Organisation, User
from madad.core.audit import audit_record
from madad.referrals.models import Referral, ReferralAnswer
from madad.referrals.services import referral_respond, referral_send, referral_withdraw
from tests.assistance.factories import give_referral_consent, make_case

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("madad.referrals.migrations.0008_answers_of_earlier_referrals")
EDITOR = SimpleNamespace(connection=connection)


@pytest.fixture
def send(caseworker: User, partner_org: Organisation) -> Callable[[], Referral]:
    def _send() -> Referral:
        case = make_case(caseworker=caseworker)
        give_referral_consent(case.household.head, caseworker, partner_org)
        return referral_send(
            case=case,
            person=case.household.head,
            partner=partner_org,
            service="Legal aid",
            sent_by=caseworker,
        )

    return _send


def _history(referral: Referral) -> list[tuple[str, str, int, str]]:
    return [
        (a.from_status, a.to_status, a.by_id, a.note)
        for a in ReferralAnswer.objects.filter(referral=referral)
    ]


def _answer_the_old_way(referral: Referral, user: User, status: str, note: str = "") -> None:
    """What referral_respond did before: the status, the time and the note on the referral
    (an empty note kept the earlier one), and the audit event; no history."""
    changes: dict[str, object] = {"status": status, "responded_by": user}
    changes["responded_at"] = timezone.now()
    if note:
        changes["response_note"] = note
    Referral.objects.filter(pk=referral.pk).update(version=F("version") + 1, **changes)
    audit_record(
        action=f"case.referral.{status}",
        actor=user,
        obj=referral,
        fields=["status", "response_note"] if note else ["status"],
    )


def test_each_answered_referral_gets_its_history_and_the_reverse_removes_it(
    send: Callable[[], Referral], partner_user: User, caseworker: User
) -> None:
    sent = send()
    accepted = send()
    _answer_the_old_way(accepted, partner_user, "accepted", "Hearing on the 12th")
    # issue #17: accepted with a note, then declined without one; the note stayed
    declined_later = send()
    _answer_the_old_way(declined_later, partner_user, "accepted", "Hearing on the 12th")
    _answer_the_old_way(declined_later, partner_user, "declined")
    completed = send()
    _answer_the_old_way(completed, partner_user, "accepted", "A lawyer will call")
    _answer_the_old_way(completed, partner_user, "completed", "Attended the hearing")
    # its time as the referral kept it is earlier than the audit trail's (a clock set back)
    Referral.objects.filter(pk=completed.pk).update(
        responded_at=timezone.now() - dt.timedelta(days=1)
    )
    withdrawn = send()
    _answer_the_old_way(withdrawn, partner_user, "accepted", "Yes")
    referral_withdraw(referral=Referral.objects.get(pk=withdrawn.pk), withdrawn_by=caseworker)
    # answered, but the audit trail says nothing of it: the latest answer alone
    untold = send()
    Referral.objects.filter(pk=untold.pk).update(
        status="declined",
        responded_by=partner_user,
        responded_at=timezone.now(),
        response_note="No capacity",
    )
    ReferralAnswer.objects.all().delete()

    MIGRATION.record_answers(apps, EDITOR)

    me = partner_user.pk
    assert _history(sent) == []
    assert _history(accepted) == [("sent", "accepted", me, "Hearing on the 12th")]
    assert _history(declined_later) == [
        ("sent", "accepted", me, "Hearing on the 12th"),
        ("accepted", "declined", me, ""),
    ]
    assert _history(completed) == [
        ("sent", "accepted", me, ""),  # its note was overwritten: it is lost
        ("accepted", "completed", me, "Attended the hearing"),
    ]
    assert _history(withdrawn) == [("sent", "accepted", me, "Yes")]
    assert _history(untold) == [("sent", "declined", me, "No capacity")]
    latest = ReferralAnswer.objects.filter(referral=completed).last()
    assert latest is not None
    assert latest.at == Referral.objects.get(pk=completed.pk).responded_at

    MIGRATION.record_answers(apps, EDITOR)  # a second run adds nothing
    assert ReferralAnswer.objects.count() == 7
    MIGRATION.forget_answers(apps, EDITOR)
    assert not ReferralAnswer.objects.exists()


def test_referrals_answered_through_the_service_keep_their_history(
    send: Callable[[], Referral], partner_user: User
) -> None:
    referral = send()
    referral_respond(referral=referral, responded_by=partner_user, decision="accept", note="Yes")
    before = _history(referral)
    MIGRATION.record_answers(apps, EDITOR)
    assert _history(referral) == before
