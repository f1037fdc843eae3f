"""The testimony and consent pages, each asked by the owner (a documenter of the organisation),
colleagues with other roles, and outsiders (another relief organisation, a partner)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.urls import reverse

from madad.accounts.models import Organisation, User
from madad.accounts.roles import Role
from madad.core.models import AuditEvent
from madad.incidents.models import Incident
from madad.people.models import Person
from madad.testimonies import models
from madad.testimonies.models import ConsentRecord
from madad.testimonies.services import consent_covers, consent_give
from tests.evidence.factories import make_incident, make_person, make_testimony
from tests.factories import OrganisationFactory
from tests.testimonies.conftest import legacy_referral_consent

pytestmark = pytest.mark.django_db

SignedIn = Callable[[User], Client]
TRANSCRIPT = "Two men on a motorbike fired at the shop."


@pytest.fixture
def person(relief_org: Organisation) -> Person:
    return make_person(organisation=relief_org)


@pytest.fixture
def testimony(person: Person, documenter: User, incident: Incident) -> models.Testimony:
    return make_testimony(person=person, user=documenter, incident=incident, transcript=TRANSCRIPT)


@pytest.fixture
def rights_org() -> Organisation:
    return OrganisationFactory.create(
        name="Rights Watch (test)", kind=Organisation.Kind.HUMAN_RIGHTS
    )


def _others(make_user: Callable[..., User], outsider: User, partner_user: User, who: str) -> User:
    if who in ("outsider", "partner_user"):
        return {"outsider": outsider, "partner_user": partner_user}[who]
    return make_user(who)


# --- a person's testimonies and consent ----------------------------------------------------
def test_the_owner_sees_a_persons_testimonies_and_consent_panel(
    signed_in: SignedIn, documenter: User, person: Person, testimony: models.Testimony
) -> None:
    response = signed_in(documenter).get(reverse("testimonies:person", args=[person.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert f"Testimony {testimony.pk}" in body
    assert "Record a decision" in body and "Record a testimony" in body
    assert TRANSCRIPT not in body  # transcripts only on the testimony's own page


def test_a_verifier_sees_the_testimonies_but_records_nothing(
    signed_in: SignedIn,
    make_user: Callable[..., User],
    person: Person,
    testimony: models.Testimony,
) -> None:
    response = signed_in(make_user(Role.VERIFIER)).get(
        reverse("testimonies:person", args=[person.pk])
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert f"Testimony {testimony.pk}" in body
    assert "Record a decision" not in body and "Record a testimony" not in body


@pytest.mark.parametrize("who", [Role.FINANCE, "outsider", "partner_user"])
def test_others_get_404_for_a_persons_testimonies(
    signed_in: SignedIn,
    make_user: Callable[..., User],
    outsider: User,
    partner_user: User,
    person: Person,
    testimony: models.Testimony,
    who: str,
) -> None:
    user = _others(make_user, outsider, partner_user, who)
    response = signed_in(user).get(reverse("testimonies:person", args=[person.pk]))
    assert response.status_code == 404


def test_the_person_section_template_lists_testimonies_for_another_apps_page(
    documenter: User, person: Person, testimony: models.Testimony
) -> None:
    request = RequestFactory().get("/people/1/")
    request.user = documenter
    html = Template('{% include "testimonies/_person_testimonies.html" %}').render(
        Context({"person": person, "request": request})
    )
    assert f"Testimony {testimony.pk}" in html
    assert reverse("testimonies:record", args=[person.pk]) in html


def test_the_incident_section_template_lists_testimonies_for_another_apps_page(
    make_user: Callable[..., User], incident: Incident, testimony: models.Testimony
) -> None:
    request = RequestFactory().get("/incidents/1/")
    request.user = make_user(Role.CASEWORKER)
    html = Template('{% include "testimonies/_incident_testimonies.html" %}').render(
        Context({"incident": incident, "request": request})
    )
    assert f"Testimony {testimony.pk}" in html
    request.user = make_user(Role.FINANCE)
    html = Template('{% include "testimonies/_incident_testimonies.html" %}').render(
        Context({"incident": incident, "request": request})
    )
    assert html.strip() == ""


# --- an incident's testimonies -------------------------------------------------------------
@pytest.mark.parametrize("role", [Role.DOCUMENTER, Role.CASEWORKER])
def test_staff_who_may_read_testimonies_see_an_incidents_testimonies(
    signed_in: SignedIn,
    make_user: Callable[..., User],
    incident: Incident,
    testimony: models.Testimony,
    role: str,
) -> None:
    response = signed_in(make_user(role)).get(reverse("testimonies:incident", args=[incident.pk]))
    assert response.status_code == 200
    assert f"Testimony {testimony.pk}" in response.content.decode()


@pytest.mark.parametrize("who", [Role.ADMINISTRATOR, "outsider", "partner_user"])
def test_others_get_404_for_an_incidents_testimonies(
    signed_in: SignedIn,
    make_user: Callable[..., User],
    outsider: User,
    partner_user: User,
    incident: Incident,
    testimony: models.Testimony,
    who: str,
) -> None:
    user = _others(make_user, outsider, partner_user, who)
    response = signed_in(user).get(reverse("testimonies:incident", args=[incident.pk]))
    assert response.status_code == 404


# --- one testimony -------------------------------------------------------------------------
def test_the_owner_reads_the_transcript_and_the_read_is_audited(
    signed_in: SignedIn, documenter: User, testimony: models.Testimony
) -> None:
    response = signed_in(documenter).get(reverse("testimonies:detail", args=[testimony.pk]))
    assert response.status_code == 200
    assert TRANSCRIPT in response.content.decode()
    event = AuditEvent.objects.get(action="testimony.transcript.viewed")
    assert (event.actor_id, event.object_id) == (documenter.pk, str(testimony.pk))


def test_a_caseworker_reads_the_transcript_but_sees_no_attachments(
    signed_in: SignedIn, make_user: Callable[..., User], testimony: models.Testimony
) -> None:
    response = signed_in(make_user(Role.CASEWORKER)).get(
        reverse("testimonies:detail", args=[testimony.pk])
    )
    assert response.status_code == 200
    assert TRANSCRIPT in response.content.decode()
    assert "Attachments" not in response.content.decode()


@pytest.mark.parametrize("who", [Role.FINANCE, "outsider", "partner_user"])
def test_others_get_404_for_a_testimony_and_read_nothing(
    signed_in: SignedIn,
    make_user: Callable[..., User],
    outsider: User,
    partner_user: User,
    testimony: models.Testimony,
    who: str,
) -> None:
    user = _others(make_user, outsider, partner_user, who)
    response = signed_in(user).get(reverse("testimonies:detail", args=[testimony.pk]))
    assert response.status_code == 404
    assert TRANSCRIPT not in response.content.decode()
    assert AuditEvent.objects.filter(action="access.denied", actor=user).count() == 1
    assert not AuditEvent.objects.filter(action="testimony.transcript.viewed").exists()


# --- recording a testimony -----------------------------------------------------------------
def _form(incident: Incident | None = None, **extra: str) -> dict[str, str]:
    data = {
        "date": "2012-05-10",
        "language": "pa",
        "transcript": TRANSCRIPT,
        "incident": str(incident.pk) if incident else "",
    }
    data.update(extra)
    return data


def test_the_owner_records_a_testimony(
    signed_in: SignedIn, documenter: User, person: Person, incident: Incident
) -> None:
    client = signed_in(documenter)
    assert client.get(reverse("testimonies:record", args=[person.pk])).status_code == 200
    response = client.post(reverse("testimonies:record", args=[person.pk]), _form(incident))
    testimony = models.Testimony.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("testimonies:detail", args=[testimony.pk])
    assert (testimony.person, testimony.incident, testimony.language) == (person, incident, "pa")


def test_a_testimony_form_with_errors_says_why_and_records_nothing(
    signed_in: SignedIn,
    documenter: User,
    person: Person,
    outsider: User,
    other_relief_org: Organisation,
) -> None:
    theirs = make_incident(organisation=other_relief_org, user=outsider)
    client = signed_in(documenter)
    response = client.post(reverse("testimonies:record", args=[person.pk]), _form(theirs))
    assert response.status_code == 422
    assert "There is no incident with this number that you may see." in response.content.decode()
    tomorrow = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    response = client.post(reverse("testimonies:record", args=[person.pk]), _form(date=tomorrow))
    assert response.status_code == 422
    assert "The date cannot be in the future." in response.content.decode()
    assert not models.Testimony.objects.exists()


@pytest.mark.parametrize("who", [Role.VERIFIER, "outsider", "partner_user"])
def test_others_cannot_record_a_testimony(
    signed_in: SignedIn,
    make_user: Callable[..., User],
    outsider: User,
    partner_user: User,
    person: Person,
    who: str,
) -> None:
    user = _others(make_user, outsider, partner_user, who)
    response = signed_in(user).post(reverse("testimonies:record", args=[person.pk]), _form())
    assert response.status_code == 404
    assert not models.Testimony.objects.exists()


# --- recording consent ---------------------------------------------------------------------
def test_a_caseworker_records_consent_to_share_with_a_named_organisation(
    signed_in: SignedIn,
    make_user: Callable[..., User],
    person: Person,
    rights_org: Organisation,
) -> None:
    response = signed_in(make_user(Role.CASEWORKER)).post(
        reverse("testimonies:person_consent", args=[person.pk]),
        {
            "purpose": "human_rights_sharing",
            "decision": "given",
            "recipient": rights_org.pk,
            "date": "2013-01-10",
        },
    )
    assert response.status_code == 302
    assert consent_covers(person=person, purpose="human_rights_sharing", recipient=rights_org)


def test_the_panel_withdraws_consent_in_force(
    signed_in: SignedIn, documenter: User, person: Person
) -> None:
    consent_give(
        person=person, purpose="case_management", date=dt.date(2013, 1, 10), recorded_by=documenter
    )
    client = signed_in(documenter)
    page = client.get(reverse("testimonies:person", args=[person.pk])).content.decode()
    assert "Withdraw today" in page
    response = client.post(
        reverse("testimonies:person_consent", args=[person.pk]),
        {
            "purpose": "case_management",
            "decision": "withdrawn",
            "date": dt.date.today().isoformat(),
        },
    )
    assert response.status_code == 302
    assert not consent_covers(person=person, purpose="case_management")
    assert ConsentRecord.objects.count() == 2


def test_the_panel_records_consent_to_referral_to_the_partner_chosen(
    signed_in: SignedIn,
    documenter: User,
    person: Person,
    partner_org: Organisation,
    rights_org: Organisation,
    other_relief_org: Organisation,
) -> None:
    client = signed_in(documenter)
    url = reverse("testimonies:person_consent", args=[person.pk])
    page = client.get(reverse("testimonies:person", args=[person.pk])).content.decode()
    # any partner may be chosen, a relief organisation never
    assert f'<option value="{partner_org.pk}">' in page
    assert f'<option value="{rights_org.pk}">' in page
    assert f'<option value="{other_relief_org.pk}">' not in page
    assert (
        client.post(
            url,
            {
                "purpose": "referral",
                "decision": "given",
                "recipient": partner_org.pk,
                "date": "2013-01-10",
            },
        ).status_code
        == 302
    )
    assert consent_covers(person=person, purpose="referral", recipient=partner_org)
    assert not consent_covers(person=person, purpose="referral", recipient=rights_org)
    page = client.get(reverse("testimonies:person", args=[person.pk])).content.decode()
    assert f'name="recipient" value="{partner_org.pk}"' in page  # its own "Withdraw today"
    response = client.post(
        url,
        {
            "purpose": "referral",
            "decision": "withdrawn",
            "recipient": partner_org.pk,
            "date": dt.date.today().isoformat(),
        },
    )
    assert response.status_code == 302
    assert not consent_covers(person=person, purpose="referral", recipient=partner_org)


def test_old_consent_to_referral_naming_no_partner_is_shown_as_covering_none(
    signed_in: SignedIn, documenter: User, person: Person
) -> None:
    legacy_referral_consent(person, documenter, dt.date(2013, 1, 10))
    page = (
        signed_in(documenter).get(reverse("testimonies:person", args=[person.pk])).content.decode()
    )
    assert "(names no partner, so covers none)" in page
    assert "Withdraw today" not in page  # nothing in force to withdraw


def test_consent_to_referral_without_its_partner_is_refused_with_a_reason(
    signed_in: SignedIn, documenter: User, person: Person
) -> None:
    response = signed_in(documenter).post(
        reverse("testimonies:person_consent", args=[person.pk]),
        {"purpose": "referral", "decision": "given", "date": "2013-01-10"},
    )
    assert response.status_code == 422
    assert "Name the partner organisation" in response.content.decode()
    assert not ConsentRecord.objects.exists()


def test_consent_without_its_recipient_is_refused_with_a_reason(
    signed_in: SignedIn, documenter: User, person: Person
) -> None:
    response = signed_in(documenter).post(
        reverse("testimonies:person_consent", args=[person.pk]),
        {"purpose": "human_rights_sharing", "decision": "given", "date": "2013-01-10"},
    )
    assert response.status_code == 422
    assert "Name the human-rights organisation" in response.content.decode()
    assert not ConsentRecord.objects.exists()


def test_consent_for_one_testimony_is_recorded_from_its_page(
    signed_in: SignedIn, documenter: User, testimony: models.Testimony
) -> None:
    response = signed_in(documenter).post(
        reverse("testimonies:testimony_consent", args=[testimony.pk]),
        {"purpose": "anonymised_publication", "decision": "given", "date": "2013-01-10"},
    )
    assert response.status_code == 302
    record = ConsentRecord.objects.get()
    assert record.testimony == testimony
    assert consent_covers(testimony=testimony, purpose="anonymised_publication")
    assert not consent_covers(person=testimony.person, purpose="anonymised_publication")


@pytest.mark.parametrize("who", [Role.VERIFIER, "outsider", "partner_user"])
def test_others_cannot_record_consent(
    signed_in: SignedIn,
    make_user: Callable[..., User],
    outsider: User,
    partner_user: User,
    person: Person,
    testimony: models.Testimony,
    who: str,
) -> None:
    user = _others(make_user, outsider, partner_user, who)
    client = signed_in(user)
    data = {"purpose": "referral", "decision": "given", "date": "2013-01-10"}
    assert (
        client.post(reverse("testimonies:person_consent", args=[person.pk]), data).status_code
        == 404
    )
    assert (
        client.post(reverse("testimonies:testimony_consent", args=[testimony.pk]), data).status_code
        == 404
    )
    assert not ConsentRecord.objects.exists()


def test_numbers_too_large_for_the_database_are_refused_politely(
    signed_in: SignedIn, documenter: User, person: Person
) -> None:
    client = signed_in(documenter)
    huge = 10**30
    assert client.get(f"/testimonies/{huge}/").status_code == 404
    assert client.get(f"/testimonies/person/{huge}/").status_code == 404
    response = client.post(
        reverse("testimonies:record", args=[person.pk]), {**_form(), "incident": str(huge)}
    )
    assert response.status_code == 422
    response = client.post(
        reverse("testimonies:person_consent", args=[person.pk]),
        {
            "purpose": "human_rights_sharing",
            "decision": "given",
            "recipient": str(huge),
            "date": "2013-01-10",
        },
    )
    assert response.status_code == 422
    assert not ConsentRecord.objects.exists()
