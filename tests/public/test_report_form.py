"""The public report form (/public/report/ and /public/report/add/): a report lands in the
intake inbox with nothing that tells who sent it, behind a honeypot, a proof of work and limits
per hour; every refusal says why and stores nothing; the pages are never stored by caches."""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.core import signing
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.utils import timezone
from pytest_django import Settings

from madad.accounts.models import Organisation, User
from madad.core.models import AuditEvent
from madad.incidents.models import IncidentType
from madad.intake.models import IntakeItem
from madad.public import report_guard
from tests.incidents.factories import Gazetteer

pytestmark = pytest.mark.django_db

REPORT = "/public/report/"
ADD = "/public/report/add/"
BITS = 8


@pytest.fixture(autouse=True)
def _low_work(settings: Settings) -> None:
    settings.MADAD_PUBLIC_REPORT_WORK_BITS = BITS
    settings.MADAD_PUBLIC_REPORTS_PER_ADDRESS = 5
    settings.MADAD_PUBLIC_REPORTS_PER_HOUR = 200


@pytest.fixture
def receiver(relief_org: Organisation) -> Organisation:
    """The one relief organisation: public reports go to it."""
    return relief_org


def solve(challenge: str, bits: int = BITS) -> str:
    counter = 0
    while report_guard.leading_zero_bits(report_guard.work_digest(challenge, str(counter))) < bits:
        counter += 1
    return str(counter)


def not_enough(challenge: str, bits: int = BITS) -> str:
    """A counter whose hash has fewer zero bits than asked."""
    counter = 0
    while report_guard.leading_zero_bits(report_guard.work_digest(challenge, str(counter))) >= bits:
        counter += 1
    return str(counter)


def challenge_of(html: str) -> str:
    found = re.search(r'name="challenge" value="([^"]+)"', html)
    assert found, "the page carries no challenge"
    return found.group(1)


def page(client: Client, url: str = REPORT, **extra: Any) -> str:
    response = client.get(url, **extra)
    assert response.status_code == 200
    return response.content.decode()


def send(
    client: Client,
    data: dict[str, Any],
    url: str = REPORT,
    *,
    work: str | None = None,
    **extra: Any,
) -> Any:
    """Opens the form, does its work and posts `data` with it (as report.js would)."""
    challenge = challenge_of(page(client, url, **extra))
    body = {"challenge": challenge, "work": solve(challenge) if work is None else work, **data}
    return client.post(url, body, **extra)


def answers(places: Gazetteer) -> dict[str, Any]:
    return {
        "what": "Two men on a motorbike fired at a tailor's shop.\nNobody was hurt.",
        "when": "2024-05-02",
        "place": str(places.hilltown.pk),
        "where": "Near the mosque on the main road",
        "types": ["targeted-killing", "arson"],
        "contact": "",
    }


def receipt_of(response: Any) -> str:
    found = re.search(r'id="receipt-code"[^>]*>([A-Z0-9-]+)<', response.content.decode())
    assert found, "the page shows no receipt code"
    return found.group(1)


def no_store(response: Any) -> bool:
    return "no-store" in response.get("Cache-Control", "")


# --- the form -------------------------------------------------------------------------------
def test_the_form_offers_places_types_and_a_prepared_challenge(
    client: Client, receiver: Organisation, places: Gazetteer
) -> None:
    response = client.get(REPORT, HTTP_ACCEPT_ENCODING="gzip")
    html = response.content.decode()
    assert response.status_code == 200
    assert no_store(response) and "public" not in response["Cache-Control"]
    assert "Content-Encoding" not in response  # never compressed
    assert not response.cookies  # no CSRF cookie, no session: nothing marks the visitor
    signing.loads(challenge_of(html), salt=report_guard.WORK_SALT)
    assert f'data-work-bits="{BITS}"' in html
    assert '<script src="/static/public/report.js' in html
    assert "<noscript>" in html
    # districts with their towns; neighbourhoods and the city are not offered
    for place in (places.north, places.south, places.hilltown, places.seatown):
        assert f'value="{place.pk}"' in html
    assert f'value="{places.orchard.pk}"' not in html and f'value="{places.city.pk}"' not in html
    for kind in IncidentType.objects.filter(active=True):
        assert f'value="{kind.code}"' in html
    # the honeypot: out of sight, out of the tab order, not filled in by the browser
    trap = re.search(r'<div class="report-trap" aria-hidden="true">.*?</div>', html, re.S)
    assert trap and 'tabindex="-1"' in trap.group(0) and 'autocomplete="off"' in trap.group(0)
    assert "never shown with your name" in html  # what happens next
    assert "Leave this empty to stay anonymous" in html


def test_an_inactive_type_is_not_offered(client: Client, receiver: Organisation) -> None:
    IncidentType.objects.filter(code="arson").update(active=False)
    assert 'value="arson"' not in page(client)


def test_the_form_in_urdu_is_right_to_left_with_urdu_place_names(
    client: Client, receiver: Organisation, places: Gazetteer
) -> None:
    client.cookies["django_language"] = "ur"
    html = page(client)
    assert '<html lang="ur" dir="rtl">' in html
    assert places.hilltown.name_ur in html and places.hilltown.name not in html


def test_the_navigation_links_to_the_form_in_both_languages(client: Client) -> None:
    assert 'href="/public/report/"' in page(client, "/public/")
    client.cookies["django_language"] = "ur"
    assert 'href="/public/report/"' in page(client, "/public/")


def test_the_policy_allows_the_script_and_the_pages_have_no_inline_script(
    client: Client, receiver: Organisation
) -> None:
    response = client.get(REPORT)
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    scripts = re.findall(r"<script[^>]*>", response.content.decode())
    assert scripts and all("src=" in tag for tag in scripts)


@pytest.mark.parametrize("who", ["anonymous", "documenter", "outsider"])
def test_anybody_may_open_both_forms(
    client: Client,
    signed_in: Callable[[User], Client],
    documenter: User,
    outsider: User,
    receiver: Organisation,
    who: str,
) -> None:
    """Public pages: the same answer for everybody, signed in or not (the permission matrix
    leaves the public namespace out, as it does every public page)."""
    visitor = (
        client if who == "anonymous" else signed_in(documenter if who == "documenter" else outsider)
    )
    for url in (REPORT, ADD):
        response = visitor.get(url)
        assert response.status_code == 200 and no_store(response)
    assert visitor.put(REPORT).status_code == 405


# --- a report received ------------------------------------------------------------------------
def test_a_report_is_stored_as_a_new_public_intake_item_with_a_receipt(
    client: Client, receiver: Organisation, places: Gazetteer
) -> None:
    response = send(client, answers(places))
    assert response.status_code == 200
    assert no_store(response) and "Content-Encoding" not in response
    assert not response.cookies
    code = receipt_of(response)
    assert re.fullmatch(r"[A-Z0-9]{4}(-[A-Z0-9]{4}){3}", code)
    assert 'href="/public/report/add/"' in response.content.decode()
    item = IntakeItem.objects.get()
    assert item.organisation == receiver
    assert item.source == IntakeItem.Source.PUBLIC and item.status == IntakeItem.Status.NEW
    assert json.loads(item.payload) == {
        "what": "Two men on a motorbike fired at a tailor's shop.\nNobody was hurt.",
        "when": "2024-05-02",
        "place": places.hilltown.code,
        "where": "Near the mosque on the main road",
        "types": ["arson", "targeted-killing"],
        "contact": "",
    }
    assert code not in item.receipt_key and item.receipt_key  # only its keyed hash is kept


def test_the_form_carries_no_csrf_token_and_needs_none(receiver: Organisation) -> None:
    """No cookie marks the reporter; the signed single-use challenge is what a post carries."""
    strict = Client(enforce_csrf_checks=True)
    assert "csrfmiddlewaretoken" not in page(strict)
    assert send(strict, {"what": "Shots fired."}).status_code == 200
    assert send(strict, {"receipt": "AAAA-BBBB-CCCC-DDDD", "what": "x"}, ADD).status_code == 422
    assert IntakeItem.objects.count() == 1


def test_only_the_text_is_needed(client: Client, receiver: Organisation) -> None:
    response = send(client, {"what": "Shots fired at night."})
    assert response.status_code == 200
    assert json.loads(IntakeItem.objects.get().payload)["what"] == "Shots fired at night."


def test_no_address_is_kept_with_the_report(
    client: Client, receiver: Organisation, places: Gazetteer
) -> None:
    send(client, answers(places), REMOTE_ADDR="203.0.113.77")
    item = IntakeItem.objects.get()
    event = AuditEvent.objects.get(action="intake.public.received", object_id=str(item.pk))
    assert event.ip is None and event.actor is None
    # nor in the cache (which may be the database): its keys hold a keyed hash, never the address
    assert type(caches["default"]).__name__ == "DatabaseCache", "the settings' cache"
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM madad_cache")
        keys = [row[0] for row in cursor.fetchall()]
    assert any("public:report:address:" in key for key in keys)
    assert any("public:rate:" in key for key in keys)
    assert not [key for key in keys if "203.0.113.77" in key]


def test_more_information_is_added_with_the_receipt_code(
    client: Client, receiver: Organisation, places: Gazetteer
) -> None:
    code = receipt_of(send(client, answers(places)))
    original = IntakeItem.objects.get()
    typed = code.lower().replace("-", " ")  # as somebody might type it
    response = send(client, {"receipt": typed, "what": "The shop was burnt the next day."}, ADD)
    assert response.status_code == 200 and no_store(response)
    assert "was added to your report" in response.content.decode()
    added = IntakeItem.objects.exclude(pk=original.pk).get()
    assert added.follows == original and added.source == IntakeItem.Source.PUBLIC
    assert added.status == IntakeItem.Status.NEW
    assert json.loads(added.payload) == {
        "what": "The shop was burnt the next day.",
        "adds_to_receipt": True,
    }


def test_a_wrong_receipt_code_is_refused_and_nothing_is_stored(
    client: Client, receiver: Organisation, places: Gazetteer
) -> None:
    send(client, answers(places))
    response = send(client, {"receipt": "AAAA-BBBB-CCCC-DDDD", "what": "More."}, ADD)
    assert response.status_code == 422 and no_store(response)
    assert "No report has this receipt code" in response.content.decode()
    assert IntakeItem.objects.count() == 1


def test_adding_needs_the_text(client: Client, receiver: Organisation, places: Gazetteer) -> None:
    code = receipt_of(send(client, answers(places)))
    response = send(client, {"receipt": code, "what": "  "}, ADD)
    assert response.status_code == 422
    assert "This field is required." in response.content.decode()
    assert IntakeItem.objects.count() == 1


def test_without_a_receiving_organisation_the_form_says_so(
    client: Client, receiver: Organisation, other_relief_org: Organisation
) -> None:
    response = send(client, {"what": "Shots fired."})
    assert response.status_code == 409
    assert "Reports cannot be received here at the moment." in response.content.decode()
    assert not IntakeItem.objects.exists()


# --- wrong answers ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"what": ""}, "what", "This field is required."),
        ({"what": "x" * 5001}, "what", "Enter at most 5000 characters."),
        ({"when": "tomorrow"}, "when", "Enter the date as YYYY-MM-DD."),
        ({"when": "future"}, "when", "The date cannot be in the future."),
        ({"place": "999999"}, "place", "Choose a district or town from the list."),
        ({"place": "city"}, "place", "Choose a district or town from the list."),
        ({"types": ["no-such-type"]}, "types", "Choose what happened from the list."),
        ({"where": "y" * 301}, "where", "Enter at most 300 characters."),
    ],
)
def test_wrong_answers_are_shown_and_nothing_is_stored(
    client: Client,
    receiver: Organisation,
    places: Gazetteer,
    change: dict[str, Any],
    field: str,
    message: str,
) -> None:
    data = answers(places) | change
    if data["when"] == "future":
        data["when"] = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    if data["place"] == "city":
        data["place"] = str(places.city.pk)
    response = send(client, data)
    html = response.content.decode()
    assert response.status_code == 422 and no_store(response)
    assert re.search(
        rf'id="id_{field}_error"|<fieldset class="field choice-list report-types has-errors', html
    )
    assert message in html
    assert not IntakeItem.objects.exists()
    # the answers are kept for correcting, with a fresh challenge to send them again
    assert "tailor" in html or field == "what"
    signing.loads(challenge_of(html), salt=report_guard.WORK_SALT)


def test_a_body_over_64_kilobytes_is_refused(client: Client, receiver: Organisation) -> None:
    challenge = challenge_of(page(client))
    body = {"challenge": challenge, "work": solve(challenge), "what": "x" * 70_000}
    response = client.post(REPORT, body)
    assert response.status_code == 413 and no_store(response)
    assert not IntakeItem.objects.exists()


# --- honeypot and proof of work -------------------------------------------------------------
def test_a_filled_honeypot_gets_a_generic_error_and_nothing_is_stored(
    client: Client, receiver: Organisation, places: Gazetteer
) -> None:
    response = send(client, answers(places) | {"website": "http://spam.example"})
    html = response.content.decode()
    assert response.status_code == 400 and no_store(response)
    assert "The report could not be sent. Please try again." in html
    assert "spam.example" not in html  # the trap comes back empty
    assert not IntakeItem.objects.exists()


def test_a_post_without_work_says_the_form_needs_javascript(
    client: Client, receiver: Organisation, places: Gazetteer
) -> None:
    response = send(client, answers(places), work="")
    assert response.status_code == 400
    assert "which needs JavaScript" in response.content.decode()
    assert not IntakeItem.objects.exists()


def test_a_post_without_a_challenge_is_refused(
    client: Client, receiver: Organisation, places: Gazetteer
) -> None:
    response = client.post(REPORT, answers(places) | {"work": "1"})
    assert response.status_code == 400
    assert "The form could not be checked." in response.content.decode()
    assert not IntakeItem.objects.exists()


def test_a_changed_challenge_is_refused(
    client: Client, receiver: Organisation, places: Gazetteer
) -> None:
    challenge = challenge_of(page(client))
    forged = signing.dumps("my own nonce", salt="another salt")  # signed, but not for this
    for wrong in (challenge[:-2] + ("AA" if not challenge.endswith("AA") else "BB"), forged):
        body = answers(places) | {"challenge": wrong, "work": solve(wrong)}
        response = client.post(REPORT, body)
        assert response.status_code == 400
        assert "The form could not be checked." in response.content.decode()
    assert not IntakeItem.objects.exists()


def test_work_with_too_few_zero_bits_is_refused(
    client: Client, receiver: Organisation, places: Gazetteer
) -> None:
    challenge = challenge_of(page(client))
    response = client.post(
        REPORT, answers(places) | {"challenge": challenge, "work": not_enough(challenge)}
    )
    assert response.status_code == 400
    assert "The form could not be checked." in response.content.decode()
    assert not IntakeItem.objects.exists()
    # the challenge was not used up by the failure: done right, it still goes through
    response = client.post(
        REPORT, answers(places) | {"challenge": challenge, "work": solve(challenge)}
    )
    assert response.status_code == 200 and IntakeItem.objects.count() == 1


def test_more_work_is_asked_when_the_setting_says_so(
    client: Client, receiver: Organisation, places: Gazetteer, settings: Settings
) -> None:
    settings.MADAD_PUBLIC_REPORT_WORK_BITS = 12
    challenge = challenge_of(page(client))
    assert 'data-work-bits="12"' in page(client)
    counter = 0  # enough for 8 bits, not for 12
    while (
        not 8
        <= report_guard.leading_zero_bits(report_guard.work_digest(challenge, str(counter)))
        < 12
    ):
        counter += 1
    response = client.post(REPORT, answers(places) | {"challenge": challenge, "work": str(counter)})
    assert response.status_code == 400 and not IntakeItem.objects.exists()
    response = client.post(
        REPORT, answers(places) | {"challenge": challenge, "work": solve(challenge, 12)}
    )
    assert response.status_code == 200 and IntakeItem.objects.count() == 1


def test_a_challenge_is_good_once(
    client: Client, receiver: Organisation, places: Gazetteer
) -> None:
    challenge = challenge_of(page(client))
    body = answers(places) | {"challenge": challenge, "work": solve(challenge)}
    assert client.post(REPORT, body).status_code == 200
    again = client.post(REPORT, body)  # e.g. the receipt page reloaded
    html = again.content.decode()
    assert again.status_code == 400 and "This form was already sent once." in html
    assert IntakeItem.objects.count() == 1
    assert challenge_of(html) != challenge  # a fresh one to send it anyway


def test_a_challenge_older_than_two_hours_is_refused(
    client: Client, receiver: Organisation, places: Gazetteer, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() - 2 * 60 * 60 - 5)  # signing's clock
    old = report_guard.new_challenge()
    monkeypatch.setattr(time, "time", real)
    response = client.post(REPORT, answers(places) | {"challenge": old, "work": solve(old)})
    assert response.status_code == 400
    assert "open for more than two hours" in response.content.decode()
    assert not IntakeItem.objects.exists()
    # an hour and a half is still good
    monkeypatch.setattr(time, "time", lambda: real() - 90 * 60)
    recent = report_guard.new_challenge()
    monkeypatch.setattr(time, "time", real)
    response = client.post(REPORT, answers(places) | {"challenge": recent, "work": solve(recent)})
    assert response.status_code == 200 and IntakeItem.objects.count() == 1


def test_the_add_form_has_the_same_protection(
    client: Client, receiver: Organisation, places: Gazetteer
) -> None:
    code = receipt_of(send(client, answers(places)))
    html = page(client, ADD)
    assert 'class="report-trap" aria-hidden="true"' in html and 'data-work-bits="8"' in html
    trapped = send(client, {"receipt": code, "what": "More.", "website": "x"}, ADD)
    lazy = send(client, {"receipt": code, "what": "More."}, ADD, work="")
    assert trapped.status_code == lazy.status_code == 400
    assert IntakeItem.objects.count() == 1


# --- limits per hour -------------------------------------------------------------------------
def test_one_address_may_send_so_many_reports_an_hour(
    client: Client, receiver: Organisation, settings: Settings
) -> None:
    settings.MADAD_PUBLIC_REPORTS_PER_ADDRESS = 2
    here = {"REMOTE_ADDR": "198.51.100.7"}
    for n in range(2):
        assert send(client, {"what": f"Report {n}"}, **here).status_code == 200
    refused = send(client, {"what": "Report 3"}, **here)
    assert refused.status_code == 429 and no_store(refused)
    assert 0 < int(refused["Retry-After"]) <= 3600
    assert "Too many reports" in refused.content.decode()
    assert IntakeItem.objects.count() == 2
    # another address is not held back
    assert send(client, {"what": "From elsewhere"}, REMOTE_ADDR="198.51.100.8").status_code == 200
    assert IntakeItem.objects.count() == 3


def test_wrong_receipt_codes_count_against_the_address(
    client: Client, receiver: Organisation, settings: Settings
) -> None:
    settings.MADAD_PUBLIC_REPORTS_PER_ADDRESS = 2
    for _n in range(2):
        assert send(client, {"receipt": "AAAA-BBBB-CCCC-DDDD", "what": "x"}, ADD).status_code == 422
    assert send(client, {"receipt": "AAAA-BBBB-CCCC-EEEE", "what": "x"}, ADD).status_code == 429


def test_all_addresses_together_may_send_so_many_reports_an_hour(
    client: Client, receiver: Organisation, settings: Settings
) -> None:
    settings.MADAD_PUBLIC_REPORTS_PER_HOUR = 2
    for n in range(2):
        response = send(client, {"what": f"Report {n}"}, REMOTE_ADDR=f"198.51.100.{n + 1}")
        assert response.status_code == 200
    refused = send(client, {"what": "Report 3"}, REMOTE_ADDR="198.51.100.99")
    assert refused.status_code == 429
    assert IntakeItem.objects.count() == 2


# --- findings of the review (each failed before its fix) -------------------------------------
def test_ipv6_addresses_of_one_network_share_a_limit(
    client: Client, receiver: Organisation, settings: Settings
) -> None:
    settings.MADAD_PUBLIC_REPORTS_PER_ADDRESS = 2
    for n in range(2):
        response = send(client, {"what": f"Report {n}"}, REMOTE_ADDR=f"2001:db8::{n + 1}")
        assert response.status_code == 200
    refused = send(client, {"what": "Report 3"}, REMOTE_ADDR="2001:db8::99")
    assert refused.status_code == 429
    assert send(client, {"what": "Other net"}, REMOTE_ADDR="2001:db8:1::1").status_code == 200
    assert IntakeItem.objects.count() == 3


def test_a_flood_of_cache_entries_does_not_wipe_the_limits(
    client: Client, receiver: Organisation, settings: Settings
) -> None:
    from django.core.cache import cache

    settings.MADAD_PUBLIC_REPORTS_PER_ADDRESS = 1
    here = {"REMOTE_ADDR": "198.51.100.40"}
    assert send(client, {"what": "First"}, **here).status_code == 200
    # what spent challenges and other limits add: Django's default kept only 300 entries
    for n in range(400):
        cache.set(f"public:report:work:flood{n}", 1, 3600)
    assert send(client, {"what": "Second"}, **here).status_code == 429
    assert IntakeItem.objects.count() == 1


def test_a_post_is_counted_before_it_is_acted_on(
    client: Client, receiver: Organisation, settings: Settings
) -> None:
    from madad.public import report_guard

    settings.MADAD_PUBLIC_REPORTS_PER_ADDRESS = 1
    request = type("R", (), {"META": {"REMOTE_ADDR": "198.51.100.41"}})()
    # a post already being handled holds its place: a second one sent at once is refused
    assert report_guard.take_slot(request)
    refused = send(client, {"what": "At the same time"}, REMOTE_ADDR="198.51.100.41")
    assert refused.status_code == 429
    # and a post refused for its answers gives its place back
    report_guard.give_back(request)
    assert send(client, {"what": ""}, REMOTE_ADDR="198.51.100.41").status_code == 422
    assert send(client, {"what": "Now"}, REMOTE_ADDR="198.51.100.41").status_code == 200
