"""The demo incidents: synthetic, neutral, partly verified by a second person, loaded once."""

from __future__ import annotations

import pytest

from madad.accounts.demo import demo_email, load_users
from madad.accounts.models import User
from madad.accounts.roles import Role
from madad.core.demo import DemoContext
from madad.core.models import AuditEvent
from madad.incidents import demo
from madad.incidents.models import Incident, Involvement, VerificationStep, overall_confidence
from madad.places.models import Place
from tests.incidents.factories import gazetteer

pytestmark = pytest.mark.django_db


def _context(scale: float = 0.1) -> DemoContext:
    relief, partner = load_users(password="demo password for tests")
    users = {role: User.objects.get(email=demo_email(role)) for role in Role.values}
    return DemoContext(relief=relief, partner=partner, users=users, scale=scale)


def test_the_demo_loads_incidents_once(db: None) -> None:
    gazetteer()
    context = _context()
    demo.load(context)
    incidents = Incident.objects.filter(organisation=context.relief)
    assert incidents.count() == 100
    assert context.report == [
        f"100 incidents ({incidents.filter(status='verified').count()} verified)"
    ]
    assert AuditEvent.objects.filter(action="demo.incidents.loaded").count() == 1
    demo.load(_context())
    assert incidents.count() == 100


def test_about_sixty_percent_are_verified_by_the_verifier_on_graded_sources(db: None) -> None:
    gazetteer()
    context = _context(scale=0.3)
    demo.load(context)
    verified = Incident.objects.filter(status="verified")
    assert 0.45 <= verified.count() / 300 <= 0.75
    documenter, verifier = context.users[Role.DOCUMENTER], context.users[Role.VERIFIER]
    for incident in verified:
        assert incident.created_by == documenter and incident.updated_by == documenter
        assert overall_confidence(incident.sources.all()) in ("medium", "high")
        step = incident.verification_steps.get(action=VerificationStep.Action.VERIFIED)
        assert step.by == verifier


def test_the_demo_is_neutral_and_fictitious(db: None) -> None:
    gazetteer()
    demo.load(_context())
    assert {i.described_group for i in Involvement.objects.all()} <= set(demo.PERPETRATORS)
    assert Involvement.objects.filter(person__isnull=False).count() == 0
    for incident in Incident.objects.prefetch_related("acts__victim"):
        for act in incident.acts.all():
            assert act.victim.cnic.startswith("99999")
    years = set(Incident.objects.values_list("start_date__year", flat=True))
    assert years <= set(range(2008, 2015))


def test_the_demo_uses_neighbourhoods_when_there_are_any(db: None) -> None:
    gazetteer()
    demo.load(_context())
    used = set(Incident.objects.values_list("place__level", flat=True))
    assert used == {Place.Level.NEIGHBOURHOOD}


def test_without_places_the_demo_says_so_and_records_nothing(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the gazetteer ships as a data migration; an empty one is simulated
    monkeypatch.setattr(Place.objects, "filter", lambda **kw: Place.objects.none())
    monkeypatch.setattr(Place.objects, "exclude", lambda **kw: Place.objects.none())
    context = _context()
    demo.load(context)
    assert not Incident.objects.exists()
    assert context.report == ["no incidents (the gazetteer has no places yet)"]
