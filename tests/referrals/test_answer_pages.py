"""The partner's answer form and the answers on the pages (issue #17): nothing pre-selected, no
silent decline of an accepted referral, and every answer shown with its own note, to the
caseworker, the partner, and nobody else."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from madad.accounts.models import User
from madad.core.models import AuditEvent
from madad.referrals.models import Referral, ReferralAnswer
from madad.referrals.services import referral_respond

pytestmark = pytest.mark.django_db

ACCEPTED_NOTE = "Hearing on the 12th"
DECLINED_NOTE = "Our lawyer fell ill"


def _accept(referral: Referral, partner_user: User) -> Referral:
    referral_respond(
        referral=referral, responded_by=partner_user, decision="accept", note=ACCEPTED_NOTE
    )
    return Referral.objects.get(pk=referral.pk)


def _answer_items(page: str) -> list[str]:
    """The items of the list of answers, in order."""
    match = re.search(r'<ol class="referral-answers">(.*?)</ol>', page, re.S)
    assert match, "the page lists no answers"
    return re.findall(r"<li>(.*?)</li>", match.group(1), re.S)


@pytest.mark.parametrize("status", ["sent", "accepted"])
def test_the_answer_form_preselects_no_answer(
    signed_in: Callable[[User], Client], sent_referral: Referral, partner_user: User, status: str
) -> None:
    if status == "accepted":
        _accept(sent_referral, partner_user)
    page = (
        signed_in(partner_user)
        .get(reverse("referrals:detail", args=[sent_referral.pk]))
        .content.decode()
    )
    assert '<select name="decision"' not in page
    radios = re.findall(r'<input type="radio" name="decision"[^>]*>', page)
    expected = {"sent": ["accept", "decline"], "accepted": ["decline", "complete"]}[status]
    assert re.findall(r'value="(\w+)"', " ".join(radios)) == expected
    assert not [r for r in radios if "checked" in r]
    assert all("required" in r for r in radios)


def test_an_answer_without_a_decision_is_the_form_again_and_changes_nothing(
    signed_in: Callable[[User], Client], sent_referral: Referral, partner_user: User
) -> None:
    accepted = _accept(sent_referral, partner_user)
    response = signed_in(partner_user).post(
        reverse("referrals:respond", args=[accepted.pk]),
        {"note": "", "version": accepted.version},
    )
    assert response.status_code == 422
    assert "Choose your answer." in response.content.decode()
    assert Referral.objects.get(pk=accepted.pk).status == "accepted"
    assert ReferralAnswer.objects.count() == 1


def test_a_second_submission_cannot_silently_decline_an_accepted_referral(
    signed_in: Callable[[User], Client], sent_referral: Referral, partner_user: User
) -> None:
    accepted = _accept(sent_referral, partner_user)
    response = signed_in(partner_user).post(
        reverse("referrals:respond", args=[accepted.pk]),
        {"decision": "decline", "note": "", "version": accepted.version},
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "to decline it now, say why" in page
    assert Referral.objects.get(pk=accepted.pk).status == "accepted"
    assert ReferralAnswer.objects.count() == 1


def test_a_decline_with_a_reason_is_sent(
    signed_in: Callable[[User], Client], sent_referral: Referral, partner_user: User
) -> None:
    accepted = _accept(sent_referral, partner_user)
    response = signed_in(partner_user).post(
        reverse("referrals:respond", args=[accepted.pk]),
        {"decision": "decline", "note": DECLINED_NOTE, "version": accepted.version},
    )
    assert response.status_code == 302
    assert Referral.objects.get(pk=accepted.pk).status == "declined"


@pytest.mark.parametrize("who", ["caseworker", "partner_user"])
def test_the_referral_page_shows_each_answer_with_its_own_note(
    request: pytest.FixtureRequest,
    signed_in: Callable[[User], Client],
    sent_referral: Referral,
    partner_user: User,
    who: str,
) -> None:
    _accept(sent_referral, partner_user)
    referral_respond(
        referral=sent_referral, responded_by=partner_user, decision="decline", note=DECLINED_NOTE
    )
    page = (
        signed_in(request.getfixturevalue(who))
        .get(reverse("referrals:detail", args=[sent_referral.pk]))
        .content.decode()
    )
    accepted, declined = _answer_items(page)
    assert "Accepted" in accepted and ACCEPTED_NOTE in accepted and DECLINED_NOTE not in accepted
    assert "Declined" in declined and DECLINED_NOTE in declined and ACCEPTED_NOTE not in declined
    # each note read is audited, as the reads of what the referral shares are
    assert AuditEvent.objects.filter(action="referral.answer.viewed").count() == 2


def test_an_earlier_note_is_never_shown_beside_a_later_answer(
    signed_in: Callable[[User], Client],
    sent_referral: Referral,
    partner_user: User,
    caseworker: User,
) -> None:
    _accept(sent_referral, partner_user)
    referral_respond(referral=sent_referral, responded_by=partner_user, decision="complete")
    page = (
        signed_in(caseworker)
        .get(reverse("referrals:detail", args=[sent_referral.pk]))
        .content.decode()
    )
    accepted, completed = _answer_items(page)
    assert ACCEPTED_NOTE in accepted
    assert "Completed" in completed and ACCEPTED_NOTE not in completed
    assert page.count(ACCEPTED_NOTE) == 1


def test_the_case_page_shows_the_answers_in_order_with_their_notes(
    signed_in: Callable[[User], Client],
    sent_referral: Referral,
    partner_user: User,
    caseworker: User,
) -> None:
    _accept(sent_referral, partner_user)
    referral_respond(
        referral=sent_referral, responded_by=partner_user, decision="decline", note=DECLINED_NOTE
    )
    page = (
        signed_in(caseworker)
        .get(reverse("cases:detail", args=[sent_referral.case_id]))
        .content.decode()
    )
    panel = page.split('id="referrals"')[1].split("</section>")[0]
    accepted, declined = _answer_items(panel)
    assert ACCEPTED_NOTE in accepted and "Accepted" in accepted
    assert DECLINED_NOTE in declined and "Declined" in declined


@pytest.mark.parametrize("who", ["outsider", "other_caseworker", "finance"])
def test_the_answers_are_not_shown_to_those_who_may_not_see_the_referral(
    request: pytest.FixtureRequest,
    signed_in: Callable[[User], Client],
    sent_referral: Referral,
    partner_user: User,
    who: str,
) -> None:
    _accept(sent_referral, partner_user)
    client = signed_in(request.getfixturevalue(who))
    response = client.get(reverse("referrals:detail", args=[sent_referral.pk]))
    assert response.status_code == 404
    case_page = client.get(reverse("cases:detail", args=[sent_referral.case_id]))
    assert ACCEPTED_NOTE not in case_page.content.decode()
    assert not AuditEvent.objects.filter(action="referral.answer.viewed").exists()
