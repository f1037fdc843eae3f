"""The grantee's pages under /shared/, asked at every stage of a grant (before it starts, while
in force, after its end, after revocation, after the family withdraws consent) and by the
owner coordinator, a colleague with another role, an outsider and anonymous: what they answer,
what a record page shows and never shows, and that every read is audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from madad.accounts.models import User
from madad.accounts.roles import Role
from madad.core.models import AuditEvent
from madad.evidence.models import EvidenceFile
from madad.incidents.models import Incident
from madad.places.models import Place
from madad.sharing import services
from madad.sharing.grantee import pseudonym, pseudonyms
from madad.sharing.models import Grant, GrantedRecord
from tests.sharing.conftest import World, withdraw

pytestmark = pytest.mark.django_db

SignIn = Callable[[User], Client]
MakeGrant = Callable[..., Grant]
STAGES = ["before", "during", "expired", "revoked", "withdrawn"]


def grant_at(stage: str, world: World, make_grant: MakeGrant) -> Grant:
    """A grant to the world's delegate over her testimony and incident, at `stage`."""
    today = timezone.localdate()
    if stage == "before":
        return make_grant(
            valid_from=today + dt.timedelta(days=1), valid_until=today + dt.timedelta(days=5)
        )
    grant = make_grant()
    if stage == "expired":
        Grant.objects.filter(pk=grant.pk).update(
            valid_from=today - dt.timedelta(days=10), valid_until=today - dt.timedelta(days=1)
        )
    elif stage == "revoked":
        services.grant_revoke(grant=grant, actor=world.coordinator, reason="Visit cancelled")
    elif stage == "withdrawn":
        withdraw(world)
    return grant


def record_url(grant: Grant, kind: str) -> str:
    return reverse("shared:record", args=[grant.records.get(kind=kind).pk])


def views_audited(user: User) -> int:
    return AuditEvent.objects.filter(action="grant.record.viewed", actor=user).count()


# --- Every stage ------------------------------------------------------------------------------
@pytest.mark.parametrize("stage", STAGES)
def test_the_grantee_reads_the_grant_only_while_it_is_in_force(
    stage: str, world: World, make_grant: MakeGrant, signed_in: SignIn
) -> None:
    grant = grant_at(stage, world, make_grant)
    client = signed_in(world.delegate)
    listing = client.get(reverse("shared:list"))
    assert listing.status_code == 200
    grant_page = client.get(reverse("shared:grant", args=[grant.pk]))
    testimony = client.get(record_url(grant, "testimony"))
    incident = client.get(record_url(grant, "incident"))
    in_force = stage in ("during", "withdrawn")
    assert (reverse("shared:grant", args=[grant.pk]) in listing.content.decode()) is in_force
    if stage == "during":
        assert grant_page.status_code == 200
        assert testimony.status_code == 200
        assert incident.status_code == 200
    elif stage == "withdrawn":
        # the grant is still in force, but nothing of the family's may be shown any more
        assert grant_page.status_code == 200
        assert record_url(grant, "testimony") not in grant_page.content.decode()
        assert testimony.status_code == 404
        assert incident.status_code == 404
    else:
        assert grant_page.status_code == 404
        assert testimony.status_code == 404
        assert incident.status_code == 404


@pytest.mark.parametrize("stage", STAGES)
def test_a_reader_not_named_in_the_grant_finds_nothing_at_any_stage(
    stage: str, world: World, make_grant: MakeGrant, signed_in: SignIn
) -> None:
    grant = grant_at(stage, world, make_grant)
    client = signed_in(world.rights_reader)
    assert client.get(reverse("shared:list")).status_code == 200
    assert client.get(reverse("shared:grant", args=[grant.pk])).status_code == 404
    assert client.get(record_url(grant, "testimony")).status_code == 404
    assert client.get(record_url(grant, "incident")).status_code == 404


# --- Who ------------------------------------------------------------------------------------
@pytest.mark.parametrize("who", ["coordinator", "approver", "caseworker", "documenter"])
def test_the_owner_and_colleagues_are_refused_the_grantee_pages(
    who: str, world: World, make_grant: MakeGrant, signed_in: SignIn
) -> None:
    grant = make_grant()
    client = signed_in(getattr(world, who))
    assert client.get(reverse("shared:list")).status_code == 403
    # the coordinators who gave the grant see it (403: not theirs to read as a grantee);
    # colleagues who do not see it are told it does not exist
    seen = 403 if who in ("coordinator", "approver") else 404
    assert client.get(reverse("shared:grant", args=[grant.pk])).status_code == seen
    assert client.get(record_url(grant, "testimony")).status_code == seen
    assert client.get(record_url(grant, "incident")).status_code == seen


def test_an_outsider_is_refused_the_grantee_pages(
    world: World, make_grant: MakeGrant, signed_in: SignIn, outsider: User
) -> None:
    grant = make_grant()
    client = signed_in(outsider)
    assert client.get(reverse("shared:list")).status_code == 403
    assert client.get(reverse("shared:grant", args=[grant.pk])).status_code == 404
    assert client.get(record_url(grant, "incident")).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(
    world: World, make_grant: MakeGrant, client: Client
) -> None:
    grant = make_grant()
    for url in (
        reverse("shared:list"),
        reverse("shared:grant", args=[grant.pk]),
        record_url(grant, "testimony"),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_the_menu_offers_shared_with_you_to_grantees_only(world: World, signed_in: SignIn) -> None:
    assert reverse("shared:list") in signed_in(world.delegate).get("/").content.decode()
    assert reverse("shared:list") not in signed_in(world.coordinator).get("/").content.decode()


# --- What the pages show --------------------------------------------------------------------
def test_the_list_shows_who_shared_for_what_until_when_and_how_many_records(
    world: World, make_grant: MakeGrant, signed_in: SignIn
) -> None:
    make_grant()
    response = signed_in(world.delegate).get(reverse("shared:list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert world.org.name in page
    assert "Fact-finding visit on extortion of shopkeepers (test)" in page
    assert response.context["grants"][0][1] == 2


def test_the_grant_page_lists_its_records_by_kind_with_pseudonyms_and_audits_the_reads(
    world: World, make_grant: MakeGrant, signed_in: SignIn
) -> None:
    grant = make_grant()
    before = views_audited(world.delegate)
    response = signed_in(world.delegate).get(reverse("shared:grant", args=[grant.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert record_url(grant, "testimony") in page
    assert record_url(grant, "incident") in page
    assert "Person A" in page
    for secret in ("Zarina", "Testwali", "99999-1234567-2", "0399-1234567"):
        assert secret not in page
    # the list is one read of the grant, naming the fields shown; opening a record is another
    assert views_audited(world.delegate) == before
    listed = AuditEvent.objects.get(action="grant.records.listed", actor=world.delegate)
    assert listed.object_id == str(grant.pk)
    assert "testimony.date" in listed.fields and "incident.place" in listed.fields


def test_the_testimony_page_shows_the_transcript_and_the_givers_pseudonym_never_her_name(
    world: World, make_grant: MakeGrant, signed_in: SignIn
) -> None:
    grant = make_grant(share_transcripts=True)
    before = views_audited(world.delegate)
    response = signed_in(world.delegate).get(record_url(grant, "testimony"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "They came at night and set the shop alight (test transcript)." in page
    assert "Person A" in page
    for secret in ("Zarina", "Testwali", "99999-1234567-2", "0399-1234567", "House 7"):
        assert secret not in page
    assert views_audited(world.delegate) == before + 1
    event = AuditEvent.objects.filter(action="grant.record.viewed", actor=world.delegate).latest(
        "pk"
    )
    assert event.object_id == str(grant.records.get(kind="testimony").pk)


def test_without_share_transcripts_the_transcript_is_not_shown(
    world: World, make_grant: MakeGrant, signed_in: SignIn
) -> None:
    grant = make_grant(share_transcripts=False)
    response = signed_in(world.delegate).get(record_url(grant, "testimony"))
    assert response.status_code == 200
    assert "set the shop alight" not in response.content.decode()
    assert "transcript" not in response.context["shown"]


def test_the_incident_page_shows_its_town_never_its_neighbourhood_or_coordinates(
    world: World, make_grant: MakeGrant, signed_in: SignIn
) -> None:
    neighbourhood = Place.objects.filter(level=Place.Level.NEIGHBOURHOOD).first()
    assert neighbourhood is not None
    town = neighbourhood.ancestor(Place.Level.TOWN) or neighbourhood.ancestor(Place.Level.DISTRICT)
    assert town is not None
    assert neighbourhood.name not in town.name
    Incident.objects.filter(pk=world.incident.pk).update(
        place=neighbourhood, latitude=Decimal("24.91234"), longitude=Decimal("67.04321")
    )
    grant = make_grant()
    response = signed_in(world.delegate).get(record_url(grant, "incident"))
    assert response.status_code == 200
    page = response.content.decode()
    assert town.name in page
    assert neighbourhood.name not in page
    assert "24.91234" not in page
    assert "67.04321" not in page
    assert "A shop was burnt (test)." in page
    assert "Property destroyed: 1" in page
    assert "Person A" in page
    assert "Zarina" not in page
    assert "Shop set on fire (test)" not in page  # the incident's working title


def test_a_download_link_only_when_the_grant_allows_downloads(
    world: World, make_grant: MakeGrant, signed_in: SignIn
) -> None:
    allowed = make_grant(downloads_allowed=True)
    closed = make_grant(downloads_allowed=False)
    client = signed_in(world.delegate)
    for grant, shown in ((allowed, True), (closed, False)):
        for kind in ("testimony", "incident"):
            granted = grant.records.get(kind=kind)
            response = client.get(reverse("shared:record", args=[granted.pk]))
            assert response.status_code == 200
            link = reverse("shared:download", args=[granted.pk])
            assert (link in response.content.decode()) is shown


def test_evidence_other_than_images_and_pdfs_has_no_download_link(
    world: World, make_grant: MakeGrant, signed_in: SignIn
) -> None:
    def evidence(kind: str, content_type: str, name: str) -> EvidenceFile:
        return EvidenceFile.objects.create(
            organisation=world.org,
            incident=world.incident,
            testimony=world.testimony,
            kind=kind,
            content_type=content_type,
            size=2048,
            storage_name=name,
            sha256="0" * 64,
            uploaded_by=world.documenter,
        )

    photo = evidence("image", "image/jpeg", "test-photo")
    audio = evidence("audio", "audio/ogg", "test-audio")
    grant = make_grant(evidence=[photo, audio])
    client = signed_in(world.delegate)
    for file, shown in ((photo, True), (audio, False)):
        granted = grant.records.get(evidence=file)
        response = client.get(reverse("shared:record", args=[granted.pk]))
        assert response.status_code == 200
        link = reverse("shared:download", args=[granted.pk])
        assert (link in response.content.decode()) is shown


def test_pseudonyms_are_numbered_within_the_grant_in_a_stable_order(
    world: World, make_grant: MakeGrant
) -> None:
    grant = make_grant()
    assert pseudonyms(grant) == {world.victim.pk: "Person A"}
    assert [pseudonym(i) for i in (0, 1, 25, 26, 27)] == [
        "Person A",
        "Person B",
        "Person Z",
        "Person AA",
        "Person AB",
    ]
    assert set(GrantedRecord.objects.filter(grant=grant).values_list("kind", flat=True)) == {
        "testimony",
        "incident",
    }


def test_a_record_number_beyond_any_record_answers_404(
    world: World, signed_in: SignIn, make_user: Callable[..., User]
) -> None:
    client = signed_in(world.delegate)
    assert client.get(reverse("shared:record", args=[987654321])).status_code == 404
    assert client.get(reverse("shared:grant", args=[987654321])).status_code == 404
    partner = make_user(Role.PARTNER, organisation=world.delegation)
    assert signed_in(partner).get(reverse("shared:list")).status_code == 200
