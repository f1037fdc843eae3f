"""One world for the sharing tests: our relief organisation (two coordinators, a caseworker
whose case holds the victim's household), a visiting delegation with a reader, a
human-rights organisation with a reader, an incident with one victim, her testimony and a
photo, and the consent she gave to viewing by a delegation.

`make_grant` makes a grant (approved by the second coordinator unless told otherwise);
`give` and `withdraw` record her consent decisions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from madad.accounts.models import Organisation, User
from madad.accounts.roles import Role
from madad.cases.models import Case
from madad.evidence.models import EvidenceFile
from madad.incidents.models import Act, Incident
from madad.people.models import Person
from madad.sharing import services
from madad.sharing.models import Grant
from madad.testimonies.models import ConsentPurpose, Testimony
from madad.testimonies.services import consent_give, consent_withdraw, testimony_record
from tests.assistance.factories import make_case, make_household, make_incident, make_person
from tests.factories import OrganisationFactory

TODAY = timezone.localdate


@dataclass
class World:
    org: Organisation
    coordinator: User
    approver: User
    caseworker: User
    documenter: User
    delegation: Organisation
    delegate: User
    rights_org: Organisation
    rights_reader: User
    victim: Person
    incident: Incident
    testimony: Testimony
    case: Case


@pytest.fixture
def world(make_user: Callable[..., User], relief_org: Organisation) -> World:
    coordinator = make_user(Role.COORDINATOR, full_name="Coordinator One (test)")
    approver = make_user(Role.COORDINATOR, full_name="Coordinator Two (test)")
    caseworker = make_user(Role.CASEWORKER)
    documenter = make_user(Role.DOCUMENTER)
    delegation = OrganisationFactory.create(
        kind=Organisation.Kind.DELEGATION, name="Fictitious Visiting Delegation"
    )
    delegate = make_user(Role.PARTNER, organisation=delegation, full_name="Delegate (test)")
    rights_org = OrganisationFactory.create(
        kind=Organisation.Kind.HUMAN_RIGHTS, name="Fictitious Rights Watch"
    )
    rights_reader = make_user(Role.PARTNER, organisation=rights_org)
    victim = make_person(relief_org, given_name="Zarina", family_name="Testwali")
    household = make_household(relief_org, caseworker, head=victim)
    case = make_case(caseworker=caseworker, household=household)
    incident = make_incident(relief_org, documenter, public_summary="A shop was burnt (test).")
    Act.objects.create(incident=incident, victim=victim, act_type=Act.Type.PROPERTY_DESTROYED)
    testimony = testimony_record(
        person=victim,
        recorded_by=documenter,
        date=TODAY() - dt.timedelta(days=10),
        language="ur",
        transcript="They came at night and set the shop alight (test transcript).",
        incident=incident,
    )
    consent_give(
        purpose=ConsentPurpose.DELEGATION_VIEWING,
        person=victim,
        recorded_by=caseworker,
        date=TODAY() - dt.timedelta(days=5),
    )
    return World(
        org=relief_org,
        coordinator=coordinator,
        approver=approver,
        caseworker=caseworker,
        documenter=documenter,
        delegation=delegation,
        delegate=delegate,
        rights_org=rights_org,
        rights_reader=rights_reader,
        victim=victim,
        incident=incident,
        testimony=testimony,
        case=case,
    )


@pytest.fixture
def make_grant(world: World) -> Callable[..., Grant]:
    """A grant to the delegation over the world's testimony and incident (and any records
    named, cases included), approved by the second coordinator unless approve=False."""

    def make(
        *,
        approve: bool = True,
        grantee: Organisation | None = None,
        users: list[User] | None = None,
        testimonies: list[Testimony] | None = None,
        incidents: list[Incident] | None = None,
        evidence: list[EvidenceFile] | None = None,
        cases: list[Case] | None = None,
        valid_from: dt.date | None = None,
        valid_until: dt.date | None = None,
        **options: Any,
    ) -> Grant:
        grant = services.grant_create(
            actor=world.coordinator,
            grantee=grantee or world.delegation,
            users=users or [world.delegate],
            purpose="Fact-finding visit on extortion of shopkeepers (test)",
            valid_from=valid_from or TODAY(),
            valid_until=valid_until or TODAY() + dt.timedelta(days=14),
            chosen=services.Chosen(
                testimonies=[t.pk for t in (testimonies or [world.testimony])],
                incidents=[
                    i.pk for i in (incidents if incidents is not None else [world.incident])
                ],
                evidence=[e.pk for e in (evidence or [])],
                cases=[c.pk for c in (cases or [])],
            ),
            share_transcripts=options.pop("share_transcripts", True),
            **options,
        )
        if approve:
            grant = services.grant_approve(grant=grant, actor=world.approver)
        return grant

    return make


def give(world: World, purpose: str = ConsentPurpose.DELEGATION_VIEWING, **kw: Any) -> None:
    consent_give(
        purpose=purpose,
        person=world.victim,
        recorded_by=world.caseworker,
        date=kw.pop("date", TODAY()),
        **kw,
    )


def withdraw(world: World, purpose: str = ConsentPurpose.DELEGATION_VIEWING, **kw: Any) -> None:
    consent_withdraw(
        purpose=purpose,
        person=world.victim,
        recorded_by=world.caseworker,
        date=kw.pop("date", TODAY()),
        **kw,
    )
