"""A person's roles across incidents, for the person page: victim, source and - only for those
who may see them - alleged perpetrator."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from madad.accounts.models import User
from madad.incidents import services
from madad.incidents.models import Incident
from madad.people.models import Person
from madad.people.services import person_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def suspect_and_witness(incident: Incident, documenter: User) -> SimpleNamespace:
    suspect = person_create(
        organisation=documenter.organisation, created_by=documenter, given_name="Person-alleged"
    )
    witness = person_create(
        organisation=documenter.organisation, created_by=documenter, given_name="Person-witness"
    )
    services.involvement_add(
        act=incident.acts.get(), added_by=documenter, person=suspect, degree="ordered"
    )
    services.source_add(incident=incident, added_by=documenter, kind="witness", person=witness)
    return SimpleNamespace(suspect=suspect, witness=witness, victim=incident.acts.get().victim)


def _render(user: User, person: Person) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return Template("{% load incident_tags %}{% person_incident_roles person %}").render(
        Context({"request": request, "person": person})
    )


def test_the_victim_role_is_shown_with_what_happened(
    incident: Incident, suspect_and_witness: SimpleNamespace, caseworker: User
) -> None:
    html = _render(caseworker, suspect_and_witness.victim)
    assert f"/incidents/{incident.pk}/" in html and "Victim" in html and "Killed" in html


def test_the_alleged_perpetrator_role_is_shown_only_with_perpetrator_view(
    incident: Incident, suspect_and_witness: SimpleNamespace, documenter: User, caseworker: User
) -> None:
    assert "Alleged perpetrator" in _render(documenter, suspect_and_witness.suspect)
    html = _render(caseworker, suspect_and_witness.suspect)
    assert "Alleged perpetrator" not in html and f"/incidents/{incident.pk}/" not in html


def test_the_source_role_needs_source_view(
    incident: Incident, suspect_and_witness: SimpleNamespace, verifier: User, caseworker: User
) -> None:
    assert "Source" in _render(verifier, suspect_and_witness.witness)
    assert f"/incidents/{incident.pk}/" not in _render(caseworker, suspect_and_witness.witness)


def test_nothing_is_shown_to_a_partner(
    incident: Incident, suspect_and_witness: SimpleNamespace, partner_user: User
) -> None:
    assert _render(partner_user, suspect_and_witness.victim).strip() == ""
