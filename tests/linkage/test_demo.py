"""The demo's duplicates: second reports of a few demo persons, found by a run of the matcher."""

from __future__ import annotations

import pytest

from madad.accounts.models import Organisation, User
from madad.accounts.roles import Role
from madad.core.demo import DemoContext
from madad.linkage import demo
from madad.linkage.models import LinkageRun, PersonPair
from madad.people import demo as people_demo
from madad.people.models import Person
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def context() -> DemoContext:
    relief = OrganisationFactory.create(kind=Organisation.Kind.RELIEF)
    partner = OrganisationFactory.create(kind=Organisation.Kind.NGO)
    users: dict[str, User] = {
        Role.DOCUMENTER: UserFactory.create(role=Role.DOCUMENTER, organisation=relief)
    }
    return DemoContext(relief=relief, partner=partner, users=users, scale=0.2)


def test_the_demo_adds_second_reports_and_the_queue_finds_them(context: DemoContext) -> None:
    people_demo.load(context)
    before = Person.objects.count()
    demo.load(context)
    assert Person.objects.count() > before
    run = LinkageRun.objects.get()
    assert run.status == LinkageRun.Status.DONE
    assert PersonPair.objects.filter(organisation=context.relief).count() >= 1


def test_loading_the_demo_twice_adds_nothing(context: DemoContext) -> None:
    people_demo.load(context)
    demo.load(context)
    counts = (Person.objects.count(), PersonPair.objects.count(), LinkageRun.objects.count())
    demo.load(context)
    assert (
        Person.objects.count(),
        PersonPair.objects.count(),
        LinkageRun.objects.count(),
    ) == counts
