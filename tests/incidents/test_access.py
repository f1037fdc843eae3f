"""Who sees what of an incident: the owner's organisation by role, never a partner or another
organisation; alleged perpetrators only with perpetrator.view, absent (not hidden) otherwise."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from madad.accounts.models import Organisation, User
from madad.accounts.roles import Role
from madad.core.models import AuditEvent
from madad.incidents.models import Incident

pytestmark = pytest.mark.django_db

PERPETRATOR = "PERPETRATOR two unidentified men"
NARRATIVE = "RESTRICTED-NARRATIVE"
CONSEQUENCES = "RESTRICTED-CONSEQUENCES"
SOURCE_NAME = "SOURCE-NAME"


def _page(client: Client, incident: Incident) -> str:
    response = client.get(f"/incidents/{incident.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_documenter_sees_everything_and_the_reads_are_audited(
    incident: Incident, documenter: User, signed_in: Callable[[User], Client]
) -> None:
    html = _page(signed_in(documenter), incident)
    for text in (PERPETRATOR, NARRATIVE, CONSEQUENCES, SOURCE_NAME, "Alleged perpetrators"):
        assert text in html
    audited = set(AuditEvent.objects.filter(actor=documenter).values_list("action", flat=True))
    assert {
        "incident.description.viewed",
        "incident.act.consequences.viewed",
        "incident.perpetrator.viewed",
        "incident.source.viewed",
    } <= audited


def test_an_alleged_perpetrator_is_absent_for_a_caseworker_on_the_page(
    incident: Incident, caseworker: User, signed_in: Callable[[User], Client]
) -> None:
    html = _page(signed_in(caseworker), incident)
    assert incident.title in html  # the page itself is shown
    assert PERPETRATOR not in html
    assert "Alleged perpetrators" not in html
    assert "Record an alleged perpetrator" not in html
    # nor the restricted narrative or the source's identity
    for text in (NARRATIVE, CONSEQUENCES, SOURCE_NAME):
        assert text not in html
    assert "B2" in html  # but the grading is


def test_a_caseworker_cannot_reach_the_perpetrator_form(
    incident: Incident, caseworker: User, signed_in: Callable[[User], Client]
) -> None:
    act = incident.acts.get()
    response = signed_in(caseworker).post(
        f"/incidents/{incident.pk}/perpetrators/",
        {"act": act.pk, "described_group": "someone", "degree": "present", "version": 9},
    )
    assert response.status_code == 404
    assert act.involvements.count() == 1


def test_a_partner_user_gets_404_on_an_incident(
    incident: Incident, partner_user: User, signed_in: Callable[[User], Client]
) -> None:
    client = signed_in(partner_user)
    for url in (
        "/incidents/",
        f"/incidents/{incident.pk}/",
        f"/incidents/{incident.pk}/edit/",
        "/incidents/new/",
        "/incidents/export.csv",
    ):
        assert client.get(url).status_code == 404, url
    assert AuditEvent.objects.filter(
        action="access.denied", actor=partner_user, object_id=str(incident.pk)
    ).exists()


def test_a_documenter_in_a_partner_organisation_gets_404_too(
    incident: Incident,
    make_user: Callable[..., User],
    partner_org: Organisation,
    signed_in: Callable[[User], Client],
) -> None:
    # the organisation decides, not only the role
    user = make_user(Role.DOCUMENTER, organisation=partner_org)
    assert signed_in(user).get(f"/incidents/{incident.pk}/").status_code == 404


def test_an_outsider_from_another_organisation_gets_404(
    incident: Incident, outsider: User, signed_in: Callable[[User], Client]
) -> None:
    client = signed_in(outsider)
    assert client.get(f"/incidents/{incident.pk}/").status_code == 404
    assert client.get(f"/incidents/{incident.pk}/edit/").status_code == 404
    listing = client.get("/incidents/")
    assert listing.status_code == 200
    assert incident.title not in listing.content.decode()


def test_a_caseworker_cannot_edit(
    incident: Incident, caseworker: User, signed_in: Callable[[User], Client]
) -> None:
    client = signed_in(caseworker)
    assert client.get(f"/incidents/{incident.pk}/edit/").status_code == 404
    assert client.get("/incidents/new/").status_code == 404
    assert b"Record an incident" not in client.get("/incidents/").content


def test_the_menu_offers_incidents_to_relief_staff_only(
    caseworker: User, partner_user: User, signed_in: Callable[[User], Client], client: Client
) -> None:
    assert b'href="/incidents/"' in signed_in(caseworker).get("/").content
    client.logout()
    assert b'href="/incidents/"' not in signed_in(partner_user).get("/").content
