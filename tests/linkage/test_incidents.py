"""The same event reported by several sources: scoring, the batch run, the decision, and the
check of the incident form."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from madad.accounts.models import User
from madad.core.refusals import Conflict
from madad.incidents.models import Incident, IncidentRelation, IncidentType
from madad.linkage.incidents import incident_score
from madad.linkage.models import Decision, IncidentPair, LinkageRun
from madad.linkage.services import incident_pair_decide, linkage_run_execute
from tests.incidents.factories import Gazetteer, record_incident

SignedIn = Callable[[User], Client]
DAY = dt.date(2011, 3, 14)


def _record(**changes: Any) -> dict[str, Any]:
    record = {
        "start": DAY,
        "end": None,
        "precision": "day",
        "place": "khi.south.lyari.x",
        "point": (24.872, 66.995),
        "types": {"targeted-killing"},
        "victims": {1},
    }
    record.update(changes)
    return record


def test_one_day_one_place_one_type_one_victim_scores_full() -> None:
    score, evidence = incident_score(_record(), _record())
    assert score == 1.0 and evidence == {"date": 1.0, "place": 1.0, "types": 1.0, "victims": 1.0}


def test_a_day_apart_in_the_same_town_still_matches() -> None:
    score, _ = incident_score(
        _record(), _record(start=DAY + dt.timedelta(days=1), place="khi.south.lyari.y")
    )
    assert score >= 0.6


def test_three_days_apart_is_another_event() -> None:
    assert incident_score(_record(), _record(start=DAY + dt.timedelta(days=3)))[0] == 0.0


def test_other_victims_and_types_elsewhere_in_the_district_fall_below_review() -> None:
    score, _ = incident_score(
        _record(),
        _record(place="khi.south.saddar.z", point=(24.8, 67.1), types={"arson"}, victims={2}),
    )
    assert score < 0.6


def test_a_month_precise_report_can_contain_the_other() -> None:
    score, evidence = incident_score(
        _record(), _record(start=DAY.replace(day=1), precision="month")
    )
    assert evidence["date"] == 0.3 and score > 0


@pytest.fixture
def reports(documenter: User, places: Gazetteer) -> SimpleNamespace:
    """A killing reported by a family and by a newspaper a day apart, and an unrelated
    extortion case in the other district."""
    family = record_incident(by=documenter, place=places.orchard, victim_name="Bilal")
    news = record_incident(
        by=documenter,
        place=places.orchard,
        title="Man shot in colony",
        start_date=DAY + dt.timedelta(days=1),
        victim_name="Bilal",
    )
    other = record_incident(
        by=documenter,
        place=places.harbour,
        title="Shop owner threatened",
        types=["extortion-demand"],
    )
    return SimpleNamespace(family=family, news=news, other=other)


@pytest.mark.django_db
def test_a_run_over_incidents_proposes_the_two_reports_only(
    documenter: User,
    reports: SimpleNamespace,
) -> None:
    run = LinkageRun.objects.create(
        organisation=documenter.organisation, kind="incidents", threshold=0.6
    )
    linkage_run_execute(run_id=run.pk)
    pair = IncidentPair.objects.get()
    assert {pair.incident_a_id, pair.incident_b_id} == {reports.family.pk, reports.news.pk}
    run.refresh_from_db()
    assert run.status == LinkageRun.Status.DONE and run.pairs_found == 1


@pytest.mark.django_db
def test_same_event_relates_the_incidents_and_reopening_unrelates_them(
    documenter: User,
    reports: SimpleNamespace,
) -> None:
    pair = IncidentPair.objects.create(
        organisation=documenter.organisation,
        incident_a=reports.family,
        incident_b=reports.news,
        score=0.9,
        evidence={},
    )
    incident_pair_decide(pair=pair, decision=Decision.SAME_EVENT, decided_by=documenter)
    relation = IncidentRelation.objects.get()
    assert relation.kind == IncidentRelation.Kind.SAME_EVENT
    with pytest.raises(Conflict, match="already decided"):
        incident_pair_decide(pair=pair, decision=Decision.NOT_SAME, decided_by=documenter)
    incident_pair_decide(pair=pair, decision=Decision.PENDING, decided_by=documenter)
    assert not IncidentRelation.objects.exists()
    pair.refresh_from_db()
    assert pair.status == Decision.PENDING


@pytest.mark.django_db
def test_the_incident_queue_answers_the_owner_and_404s_the_others(
    signed_in: SignedIn,
    documenter: User,
    caseworker: User,
    outsider: User,
    reports: SimpleNamespace,
) -> None:
    pair = IncidentPair.objects.create(
        organisation=documenter.organisation,
        incident_a=reports.family,
        incident_b=reports.news,
        score=0.9,
        evidence={"date": 0.7},
    )
    url = reverse("linkage:incident_pair", args=[pair.pk])
    assert url in signed_in(documenter).get(reverse("linkage:incident_queue")).content.decode()
    response = signed_in(documenter).post(url, {"decision": "same_event"})
    assert response.status_code == 302
    assert signed_in(caseworker).get(url).status_code == 404
    assert signed_in(outsider).get(url).status_code == 404


@pytest.mark.django_db
def test_the_incident_form_warns_of_a_possible_duplicate(
    signed_in: SignedIn,
    documenter: User,
    caseworker: User,
    places: Gazetteer,
    reports: SimpleNamespace,
) -> None:
    killing = IncidentType.objects.get(code="targeted-killing")
    data = {
        "start_date": (DAY + dt.timedelta(days=2)).isoformat(),
        "start_precision": "day",
        "place": places.orchard.pk,
        "types": [killing.pk],
    }
    html = signed_in(documenter).post(reverse("linkage:check_incident"), data).content.decode()
    assert f"incident #{reports.family.pk}" in html
    assert f"incident #{reports.other.pk}" not in html
    # caseworkers see incidents but do not record them: no form, no check
    assert signed_in(caseworker).post(reverse("linkage:check_incident"), data).status_code == 404
    assert Incident.objects.count() == 3
