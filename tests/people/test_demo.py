"""The demo persons: synthetic, found by name search, loaded once."""

from __future__ import annotations

import pytest

from madad.accounts.demo import demo_email, load_users
from madad.accounts.models import User
from madad.accounts.roles import Role
from madad.core.demo import DemoContext
from madad.people import demo
from madad.people.models import Person, PersonNameKey
from madad.people.selectors import person_search

pytestmark = pytest.mark.django_db


def _context() -> DemoContext:
    relief, partner = load_users(password="demo password for tests")
    users = {role: User.objects.get(email=demo_email(role)) for role in Role.values}
    return DemoContext(relief=relief, partner=partner, users=users, scale=0.1)


def test_the_demo_persons_load_once_and_can_be_found_by_name(db: None) -> None:
    context = _context()
    demo.load(context)
    persons = Person.objects.filter(organisation=context.relief)
    assert persons.count() == 20 and context.report == ["20 persons"]
    assert not persons.filter(name_keys__isnull=True).exists()
    someone = persons.first()
    assert someone is not None and someone.cnic.startswith("99999")
    found, _search = person_search(user=context.users[Role.DOCUMENTER], query=someone.full_name_ur)
    assert someone in found
    demo.load(_context())
    assert persons.count() == 20


def test_the_demo_gives_keys_to_persons_that_had_none(db: None) -> None:
    context = _context()
    demo.load(context)
    PersonNameKey.objects.all().delete()
    again = _context()
    demo.load(again)
    assert again.report == ["name keys for 20 persons"]
    assert not Person.objects.filter(name_keys__isnull=True).exists()
