"""Small-count suppression: a public count of victims by sex or age group below the threshold
shows as "fewer than 5", and a count that would let a reader work it out is withheld."""

from __future__ import annotations

import pytest
from django.test import Client
from pytest_django import Settings

from madad.access.public import PublicCount, suppress
from madad.accounts.models import User
from madad.public.selectors import PublicFilters, public_incidents
from madad.public.selectors.figures import count_victims, dashboard_figures
from tests.incidents.factories import Gazetteer
from tests.public.factories import incident

pytestmark = pytest.mark.django_db


def test_a_count_below_the_threshold_is_shown_as_fewer_than_it() -> None:
    shown = suppress({"female": 3, "male": 12, "other": 0, "unknown": 9})
    assert str(shown["female"]) == "fewer than 5"
    assert shown["female"].value is None
    assert str(shown["other"]) == "0"  # zero singles nobody out


def test_the_smallest_other_count_is_withheld_when_one_alone_is_suppressed() -> None:
    shown = suppress({"female": 3, "male": 12, "other": 0, "unknown": 9})
    assert shown["unknown"] == PublicCount(value=None, withheld=True)
    assert shown["male"] == PublicCount(value=12)


def test_nothing_more_is_withheld_when_two_counts_are_suppressed() -> None:
    shown = suppress({"female": 3, "male": 12, "other": 2})
    assert [c.shown for c in shown.values()] == [False, True, False]


def test_the_threshold_is_a_setting(settings: Settings) -> None:
    settings.MADAD_PUBLIC_MIN_COUNT = 10
    assert str(suppress({"female": 7, "male": 30, "x": 20})["female"]) == "fewer than 10"


def test_the_dashboard_never_shows_a_small_count_of_women(
    documenter: User, places: Gazetteer, client: Client
) -> None:
    incident(
        documenter,
        places.orchard,
        victims=[("killed", {"sex": "female", "age": 34}), *[("injured", {"age": 20})] * 6],
    )
    figures = dashboard_figures(public_incidents())
    by_sex = {row.key: row.count for row in figures.by_sex}
    assert str(by_sex["female"]) == "fewer than 5"
    assert not by_sex["male"].shown  # 7 victims in all: the 6 men would give the woman away
    page = client.get("/public/").content.decode()
    assert "fewer than 5" in page
    assert figures.victims == 7  # the total itself is no breakdown by a personal attribute


def test_an_age_group_with_few_victims_is_suppressed(documenter: User, places: Gazetteer) -> None:
    incident(
        documenter,
        places.orchard,
        victims=[
            ("killed", {"age": 12}),
            *[("injured", {"age": 40})] * 6,
            *[("abducted", {"age": 25})] * 5,
        ],
    )
    by_age = {row.key: row.count for row in dashboard_figures(public_incidents()).by_age}
    assert str(by_age["0-17"]) == "fewer than 5"
    assert by_age["30-44"].value == 6 or by_age["18-29"].value == 5
    assert sum(1 for c in by_age.values() if not c.shown) == 2


def test_a_fact_sheet_figure_by_sex_is_suppressed_too(documenter: User, places: Gazetteer) -> None:
    incident(documenter, places.orchard, victims=[("killed", {"sex": "female"})] * 2)
    selector = public_incidents(filters=PublicFilters())
    assert str(count_victims(selector, sex="female")) == "fewer than 5"
    assert count_victims(selector).value == 2


def test_a_victim_harmed_twice_in_one_incident_is_one_victim(
    documenter: User, places: Gazetteer
) -> None:
    made = incident(documenter, places.orchard)
    victim = made.acts.get().victim
    made.acts.create(victim=victim, act_type="injured")
    figures = dashboard_figures(public_incidents())
    assert figures.victims == 1
    assert dict((a, n) for a, _label, n in figures.by_act)["injured"] == 1
