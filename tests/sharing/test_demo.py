"""The demo grant: a fictitious delegation and its delegate read a few demo testimonies and
incidents under their consent, one testimony is left out for lack of it, and a second run adds
nothing."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from pytest_django import Settings

from madad import access
from madad.accounts.demo import demo_email, load_users
from madad.accounts.models import Organisation, User
from madad.accounts.roles import Role
from madad.core.demo import DemoContext
from madad.incidents.models import Act
from madad.sharing import demo
from madad.sharing.models import Grant, GrantedRecord
from madad.testimonies import demo as testimonies_demo
from madad.testimonies.models import ConsentPurpose
from madad.testimonies.services import consent_covers
from tests.evidence.factories import make_incident, make_person

pytestmark = pytest.mark.django_db


PASSWORD = "demo password for tests"


def _context(scale: float = 0.1) -> DemoContext:
    relief, partner = load_users(password=PASSWORD)
    users = {role: User.objects.get(email=demo_email(role)) for role in Role.values}
    return DemoContext(relief=relief, partner=partner, users=users, scale=scale)


def _testimonies(context: DemoContext, count: int = 12) -> None:
    documenter = context.users[Role.DOCUMENTER]
    for n in range(count):
        incident = make_incident(organisation=context.relief, user=documenter, title=f"Demo {n}")
        victim = make_person(organisation=context.relief, cnic=f"99999{n:07d}1")
        Act.objects.create(incident=incident, victim=victim, act_type="threatened")
    testimonies_demo.load(context)


@pytest.fixture
def loaded(settings: Settings) -> DemoContext:
    settings.REQUIRE_MFA = False  # as in demo mode
    context = _context()
    _testimonies(context)
    demo.load(context)
    return context


def test_the_demo_gives_a_fictitious_delegation_an_approved_grant_in_force(
    loaded: DemoContext,
) -> None:
    delegation = Organisation.objects.get(kind=Organisation.Kind.DELEGATION)
    assert "Fictitious" in delegation.name and "(demo)" in delegation.name
    delegate = User.objects.get(email="delegate@demo.madad")
    assert delegate.organisation == delegation and delegate.role == Role.PARTNER
    grant = Grant.objects.get(grantee=delegation)
    assert grant.status == Grant.Status.APPROVED and grant.in_force_on(grant.created_at.date())
    assert grant.consent_purpose == ConsentPurpose.DELEGATION_VIEWING
    assert grant.share_transcripts and grant.downloads_allowed
    assert (grant.valid_until - grant.valid_from).days == 28
    assert grant.created_by == loaded.users[Role.COORDINATOR]
    assert grant.decided_by is not None and grant.decided_by.role == Role.COORDINATOR
    assert grant.decided_by != grant.created_by
    assert list(grant.users.all()) == [delegate]
    assert grant.left_out == 1


def test_the_delegate_sees_the_granted_records_whose_people_consented(
    loaded: DemoContext,
) -> None:
    delegate = User.objects.get(email="delegate@demo.madad")
    seen = access.visible_to(delegate, GrantedRecord)
    kinds = set(seen.values_list("kind", flat=True))
    assert kinds == {GrantedRecord.Kind.TESTIMONY, GrantedRecord.Kind.INCIDENT}
    assert seen.count() == GrantedRecord.objects.count()
    for record in seen.filter(kind=GrantedRecord.Kind.TESTIMONY).select_related("testimony"):
        assert record.testimony is not None
        assert consent_covers(purpose=ConsentPurpose.DELEGATION_VIEWING, testimony=record.testimony)


def test_the_demo_users_and_organisations_are_named_as_fictitious(
    loaded: DemoContext,
) -> None:
    for user in User.objects.filter(email__in=["delegate@demo.madad", "coordinator2@demo.madad"]):
        assert user.email.endswith("@demo.madad")
        assert "Demo" in user.full_name
        assert user.check_password(PASSWORD)  # every demo user's
    for organisation in Organisation.objects.all():
        assert "demo" in organisation.name.lower() or "Fictitious" in organisation.name


def test_running_the_demo_again_adds_no_grant_and_no_user(loaded: DemoContext) -> None:
    users = User.objects.count()
    demo.load(_context())
    assert Grant.objects.count() == 1
    assert User.objects.count() == users
    assert Organisation.objects.filter(kind=Organisation.Kind.DELEGATION).count() == 1


def test_where_two_factor_is_required_the_delegate_is_named_before_setting_it_up(
    settings: Settings,
) -> None:
    settings.REQUIRE_MFA = True
    context = _context()
    _testimonies(context)
    demo.load(context)
    grant = Grant.objects.get()
    delegate = User.objects.get(email="delegate@demo.madad")
    assert list(grant.users.all()) == [delegate] and grant.left_out == 1
    assert not Authenticator.objects.filter(user=delegate).exists()  # asked at first sign-in
    assert settings.REQUIRE_MFA  # lifted for the demo's grant only


def test_without_testimonies_the_demo_makes_no_grant(settings: Settings) -> None:
    settings.REQUIRE_MFA = False
    context = _context()
    demo.load(context)
    assert not Grant.objects.exists()
    assert context.report == ["no grant to the demo delegation (too few testimonies)"]
