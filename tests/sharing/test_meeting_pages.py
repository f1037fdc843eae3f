"""Meeting requests through the pages: a grantee asks from a granted incident's page, the
family's caseworker sees the request and records the family's answer (a meeting needs a time
and a place), other staff find nothing, and the grantee then reads the time and place, never
contact details."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape

from madad.accounts.models import User
from madad.accounts.roles import Role
from madad.sharing import services
from madad.sharing.models import Grant, GrantedRecord, MeetingRequest
from tests.sharing.conftest import World

pytestmark = pytest.mark.django_db

SignIn = Callable[[User], Client]
MakeGrant = Callable[..., Grant]
MESSAGE = "Two members of the delegation would like to hear the family (test)."
PLACE = "The organisation's office, meeting room (test)"


def incident_of(grant: Grant) -> GrantedRecord:
    return grant.records.get(kind="incident")


def ask_url(granted: GrantedRecord) -> str:
    return reverse("shared:meeting_request", args=[granted.pk])


def asked(world: World, grant: Grant) -> MeetingRequest:
    return services.meeting_request(
        granted=incident_of(grant), user=world.delegate, message=MESSAGE
    )


def in_three_days() -> str:
    return (timezone.localtime() + dt.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")


def answer(meeting: MeetingRequest, **data: str) -> dict[str, str]:
    return {"version": str(meeting.version), **data}


# --- Asking ---------------------------------------------------------------------------------
def test_the_grantee_asks_to_meet_the_family_of_a_granted_incident(
    world: World, make_grant: MakeGrant, signed_in: SignIn
) -> None:
    granted = incident_of(make_grant())
    response = signed_in(world.delegate).post(ask_url(granted), {"message": MESSAGE})
    assert response.status_code == 302
    assert response["Location"] == reverse("shared:record", args=[granted.pk])
    meeting = MeetingRequest.objects.get(granted_record=granted)
    assert meeting.requested_by == world.delegate
    assert meeting.message == MESSAGE
    assert meeting.status == MeetingRequest.Status.ASKED
    page = signed_in(world.delegate).get(response["Location"])
    assert page.status_code == 200
    assert "caseworker will ask the family" in page.content.decode()
    assert "Waiting for the family" in page.content.decode()


def test_an_empty_message_is_refused_and_nothing_is_saved(
    world: World, make_grant: MakeGrant, signed_in: SignIn
) -> None:
    granted = incident_of(make_grant())
    response = signed_in(world.delegate).post(ask_url(granted), {"message": "  "})
    assert response.status_code == 422
    assert response.context["ask_form"].errors["message"]
    assert not MeetingRequest.objects.exists()


def test_a_second_request_while_one_waits_is_a_conflict(
    world: World, make_grant: MakeGrant, signed_in: SignIn
) -> None:
    grant = make_grant()
    asked(world, grant)
    response = signed_in(world.delegate).post(ask_url(incident_of(grant)), {"message": MESSAGE})
    assert response.status_code == 409
    assert "already waiting" in response.content.decode()
    assert MeetingRequest.objects.count() == 1


def test_a_meeting_is_asked_about_an_incident_only(
    world: World, make_grant: MakeGrant, signed_in: SignIn
) -> None:
    testimony = make_grant().records.get(kind="testimony")
    response = signed_in(world.delegate).post(ask_url(testimony), {"message": MESSAGE})
    assert response.status_code == 422
    assert not MeetingRequest.objects.exists()


def test_asking_through_a_revoked_grant_answers_404(
    world: World, make_grant: MakeGrant, signed_in: SignIn
) -> None:
    grant = make_grant()
    services.grant_revoke(grant=grant, actor=world.coordinator, reason="Visit cancelled")
    response = signed_in(world.delegate).post(ask_url(incident_of(grant)), {"message": MESSAGE})
    assert response.status_code == 404
    assert not MeetingRequest.objects.exists()


def test_staff_cannot_ask_and_anonymous_visitors_are_sent_to_sign_in(
    world: World, make_grant: MakeGrant, signed_in: SignIn, client: Client
) -> None:
    granted = incident_of(make_grant())
    anonymous = client.post(ask_url(granted), {"message": MESSAGE})
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("account_login"))
    assert (
        signed_in(world.coordinator).post(ask_url(granted), {"message": MESSAGE}).status_code == 403
    )
    assert not MeetingRequest.objects.exists()


# --- Answering ------------------------------------------------------------------------------
def test_the_familys_caseworker_sees_the_request_waiting_first(
    world: World, make_grant: MakeGrant, signed_in: SignIn
) -> None:
    grant = make_grant()
    meeting = asked(world, grant)
    client = signed_in(world.caseworker)
    listing = client.get(reverse("sharing:meetings"))
    assert listing.status_code == 200
    assert list(listing.context["page"].object_list) == [meeting]
    detail = client.get(reverse("sharing:meeting", args=[meeting.pk]))
    assert detail.status_code == 200
    page = detail.content.decode()
    assert MESSAGE in page
    assert world.delegation.name in page
    assert reverse("incidents:detail", args=[world.incident.pk]) in page
    assert detail.context["form"] is not None


def test_arranging_needs_a_time_and_a_place(
    world: World, make_grant: MakeGrant, signed_in: SignIn
) -> None:
    meeting = asked(world, make_grant())
    url = reverse("sharing:meeting_answer", args=[meeting.pk])
    client = signed_in(world.caseworker)
    response = client.post(url, answer(meeting, family_agrees="yes"))
    assert response.status_code == 422
    assert response.context["form"].errors["meeting_at"]
    assert response.context["form"].errors["meeting_place"]
    meeting.refresh_from_db()
    assert meeting.status == MeetingRequest.Status.ASKED
    response = client.post(url, answer(meeting))
    assert response.status_code == 422
    meeting.refresh_from_db()
    assert meeting.status == MeetingRequest.Status.ASKED


def test_the_caseworker_arranges_it_and_the_grantee_sees_time_and_place(
    world: World, make_grant: MakeGrant, signed_in: SignIn
) -> None:
    grant = make_grant()
    meeting = asked(world, grant)
    response = signed_in(world.caseworker).post(
        reverse("sharing:meeting_answer", args=[meeting.pk]),
        answer(meeting, family_agrees="yes", meeting_at=in_three_days(), meeting_place=PLACE),
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("sharing:meeting", args=[meeting.pk])
    meeting.refresh_from_db()
    assert meeting.status == MeetingRequest.Status.ARRANGED
    assert meeting.answered_by == world.caseworker
    assert meeting.meeting_place == PLACE
    page = signed_in(world.delegate).get(reverse("shared:record", args=[incident_of(grant).pk]))
    assert page.status_code == 200
    content = page.content.decode()
    assert "Meeting arranged" in content
    assert escape(PLACE) in content
    assert date_format(timezone.localtime(meeting.meeting_at), "SHORT_DATETIME_FORMAT") in content
    for secret in ("Zarina", "Testwali", "0399-1234567", "House 7"):
        assert secret not in content


def test_the_family_declines(world: World, make_grant: MakeGrant, signed_in: SignIn) -> None:
    meeting = asked(world, make_grant())
    response = signed_in(world.caseworker).post(
        reverse("sharing:meeting_answer", args=[meeting.pk]), answer(meeting, family_agrees="no")
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingRequest.Status.DECLINED
    assert meeting.meeting_at is None


def test_an_answer_on_a_stale_version_is_a_conflict_and_saves_nothing(
    world: World, make_grant: MakeGrant, signed_in: SignIn
) -> None:
    meeting = asked(world, make_grant())
    response = signed_in(world.caseworker).post(
        reverse("sharing:meeting_answer", args=[meeting.pk]),
        {"version": str(meeting.version + 5), "family_agrees": "no"},
    )
    assert response.status_code == 409
    meeting.refresh_from_db()
    assert meeting.status == MeetingRequest.Status.ASKED


def test_the_grants_coordinator_sees_the_request_too(
    world: World, make_grant: MakeGrant, signed_in: SignIn
) -> None:
    meeting = asked(world, make_grant())
    client = signed_in(world.coordinator)
    assert client.get(reverse("sharing:meetings")).status_code == 200
    assert client.get(reverse("sharing:meeting", args=[meeting.pk])).status_code == 200


# --- Others ---------------------------------------------------------------------------------
def test_another_caseworker_finds_nothing(
    world: World, make_grant: MakeGrant, signed_in: SignIn, make_user: Callable[..., User]
) -> None:
    meeting = asked(world, make_grant())
    client = signed_in(make_user(Role.CASEWORKER))
    listing = client.get(reverse("sharing:meetings"))
    assert listing.status_code == 200
    assert list(listing.context["page"].object_list) == []
    assert client.get(reverse("sharing:meeting", args=[meeting.pk])).status_code == 404
    response = client.post(
        reverse("sharing:meeting_answer", args=[meeting.pk]), answer(meeting, family_agrees="no")
    )
    assert response.status_code == 404
    meeting.refresh_from_db()
    assert meeting.status == MeetingRequest.Status.ASKED


def test_an_outsider_finds_nothing(
    world: World, make_grant: MakeGrant, signed_in: SignIn, outsider: User
) -> None:
    meeting = asked(world, make_grant())
    client = signed_in(outsider)
    assert list(client.get(reverse("sharing:meetings")).context["page"].object_list) == []
    assert client.get(reverse("sharing:meeting", args=[meeting.pk])).status_code == 404
    response = client.post(
        reverse("sharing:meeting_answer", args=[meeting.pk]), answer(meeting, family_agrees="no")
    )
    assert response.status_code == 404


def test_roles_that_cannot_see_meeting_requests_are_refused(
    world: World, make_grant: MakeGrant, signed_in: SignIn, client: Client
) -> None:
    meeting = asked(world, make_grant())
    # the documenter does not see the request (404: it does not exist for them); the grantee
    # sees their own request, on their own pages, not on the staff's (403)
    for user, status in ((world.documenter, 404), (world.delegate, 403)):
        other = signed_in(user)
        assert other.get(reverse("sharing:meetings")).status_code == 403
        assert other.get(reverse("sharing:meeting", args=[meeting.pk])).status_code == status
        answered = other.post(
            reverse("sharing:meeting_answer", args=[meeting.pk]),
            answer(meeting, family_agrees="no"),
        )
        assert answered.status_code == status
        other.logout()
    anonymous = client.get(reverse("sharing:meetings"))
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("account_login"))
    meeting.refresh_from_db()
    assert meeting.status == MeetingRequest.Status.ASKED


def test_the_menu_offers_meeting_requests_to_caseworkers_and_coordinators(
    world: World, signed_in: SignIn
) -> None:
    url = reverse("sharing:meetings")
    assert url in signed_in(world.caseworker).get("/").content.decode()
    assert url in signed_in(world.coordinator).get("/").content.decode()
    assert url not in signed_in(world.documenter).get("/").content.decode()
    assert url not in signed_in(world.delegate).get("/").content.decode()
