"""The partner's answers: each one kept in the referral's history with its own note, and a
referral already accepted is declined only with a reason (issue #17: an accepted referral was
declined by a second submission of the answer form)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from madad import access
from madad.accounts.models import Organisation, User
from madad.core.models import AuditEvent
from madad.core.refusals import Conflict, Invalid
from madad.referrals.models import Referral, ReferralAnswer
from madad.referrals.services import referral_respond, referral_withdraw
from tests.assistance.factories import withdraw_referral_consent
from tests.core.conftest import raw_row

pytestmark = pytest.mark.django_db


def _answers(referral: Referral) -> list[tuple[str, str, int, str]]:
    return [
        (a.from_status, a.to_status, a.by_id, a.note)
        for a in ReferralAnswer.objects.filter(referral=referral)
    ]


def _accept(referral: Referral, partner_user: User, note: str = "Hearing on the 12th") -> None:
    referral_respond(referral=referral, responded_by=partner_user, decision="accept", note=note)


def test_declining_an_accepted_referral_without_a_reason_is_refused_and_changes_nothing(
    sent_referral: Referral, partner_user: User
) -> None:
    _accept(sent_referral, partner_user)
    for note in ("", "   \n "):
        with pytest.raises(Invalid) as refused:
            referral_respond(
                referral=sent_referral, responded_by=partner_user, decision="decline", note=note
            )
        assert set(refused.value.fields) == {"note"}
    stored = Referral.objects.get(pk=sent_referral.pk)
    assert (stored.status, stored.response_note) == ("accepted", "Hearing on the 12th")
    assert _answers(sent_referral) == [("sent", "accepted", partner_user.pk, "Hearing on the 12th")]
    assert not AuditEvent.objects.filter(action="case.referral.declined").exists()


def test_declining_an_accepted_referral_with_a_reason_declines_it(
    sent_referral: Referral, partner_user: User
) -> None:
    _accept(sent_referral, partner_user)
    referral_respond(
        referral=sent_referral,
        responded_by=partner_user,
        decision="decline",
        note="Our lawyer fell ill",
    )
    assert Referral.objects.get(pk=sent_referral.pk).status == "declined"


def test_declining_a_sent_referral_needs_no_reason(
    sent_referral: Referral, partner_user: User
) -> None:
    referral_respond(referral=sent_referral, responded_by=partner_user, decision="decline")
    assert Referral.objects.get(pk=sent_referral.pk).status == "declined"
    assert _answers(sent_referral) == [("sent", "declined", partner_user.pk, "")]


def test_each_answer_is_kept_in_order_with_its_own_note(
    sent_referral: Referral, partner_user: User
) -> None:
    _accept(sent_referral, partner_user)
    referral_respond(
        referral=sent_referral,
        responded_by=partner_user,
        decision="decline",
        note="Our lawyer fell ill",
    )
    assert _answers(sent_referral) == [
        ("sent", "accepted", partner_user.pk, "Hearing on the 12th"),
        ("accepted", "declined", partner_user.pk, "Our lawyer fell ill"),
    ]
    referral = Referral.objects.get(pk=sent_referral.pk)
    latest = ReferralAnswer.objects.filter(referral=referral).last()
    assert latest is not None
    assert (referral.responded_at, referral.response_note) == (latest.at, "Our lawyer fell ill")


def test_an_answer_without_a_note_does_not_keep_the_earlier_answers_note(
    sent_referral: Referral, partner_user: User
) -> None:
    _accept(sent_referral, partner_user)
    referral_respond(referral=sent_referral, responded_by=partner_user, decision="complete")
    # the latest answer's note is the latest answer's: none, not the acceptance's
    assert Referral.objects.get(pk=sent_referral.pk).response_note == ""
    assert _answers(sent_referral) == [
        ("sent", "accepted", partner_user.pk, "Hearing on the 12th"),
        ("accepted", "completed", partner_user.pk, ""),
    ]


def test_a_refused_answer_leaves_no_history(sent_referral: Referral, partner_user: User) -> None:
    _accept(sent_referral, partner_user)
    with pytest.raises(Conflict):
        _accept(sent_referral, partner_user, note="again")
    stale = Referral.objects.get(pk=sent_referral.pk)
    with pytest.raises(Conflict):  # answered on a page read before the acceptance
        referral_respond(
            referral=stale,
            responded_by=partner_user,
            decision="complete",
            expected_version=sent_referral.version - 1,
        )
    assert len(_answers(sent_referral)) == 1


def test_the_answers_note_is_not_stored_in_plaintext(
    sent_referral: Referral, partner_user: User
) -> None:
    _accept(sent_referral, partner_user, note="Advocate Imran Qureshi will call 0300-7654321")
    answer = ReferralAnswer.objects.get(referral=sent_referral)
    stored = str(raw_row(ReferralAnswer, answer.pk)["note"])
    assert "Imran" not in stored and "0300" not in stored
    assert answer.note == "Advocate Imran Qureshi will call 0300-7654321"


def test_the_answer_is_audited_with_the_referral(
    sent_referral: Referral, partner_user: User
) -> None:
    _accept(sent_referral, partner_user)
    event = AuditEvent.objects.get(action="case.referral.accepted")
    assert (event.object_type, event.object_id) == ("referrals.referral", str(sent_referral.pk))
    assert event.actor_id == partner_user.pk


# --- who sees the answers: exactly those who see the referral ---------------------------------
@pytest.mark.parametrize("who", ["caseworker", "coordinator", "partner_user"])
def test_those_who_see_the_referral_see_its_answers(
    request: pytest.FixtureRequest, sent_referral: Referral, partner_user: User, who: str
) -> None:
    _accept(sent_referral, partner_user)
    user = request.getfixturevalue(who)
    assert access.visible_to(user, Referral).filter(pk=sent_referral.pk).exists()
    answers = access.visible_to(user, ReferralAnswer).filter(referral=sent_referral)
    assert answers.count() == 1
    assert "note" in access.readable_fields(user, ReferralAnswer)


@pytest.mark.parametrize("who", ["outsider", "other_caseworker", "finance", "administrator"])
def test_others_see_no_answers(
    request: pytest.FixtureRequest, sent_referral: Referral, partner_user: User, who: str
) -> None:
    _accept(sent_referral, partner_user)
    user = request.getfixturevalue(who)
    assert not access.visible_to(user, Referral).filter(pk=sent_referral.pk).exists()
    assert not access.visible_to(user, ReferralAnswer).exists()


def test_another_partner_sees_no_answers(
    sent_referral: Referral, partner_user: User, make_user: Callable[..., User]
) -> None:
    _accept(sent_referral, partner_user)
    clinic = Organisation.objects.create(name="A clinic (test)", kind="hospital")
    assert not access.visible_to(make_user("partner", organisation=clinic), ReferralAnswer).exists()


def test_the_partner_no_longer_sees_the_answers_once_consent_is_withdrawn(
    sent_referral: Referral, partner_user: User, caseworker: User
) -> None:
    _accept(sent_referral, partner_user)
    withdraw_referral_consent(sent_referral.person, caseworker, sent_referral.partner)
    assert not access.visible_to(partner_user, ReferralAnswer).exists()
    assert access.visible_to(caseworker, ReferralAnswer).count() == 1


def test_the_partner_no_longer_sees_the_answers_of_a_withdrawn_referral(
    sent_referral: Referral, partner_user: User, caseworker: User
) -> None:
    _accept(sent_referral, partner_user)
    referral_withdraw(referral=sent_referral, withdrawn_by=caseworker)
    assert not access.visible_to(partner_user, ReferralAnswer).exists()
    assert access.visible_to(caseworker, ReferralAnswer).count() == 1


def test_nobody_changes_an_answer(
    sent_referral: Referral, partner_user: User, caseworker: User, coordinator: User
) -> None:
    _accept(sent_referral, partner_user)
    answer = ReferralAnswer.objects.get()
    assert not any(access.can_change(u, answer) for u in (partner_user, caseworker, coordinator))
