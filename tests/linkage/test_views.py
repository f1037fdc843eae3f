"""The duplicates pages, asked by the owner (a documenter), a colleague who reviews too (a
verifier), a colleague whose role does not review (a caseworker) and an outsider."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoCaptureOnCommitCallbacks

from madad.accounts.models import User
from madad.core.models import AuditEvent
from madad.linkage.models import Decision, LinkageRun, MergeRecord, PersonPair
from madad.linkage.services import linkage_run_execute, persons_merge
from madad.people.models import Person

pytestmark = pytest.mark.django_db

SignedIn = Callable[[User], Client]
HTMX = {"HX-Request": "true"}
QUEUE = reverse("linkage:queue")


def _pair_url(pair: PersonPair) -> str:
    return reverse("linkage:pair", args=[pair.pk])


# --- the queue ---------------------------------------------------------------------------------
def test_the_owner_sees_the_pair_in_the_queue_with_both_names(
    signed_in: SignedIn,
    documenter: User,
    pair: PersonPair,
) -> None:
    response = signed_in(documenter).get(QUEUE)
    assert response.status_code == 200
    html = response.content.decode()
    assert _pair_url(pair) in html
    assert "Mohd. Ali" in html and "محمد علی خان" in html
    assert AuditEvent.objects.filter(action="person.identity.viewed", actor=documenter).count() == 2


def test_a_verifier_reviews_too(signed_in: SignedIn, verifier: User, pair: PersonPair) -> None:
    assert _pair_url(pair) in signed_in(verifier).get(QUEUE).content.decode()


def test_a_colleague_whose_role_does_not_review_gets_404(
    signed_in: SignedIn,
    caseworker: User,
    pair: PersonPair,
) -> None:
    client = signed_in(caseworker)
    assert client.get(QUEUE).status_code == 404
    assert client.get(_pair_url(pair)).status_code == 404


def test_an_outsider_has_their_own_queue_and_our_pair_answers_404(
    signed_in: SignedIn,
    outsider: User,
    pair: PersonPair,
) -> None:
    client = signed_in(outsider)
    queue = client.get(QUEUE)
    assert queue.status_code == 200 and _pair_url(pair) not in queue.content.decode()
    assert client.get(_pair_url(pair)).status_code == 404
    assert AuditEvent.objects.filter(action="access.denied", actor=outsider).exists()


def test_the_menu_offers_duplicates_to_reviewers_only(
    signed_in: SignedIn,
    documenter: User,
    caseworker: User,
) -> None:
    assert f'href="{QUEUE}"' in signed_in(documenter).get("/").content.decode()
    assert f'href="{QUEUE}"' not in signed_in(caseworker).get("/").content.decode()


# --- one pair --------------------------------------------------------------------------------
def test_the_pair_shows_the_evidence_for_and_against(
    signed_in: SignedIn,
    documenter: User,
    pair: PersonPair,
) -> None:
    html = signed_in(documenter).get(_pair_url(pair)).content.decode()
    assert "one digit apart, or two swapped" in html  # the CNIC
    assert "evidence-for" in html
    assert "42101-1234567-1" in html or "4210112345671" in html


def test_not_the_same_closes_the_pair_and_is_audited(
    signed_in: SignedIn,
    documenter: User,
    pair: PersonPair,
) -> None:
    response = signed_in(documenter).post(_pair_url(pair), {"decision": "not_same"})
    assert response.status_code == 302
    pair.refresh_from_db()
    assert pair.status == Decision.NOT_SAME and pair.decided_by == documenter
    assert AuditEvent.objects.filter(action="linkage.pair.not_same").exists()
    assert Person.objects.filter(pk__in=[pair.person_a_id, pair.person_b_id]).count() == 2


def test_merge_keeps_the_chosen_record_and_leads_to_it(
    signed_in: SignedIn,
    verifier: User,
    pair: PersonPair,
) -> None:
    response = signed_in(verifier).post(_pair_url(pair), {"decision": "merged", "keep": "b"})
    assert response.status_code == 302
    assert response["Location"] == reverse("people:detail", args=[pair.person_b_id])
    assert not Person.objects.filter(pk=pair.person_a_id).exists()
    merge = MergeRecord.objects.get()
    assert merge.kept_person_id == pair.person_b_id and merge.merged_by == verifier


def test_a_decided_pair_cannot_be_decided_again(
    signed_in: SignedIn,
    documenter: User,
    pair: PersonPair,
) -> None:
    client = signed_in(documenter)
    client.post(_pair_url(pair), {"decision": "not_same"})
    response = client.post(_pair_url(pair), {"decision": "merged", "keep": "a"})
    assert response.status_code == 409
    assert Person.objects.filter(pk__in=[pair.person_a_id, pair.person_b_id]).count() == 2


def test_a_bad_decision_is_refused_without_a_change(
    signed_in: SignedIn,
    documenter: User,
    pair: PersonPair,
) -> None:
    response = signed_in(documenter).post(_pair_url(pair), {"decision": "delete-both"})
    assert response.status_code == 422
    pair.refresh_from_db()
    assert pair.status == Decision.PENDING


# --- merges and undo ---------------------------------------------------------------------------
def test_the_owner_undoes_a_merge_from_the_list(
    signed_in: SignedIn,
    documenter: User,
    ali_roman: Person,
    ali_urdu: Person,
) -> None:
    merge = persons_merge(kept=ali_roman, merged=ali_urdu, merged_by=documenter)
    client = signed_in(documenter)
    assert (
        reverse("linkage:merge_undo", args=[merge.pk])
        in client.get(reverse("linkage:merges")).content.decode()
    )
    response = client.post(reverse("linkage:merge_undo", args=[merge.pk]))
    assert response.status_code == 302
    assert Person.objects.filter(pk=ali_urdu.pk).exists()


@pytest.mark.parametrize("who", ["caseworker", "outsider"])
def test_only_reviewers_of_the_organisation_undo_a_merge(
    signed_in: SignedIn,
    who: str,
    request: pytest.FixtureRequest,
    documenter: User,
    ali_roman: Person,
    ali_urdu: Person,
) -> None:
    merge = persons_merge(kept=ali_roman, merged=ali_urdu, merged_by=documenter)
    user = request.getfixturevalue(who)
    assert signed_in(user).post(reverse("linkage:merge_undo", args=[merge.pk])).status_code == 404
    assert not Person.objects.filter(pk=ali_urdu.pk).exists()


# --- batch runs ---------------------------------------------------------------------------------
def test_a_run_is_queued_on_commit_and_its_progress_polled(
    signed_in: SignedIn,
    documenter: User,
    ali_roman: Person,
    ali_urdu: Person,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    client = signed_in(documenter)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("linkage:run_start"), {"kind": "persons"})
    run = LinkageRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "linkage:run", args=[run.pk]
    )
    assert len(callbacks) == 1
    polling = client.get(reverse("linkage:run", args=[run.pk]), headers=HTMX)
    assert 'hx-trigger="every 2s"' in polling.content.decode()
    linkage_run_execute(run_id=run.pk, workers=1)
    done = client.get(reverse("linkage:run", args=[run.pk]), headers=HTMX).content.decode()
    assert "every 2s" not in done and 'value="100"' in done
    pair = PersonPair.objects.get()
    assert {pair.person_a_id, pair.person_b_id} == {ali_roman.pk, ali_urdu.pk}


def test_a_colleague_whose_role_does_not_review_starts_no_run(
    signed_in: SignedIn,
    caseworker: User,
    documenter: User,
) -> None:
    run = LinkageRun.objects.create(organisation=documenter.organisation, kind="persons")
    client = signed_in(caseworker)
    assert client.post(reverse("linkage:run_start"), {"kind": "persons"}).status_code == 404
    assert client.get(reverse("linkage:run", args=[run.pk])).status_code == 404
    assert LinkageRun.objects.count() == 1


def test_an_outsider_runs_over_their_own_records_and_cannot_watch_ours(
    signed_in: SignedIn,
    outsider: User,
    documenter: User,
) -> None:
    ours = LinkageRun.objects.create(organisation=documenter.organisation, kind="persons")
    client = signed_in(outsider)
    assert client.get(reverse("linkage:run", args=[ours.pk])).status_code == 404
    client.post(reverse("linkage:run_start"), {"kind": "persons"})
    theirs = LinkageRun.objects.exclude(pk=ours.pk).get()
    assert theirs.organisation == outsider.organisation


# --- the check of the person form ------------------------------------------------------------
def _check(client: Client, **fields: str) -> str:
    data = {"sex": "unknown", **fields}
    return client.post(reverse("linkage:check_person"), data, headers=HTMX).content.decode()


def test_the_person_form_warns_of_a_possible_duplicate_in_the_other_script(
    signed_in: SignedIn,
    documenter: User,
    ali_roman: Person,
) -> None:
    html = _check(
        signed_in(documenter),
        full_name_ur="محمد علی خان",
        father_name="محمد اسلم خان",
        sex="male",
        cnic="42101-1234567-1",
    )
    assert f"person #{ali_roman.pk}" in html and "Mohd. Ali" in html


def test_no_warning_for_somebody_new(
    signed_in: SignedIn, documenter: User, ali_roman: Person
) -> None:
    assert "Possible duplicate" not in _check(
        signed_in(documenter), given_name="Zainab", family_name="Latif", sex="female"
    )


def test_a_caseworker_recording_persons_gets_the_check_too(
    signed_in: SignedIn,
    caseworker: User,
    ali_roman: Person,
) -> None:
    html = _check(
        signed_in(caseworker), given_name="Muhammad Ali", family_name="Khan", cnic="4210112345671"
    )
    assert f"person #{ali_roman.pk}" in html


@pytest.mark.parametrize("who", ["verifier", "outsider"])
def test_the_check_shows_nothing_of_ours_to_others(
    signed_in: SignedIn,
    who: str,
    request: pytest.FixtureRequest,
    ali_roman: Person,
) -> None:
    client = signed_in(request.getfixturevalue(who))
    response = client.post(
        reverse("linkage:check_person"),
        {
            "given_name": "Mohd. Ali",
            "family_name": "Khan",
            "cnic": "42101-1234567-1",
            "sex": "male",
        },
        headers=HTMX,
    )
    if who == "verifier":  # may not record persons: no form, no check
        assert response.status_code == 404
    else:
        assert response.status_code == 200
        assert f"#{ali_roman.pk}" not in response.content.decode()


def test_the_check_accepts_only_a_post(signed_in: SignedIn, documenter: User) -> None:
    assert signed_in(documenter).get(reverse("linkage:check_person")).status_code == 405


def test_the_person_and_incident_forms_carry_the_duplicate_check(
    signed_in: SignedIn,
    documenter: User,
) -> None:
    client = signed_in(documenter)
    assert reverse("linkage:check_person") in client.get("/people/new/").content.decode()
    assert (
        reverse("linkage:check_incident")
        in client.get(reverse("incidents:create")).content.decode()
    )
