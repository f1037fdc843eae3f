"""The coordinators' pages of access grants (/sharing/), asked as the owner coordinator, a
colleague with another role, a coordinator of another relief organisation, the grantee and
somebody not signed in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import Settings

from madad import access
from madad.accounts.models import User
from madad.accounts.roles import Role
from madad.core.models import AuditEvent
from madad.sharing.models import Grant
from tests.assistance.factories import make_incident
from tests.sharing.conftest import TODAY, World, withdraw

Signed = Callable[[User], Client]
MakeGrant = Callable[..., Grant]

LIST = reverse("sharing:list")
NEW = reverse("sharing:new")


def detail(grant: Grant) -> str:
    return reverse("sharing:detail", args=[grant.pk])


def action(name: str, grant: Grant) -> str:
    return reverse(f"sharing:{name}", args=[grant.pk])


def new_grant_data(world: World, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "grantee": world.delegation.pk,
        "users": [world.delegate.pk],
        "purpose": "Fact-finding visit on extortion of shopkeepers (test)",
        "valid_from": TODAY().isoformat(),
        "valid_until": (TODAY() + dt.timedelta(days=14)).isoformat(),
        "share_transcripts": "on",
        "downloads_allowed": "on",
        "testimonies": [world.testimony.pk],
        "incidents": [world.incident.pk],
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


# --- The list --------------------------------------------------------------------------------
def test_the_list_shows_the_organisations_grants_newest_first(
    world: World, make_grant: MakeGrant, signed_in: Signed
) -> None:
    older = make_grant()
    newer = make_grant(approve=False)
    response = signed_in(world.coordinator).get(LIST)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.index(detail(newer)) < page.index(detail(older))
    assert "Fictitious Visiting Delegation" in page
    assert "Waiting for approval" in page and "Approved" in page
    assert list(response.context["page"].object_list) == [newer, older]
    assert response.context["page"].object_list[0].record_count == 2


def test_the_menu_offers_sharing_to_coordinators_only(world: World, signed_in: Signed) -> None:
    response = signed_in(world.coordinator).get(LIST)
    assert response.status_code == 200
    assert LIST in [item["url"] for item in response.context["menu"]]
    response = signed_in(world.caseworker).get(reverse("home"))
    assert response.status_code == 200
    assert LIST not in [item["url"] for item in response.context["menu"]]


@pytest.mark.parametrize("who", ["caseworker", "documenter", "delegate"])
def test_the_list_and_the_form_refuse_anyone_but_a_coordinator(
    world: World, make_grant: MakeGrant, signed_in: Signed, who: str
) -> None:
    make_grant()
    client = signed_in(getattr(world, who))
    assert client.get(LIST).status_code == 403
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, new_grant_data(world)).status_code == 403
    assert Grant.objects.count() == 1


def test_a_coordinator_of_another_organisation_sees_only_their_own_empty_list(
    world: World, make_grant: MakeGrant, signed_in: Signed, outsider: User
) -> None:
    make_grant()
    response = signed_in(outsider).get(LIST)
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == []
    assert "No grants yet." in response.content.decode()


def test_somebody_not_signed_in_is_sent_to_sign_in(
    world: World, make_grant: MakeGrant, client: Client
) -> None:
    grant = make_grant(approve=False)
    for url in (LIST, NEW, detail(grant)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    for name in ("approve", "refuse", "revoke"):
        response = client.post(action(name, grant), {"version": grant.version, "reason": "x"})
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    grant.refresh_from_db()
    assert grant.status == Grant.Status.PENDING


# --- A new grant -----------------------------------------------------------------------------
def test_the_form_offers_records_by_number_date_and_place_never_a_name(
    world: World, signed_in: Signed
) -> None:
    response = signed_in(world.coordinator).get(NEW)
    assert response.status_code == 200
    page = response.content.decode()
    assert f"Testimony #{world.testimony.pk}" in page
    assert f"Incident #{world.incident.pk}" in page
    assert world.incident.place.name in page
    assert "Zarina" not in page and "Testwali" not in page
    assert world.incident.title not in page
    assert "Delegate (test)" in page and "Fictitious Rights Watch" in page


def test_a_coordinator_creates_a_grant_that_waits_for_approval(
    world: World, signed_in: Signed
) -> None:
    victimless = make_incident(world.org, world.documenter)  # nobody to consent: left out
    client = signed_in(world.coordinator)
    data = new_grant_data(world, incidents=[world.incident.pk, victimless.pk])
    response = client.post(NEW, data)
    assert response.status_code == 302
    grant = Grant.objects.get()
    assert response["Location"] == detail(grant)
    assert grant.status == Grant.Status.PENDING
    assert grant.created_by == world.coordinator
    assert list(grant.users.all()) == [world.delegate]
    assert grant.share_transcripts and not grant.share_descriptions and grant.downloads_allowed
    assert grant.records.count() == 2
    assert grant.left_out == 1

    page = client.get(response["Location"])
    assert page.status_code == 200
    text = page.content.decode()
    assert "It starts only when a second coordinator approves it." in text
    assert "1 record you chose was left out" in text
    assert f"Incident #{victimless.pk}" not in text  # counted, never named
    assert f"Testimony #{world.testimony.pk}" in text
    assert "Holds: shown to the readers" in text


def test_a_grant_nobody_consented_to_is_refused_and_nothing_is_saved(
    world: World, signed_in: Signed
) -> None:
    data = new_grant_data(world, grantee=world.rights_org.pk, users=[world.rights_reader.pk])
    response = signed_in(world.coordinator).post(NEW, data)
    assert response.status_code == 409
    assert "None of the chosen records is covered" in response.content.decode()
    assert Grant.objects.count() == 0


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        (
            {
                "valid_from": (TODAY() + dt.timedelta(days=5)).isoformat(),
                "valid_until": (TODAY() + dt.timedelta(days=1)).isoformat(),
            },
            "valid_until",
            "must not be before the start date",
        ),
        ({"purpose": ""}, "purpose", ""),
        ({"testimonies": None, "incidents": None}, None, "Choose at least one testimony"),
        ({"users": None}, "users", "Name at least one person"),
    ],
)
def test_bad_input_comes_back_on_the_form_and_saves_nothing(
    world: World,
    signed_in: Signed,
    changes: dict[str, Any],
    field: str | None,
    words: str,
) -> None:
    response = signed_in(world.coordinator).post(NEW, new_grant_data(world, **changes))
    assert response.status_code == 422
    form = response.context["form"]
    errors = form.errors.get(field) if field else form.non_field_errors()
    assert errors
    assert words in " ".join(errors)
    assert Grant.objects.count() == 0


def test_a_reader_without_two_factor_sign_in_is_refused(
    world: World, signed_in: Signed, make_user: Callable[..., User], settings: Settings
) -> None:
    settings.REQUIRE_MFA = True
    no_totp = make_user(Role.PARTNER, organisation=world.delegation, totp=False)
    data = new_grant_data(world, users=[world.delegate.pk, no_totp.pk])
    response = signed_in(world.coordinator).post(NEW, data)
    assert response.status_code == 422
    assert "must set up two-factor sign-in" in " ".join(response.context["form"].errors["users"])
    assert Grant.objects.count() == 0


def test_a_record_of_another_organisation_cannot_be_chosen(
    world: World, signed_in: Signed, outsider: User
) -> None:
    theirs = make_incident(outsider.organisation, outsider)
    response = signed_in(world.coordinator).post(NEW, new_grant_data(world, incidents=[theirs.pk]))
    assert response.status_code == 422
    assert "incidents" in response.context["form"].errors
    assert Grant.objects.count() == 0


# --- One grant -------------------------------------------------------------------------------
def test_the_grants_page_shows_what_is_shared_and_its_history(
    world: World, make_grant: MakeGrant, signed_in: Signed
) -> None:
    grant = make_grant()
    response = signed_in(world.coordinator).get(detail(grant))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Fictitious Visiting Delegation" in page
    assert "Delegate (test)" in page
    assert "Fact-finding visit on extortion of shopkeepers (test)" in page
    assert "Coordinator Two (test)" in page  # approved by
    assert [c.to_status for c in response.context["changes"]] == ["pending", "approved"]
    assert [row["consent"] for row in response.context["records"]] == [True, True]
    assert "Zarina" not in page and world.incident.title not in page
    assert action("revoke", grant) in page
    assert action("approve", grant) not in page  # decided already


@pytest.mark.parametrize("who", ["caseworker", "documenter", "delegate", "rights_reader"])
def test_a_grant_is_not_found_for_anyone_but_its_coordinators(
    world: World, make_grant: MakeGrant, signed_in: Signed, who: str
) -> None:
    grant = make_grant()
    client = signed_in(getattr(world, who))
    assert client.get(detail(grant)).status_code == 404
    for name in ("approve", "refuse", "revoke"):
        response = client.post(action(name, grant), {"version": grant.version, "reason": "x"})
        assert response.status_code == 404
    grant.refresh_from_db()
    assert grant.status == Grant.Status.APPROVED


def test_a_grant_is_not_found_for_a_coordinator_of_another_organisation(
    world: World, make_grant: MakeGrant, signed_in: Signed, outsider: User
) -> None:
    grant = make_grant(approve=False)
    client = signed_in(outsider)
    assert client.get(detail(grant)).status_code == 404
    response = client.post(action("approve", grant), {"version": grant.version})
    assert response.status_code == 404
    grant.refresh_from_db()
    assert grant.status == Grant.Status.PENDING


def test_the_creator_is_offered_no_approval_and_a_forced_one_is_refused(
    world: World, make_grant: MakeGrant, signed_in: Signed
) -> None:
    grant = make_grant(approve=False)
    client = signed_in(world.coordinator)
    page = client.get(detail(grant))
    assert page.status_code == 200
    assert action("approve", grant) not in page.content.decode()
    response = client.post(action("approve", grant), {"version": grant.version})
    assert response.status_code == 403
    assert "approved or refused by a second person" in response.content.decode()
    grant.refresh_from_db()
    assert grant.status == Grant.Status.PENDING


def test_a_second_coordinator_approves(
    world: World, make_grant: MakeGrant, signed_in: Signed
) -> None:
    grant = make_grant(approve=False)
    client = signed_in(world.approver)
    page = client.get(detail(grant))
    assert page.status_code == 200
    assert action("approve", grant) in page.content.decode()
    response = client.post(action("approve", grant), {"version": grant.version})
    assert response.status_code == 302
    assert response["Location"] == detail(grant)
    grant.refresh_from_db()
    assert grant.status == Grant.Status.APPROVED
    assert grant.decided_by == world.approver
    followed = client.get(detail(grant))
    assert "is approved" in followed.content.decode()


def test_refusing_needs_a_reason(world: World, make_grant: MakeGrant, signed_in: Signed) -> None:
    grant = make_grant(approve=False)
    client = signed_in(world.approver)
    response = client.post(action("refuse", grant), {"version": grant.version, "reason": ""})
    assert response.status_code == 422
    assert response.context["refuse_form"].errors["reason"]
    grant.refresh_from_db()
    assert grant.status == Grant.Status.PENDING

    response = client.post(
        action("refuse", grant), {"version": grant.version, "reason": "Not now (test)"}
    )
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.status == Grant.Status.REFUSED
    assert grant.end_reason == "Not now (test)"


def test_revoking_needs_a_reason_and_ends_the_grant(
    world: World, make_grant: MakeGrant, signed_in: Signed
) -> None:
    grant = make_grant()
    client = signed_in(world.coordinator)
    response = client.post(action("revoke", grant), {"version": grant.version, "reason": " "})
    assert response.status_code == 422
    assert response.context["revoke_form"].errors["reason"]
    grant.refresh_from_db()
    assert grant.status == Grant.Status.APPROVED

    response = client.post(
        action("revoke", grant), {"version": grant.version, "reason": "Visit over (test)"}
    )
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.status == Grant.Status.REVOKED
    page = client.get(detail(grant))
    assert page.status_code == 200
    assert "is revoked" in page.content.decode()
    assert action("revoke", grant) not in page.content.decode()
    again = client.post(action("revoke", grant), {"version": grant.version, "reason": "Again"})
    assert again.status_code == 409
    assert "ended already" in again.content.decode()


def test_a_stale_version_is_refused_with_a_clear_message_and_changes_nothing(
    world: World, make_grant: MakeGrant, signed_in: Signed
) -> None:
    grant = make_grant(approve=False)
    client = signed_in(world.approver)
    response = client.post(action("approve", grant), {"version": grant.version + 1})
    assert response.status_code == 409
    assert "Somebody else changed this record" in response.content.decode()
    response = client.post(
        action("revoke", grant), {"version": grant.version + 1, "reason": "Stale (test)"}
    )
    assert response.status_code == 409
    grant.refresh_from_db()
    assert grant.status == Grant.Status.PENDING
    assert grant.version == 1


def test_a_decision_without_the_version_is_refused(
    world: World, make_grant: MakeGrant, signed_in: Signed
) -> None:
    grant = make_grant(approve=False)
    response = signed_in(world.approver).post(action("approve", grant), {})
    assert response.status_code == 422
    grant.refresh_from_db()
    assert grant.status == Grant.Status.PENDING


def test_the_decisions_answer_only_to_post(
    world: World, make_grant: MakeGrant, signed_in: Signed
) -> None:
    grant = make_grant(approve=False)
    client = signed_in(world.approver)
    for name in ("approve", "refuse", "revoke"):
        assert client.get(action(name, grant)).status_code == 405


def test_the_usage_table_shows_a_grantees_read(
    world: World, make_grant: MakeGrant, signed_in: Signed
) -> None:
    grant = make_grant()
    record = grant.records.get(kind="testimony")
    access.reveal_granted(world.delegate, record)
    assert AuditEvent.objects.filter(action="grant.record.viewed").count() == 1
    response = signed_in(world.coordinator).get(detail(grant))
    assert response.status_code == 200
    rows = response.context["usage_rows"]
    assert rows[0]["who"] == "Delegate (test)"
    assert str(rows[0]["what"]) == "Read a record"
    assert rows[0]["record"].startswith(f"Testimony #{world.testimony.pk}")
    assert [str(row["what"]) for row in rows[1:]] == ["Approved the grant", "Created the grant"]
    page = response.content.decode()
    assert "Read a record" in page and "Delegate (test)" in page


def test_a_withdrawn_consent_shows_on_the_coordinators_page(
    world: World, make_grant: MakeGrant, signed_in: Signed
) -> None:
    grant = make_grant()
    withdraw(world)
    response = signed_in(world.coordinator).get(detail(grant))
    assert response.status_code == 200
    assert [row["consent"] for row in response.context["records"]] == [False, False]
    assert "Does not hold: hidden from the readers" in response.content.decode()
