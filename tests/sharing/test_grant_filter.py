"""A grant's incidents chosen by a filter (dates, district or town, types) rather than one by
one: the matching incidents of the organisation, with their testimonies if asked, each
consent-checked like any other record; the filter kept with the grant."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from madad.accounts.models import User
from madad.core.refusals import Invalid
from madad.incidents.models import Act, IncidentType
from madad.sharing import services
from madad.sharing.models import Grant
from tests.assistance.factories import make_incident
from tests.sharing.conftest import World
from tests.sharing.test_grant_pages import new_grant_data

pytestmark = pytest.mark.django_db

Signed = Callable[[User], Client]


def _create(world: World, by_filter: services.IncidentFilter, **chosen: Any) -> Grant:
    today = timezone.localdate()
    return services.grant_create(
        actor=world.coordinator,
        grantee=world.delegation,
        users=[world.delegate],
        purpose="Visit (test)",
        valid_from=today,
        valid_until=today + dt.timedelta(days=7),
        chosen=services.Chosen(by_filter=by_filter, **chosen),
    )


def test_a_filter_by_dates_adds_the_incidents_in_the_period_and_their_testimonies(
    world: World,
) -> None:
    later = make_incident(world.org, world.documenter, start_date=dt.date(2024, 9, 1))
    Act.objects.create(incident=later, victim=world.victim, act_type=Act.Type.THREATENED)
    grant = _create(
        world,
        services.IncidentFilter(date_from=dt.date(2024, 3, 1), date_to=dt.date(2024, 3, 31)),
    )
    assert set(grant.records.values_list("incident_id", flat=True)) - {None} == {world.incident.pk}
    assert set(grant.records.values_list("testimony_id", flat=True)) - {None} == {
        world.testimony.pk
    }
    assert grant.selection == {
        "date_from": "2024-03-01",
        "date_to": "2024-03-31",
        "place": None,
        "types": [],
        "with_testimonies": True,
    }


def test_without_testimonies_only_the_incidents_come(world: World) -> None:
    grant = _create(
        world,
        services.IncidentFilter(date_from=dt.date(2024, 1, 1), with_testimonies=False),
    )
    assert list(grant.records.values_list("kind", flat=True)) == ["incident"]


def test_a_filter_by_type_that_nothing_matches_is_refused_and_nothing_is_saved(
    world: World,
) -> None:
    unused = IncidentType.objects.create(code="test-unused", name="Unused (test)", name_ur="x")
    with pytest.raises(Invalid) as refused:
        _create(world, services.IncidentFilter(types=[unused]))
    assert "filter_date_from" in refused.value.fields
    assert not Grant.objects.exists()


def test_a_period_that_ends_before_it_starts_is_refused(world: World) -> None:
    with pytest.raises(Invalid) as refused:
        _create(
            world,
            services.IncidentFilter(date_from=dt.date(2024, 5, 1), date_to=dt.date(2024, 4, 1)),
        )
    assert "filter_date_to" in refused.value.fields
    assert not Grant.objects.exists()


def test_another_organisations_incidents_never_match(world: World, outsider: User) -> None:
    theirs = make_incident(outsider.organisation, outsider, start_date=dt.date(2024, 3, 5))
    grant = _create(
        world, services.IncidentFilter(date_from=dt.date(2024, 3, 1), date_to=dt.date(2024, 3, 31))
    )
    assert theirs.pk not in set(grant.records.values_list("incident_id", flat=True))


def test_the_form_takes_a_filter_and_the_grant_page_shows_it(
    world: World, signed_in: Signed
) -> None:
    client = signed_in(world.coordinator)
    data = new_grant_data(
        world,
        testimonies=None,
        incidents=None,
        filter_date_from="2024-03-01",
        filter_date_to="2024-03-31",
        filter_with_testimonies="on",
    )
    response = client.post(reverse("sharing:new"), data)
    assert response.status_code == 302
    grant = Grant.objects.get()
    assert grant.records.count() == 2
    page = client.get(reverse("sharing:detail", args=[grant.pk])).content.decode()
    assert "Incidents were also chosen by a filter" in page
    # a filter that matches nothing: the form again, with why, and nothing saved
    empty = new_grant_data(world, testimonies=None, incidents=None, filter_date_from="2030-01-01")
    again = client.post(reverse("sharing:new"), empty)
    assert again.status_code == 422
    assert "No incident of your organisation matches the filter." in again.content.decode()
    assert Grant.objects.count() == 1
