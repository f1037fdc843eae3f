"""The place pages, asked by administrators (place.edit, two of them for a change), colleagues
with other roles, another organisation's documenter and a partner organisation's user, who may
all look places up but not change them."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from madad.accounts.models import Organisation, User
from madad.accounts.roles import Role
from madad.core.models import AuditEvent
from madad.places import services
from madad.places.models import Place, PlaceChange

pytestmark = pytest.mark.django_db

SignedIn = Callable[[User], Client]
HTMX = {"HX-Request": "true"}


def _edit(place: Place) -> str:
    return f"/places/{place.pk}/edit/"


def _approve(change: PlaceChange) -> str:
    return f"/places/changes/{change.pk}/approve/"


@pytest.fixture
def outsiders_documenter(make_user: Callable[..., User], other_relief_org: Organisation) -> User:
    return make_user(Role.DOCUMENTER, organisation=other_relief_org)


@pytest.mark.parametrize("who", ["documenter", "caseworker", "partner_user"])
def test_every_staff_user_may_search_the_gazetteer(
    signed_in: SignedIn, who: str, request: pytest.FixtureRequest, nazimabad: Place
) -> None:
    response = signed_in(request.getfixturevalue(who)).get("/places/?q=ناظم")
    assert response.status_code == 200
    assert f'href="/places/{nazimabad.pk}/"' in response.content.decode()


def test_the_search_answers_htmx_with_the_rows_only(
    signed_in: SignedIn, caseworker: User, nazimabad: Place
) -> None:
    html = signed_in(caseworker).get("/places/?q=nazim", headers=HTMX).content.decode()
    assert f'href="/places/{nazimabad.pk}/"' in html and "<html" not in html


def test_somebody_signed_out_is_sent_to_sign_in(client: Client) -> None:
    response = client.get("/places/?q=Karachi")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_autocomplete_offers_radio_buttons_named_for_the_field(
    signed_in: SignedIn, partner_user: User, nazimabad: Place
) -> None:
    html = (
        signed_in(partner_user)
        .get("/places/autocomplete/?q=nazimabad&field=place")
        .content.decode()
    )
    assert f'name="place" value="{nazimabad.pk}"' in html


def test_autocomplete_reads_the_pickers_own_input(
    signed_in: SignedIn, caseworker: User, nazimabad: Place
) -> None:
    html = (
        signed_in(caseworker)
        .get("/places/autocomplete/?field=town&town_q=Liaquatabad")
        .content.decode()
    )
    assert f'name="town" value="{nazimabad.parent_id}"' in html


def test_autocomplete_refuses_a_field_name_that_could_break_the_page(
    signed_in: SignedIn, caseworker: User
) -> None:
    html = (
        signed_in(caseworker)
        .get('/places/autocomplete/?q=Karachi&field="><script>')
        .content.decode()
    )
    assert 'name="place"' in html and "<script>" not in html


def test_autocomplete_with_nothing_typed_offers_nothing(
    signed_in: SignedIn, caseworker: User
) -> None:
    html = signed_in(caseworker).get("/places/autocomplete/?q=").content.decode()
    assert "radio" not in html


def test_the_detail_page_shows_the_places_above_and_within(
    signed_in: SignedIn, partner_user: User
) -> None:
    town = Place.objects.get(code="khi.central.liaquatabad")
    html = signed_in(partner_user).get(f"/places/{town.pk}/").content.decode()
    assert "Karachi Central" in html and "Nazimabad" in html and "ناظم آباد" in html
    assert _edit(town) not in html


def test_an_unknown_place_is_404(signed_in: SignedIn, caseworker: User) -> None:
    assert signed_in(caseworker).get("/places/999999/").status_code == 404


RENAME = {
    "name": "Nazimabad Block 2",
    "name_ur": "ناظم آباد بلاک ۲",
    "latitude": "24.9125",
    "longitude": "67.0301",
    "version": "1",
}


def test_an_administrators_change_waits_for_a_second_administrator(
    client: Client,
    signed_in: SignedIn,
    administrator: User,
    second_administrator: User,
    nazimabad: Place,
) -> None:
    proposer = signed_in(administrator)
    assert (
        f'name="version" value="{nazimabad.version}"'
        in proposer.get(_edit(nazimabad)).content.decode()
    )
    assert proposer.post(_edit(nazimabad), RENAME).status_code == 302
    nazimabad.refresh_from_db()
    assert (nazimabad.name, nazimabad.version) == ("Nazimabad", 1)  # not yet
    change = PlaceChange.objects.get(place=nazimabad)
    assert change.fields == ["latitude", "longitude", "name", "name_ur"]
    # the proposer sees it waiting and cannot approve it
    page = proposer.get("/places/").content.decode()
    assert "Nazimabad Block 2" in page and _approve(change) not in page
    response = proposer.post(_approve(change))
    assert response.status_code == 403
    nazimabad.refresh_from_db()
    assert nazimabad.name == "Nazimabad"
    # a second administrator approves: the place changes and is found by its new name
    client.logout()
    approver = signed_in(second_administrator)
    assert _approve(change) in approver.get("/places/").content.decode()
    assert approver.post(_approve(change)).status_code == 302
    nazimabad.refresh_from_db()
    assert (nazimabad.name, nazimabad.version) == ("Nazimabad Block 2", 2)
    assert str(nazimabad.latitude) == "24.91250"
    assert [
        e.action for e in AuditEvent.objects.filter(action__startswith="place.").order_by("id")
    ] == [
        "place.change.proposed",
        "place.change.approved",
        "place.updated",
    ]
    assert AuditEvent.objects.get(action="place.updated").fields == change.fields
    assert f'href="/places/{nazimabad.pk}/"' in approver.get("/places/?q=block").content.decode()
    assert approver.post(_approve(change)).status_code == 409  # decided once


def test_a_rejected_change_changes_nothing(
    client: Client,
    signed_in: SignedIn,
    administrator: User,
    second_administrator: User,
    nazimabad: Place,
) -> None:
    signed_in(administrator).post(_edit(nazimabad), RENAME)
    change = PlaceChange.objects.get(place=nazimabad)
    client.logout()
    response = signed_in(second_administrator).post(f"/places/changes/{change.pk}/reject/")
    assert response.status_code == 302
    nazimabad.refresh_from_db()
    change.refresh_from_db()
    assert (nazimabad.name, change.status) == ("Nazimabad", PlaceChange.Status.REJECTED)
    assert AuditEvent.objects.filter(action="place.change.rejected").count() == 1


def test_a_second_pending_change_of_a_place_is_refused(
    signed_in: SignedIn, administrator: User, nazimabad: Place
) -> None:
    client = signed_in(administrator)
    client.post(_edit(nazimabad), RENAME)
    response = client.post(_edit(nazimabad), {**RENAME, "name": "Nazimabad Block 3"})
    assert response.status_code == 409
    assert "already waiting for approval" in response.content.decode()
    assert PlaceChange.objects.filter(place=nazimabad).count() == 1


def test_a_stale_edit_is_refused(
    signed_in: SignedIn, administrator: User, nazimabad: Place
) -> None:
    Place.objects.filter(pk=nazimabad.pk).update(version=2)
    response = signed_in(administrator).post(
        _edit(nazimabad),
        {"name": "Renamed", "name_ur": "", "latitude": "24.9", "longitude": "67.0", "version": "1"},
    )
    assert response.status_code == 409
    assert "Somebody else changed this record" in response.content.decode()
    assert not PlaceChange.objects.exists()


def test_a_latitude_out_of_range_is_refused(
    signed_in: SignedIn, administrator: User, nazimabad: Place
) -> None:
    response = signed_in(administrator).post(
        _edit(nazimabad),
        {"name": "Nazimabad", "latitude": "124.9", "longitude": "67.0", "version": "1"},
    )
    assert response.status_code == 422
    assert not PlaceChange.objects.exists()


@pytest.mark.parametrize(
    "who", ["documenter", "outsiders_documenter", "caseworker", "partner_user"]
)
def test_a_user_without_place_edit_gets_403(
    signed_in: SignedIn, who: str, request: pytest.FixtureRequest, nazimabad: Place
) -> None:
    """The probe of issue 18: another organisation's documenter renamed a place of the shared
    gazetteer (302). Places are visible to all staff, so the answer is 403, not 404."""
    client = signed_in(request.getfixturevalue(who))
    assert client.get(_edit(nazimabad)).status_code == 403
    assert client.post(_edit(nazimabad), RENAME).status_code == 403
    nazimabad.refresh_from_db()
    assert nazimabad.name == "Nazimabad"
    assert not PlaceChange.objects.exists()
    assert _edit(nazimabad) not in client.get(f"/places/{nazimabad.pk}/").content.decode()


def test_pending_changes_exist_only_for_administrators(
    signed_in: SignedIn, administrator: User, documenter: User, nazimabad: Place
) -> None:
    change = services.place_change_propose(
        place=nazimabad,
        proposed_by=administrator,
        expected_version=1,
        name="Renamed",
        name_ur="",
        latitude="24.9",
        longitude="67.0",
    )
    client = signed_in(documenter)
    assert "Renamed" not in client.get("/places/").content.decode()
    assert client.post(_approve(change)).status_code == 404
    change.refresh_from_db()
    assert change.status == PlaceChange.Status.PENDING
