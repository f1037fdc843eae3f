"""The access policy asks consent in SQL (access.sharing.with_consent_in_force), so that a
grant of any size is one query; testimonies.services.consent_covers asks it record by record.
Both must give the same answer: here, over seeded random histories of decisions (given and
withdrawn, about all records or one testimony, for a delegation or a named human-rights
organisation, in any order of dates, some on the same day)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

import pytest
from django.utils import timezone

from madad.access.sharing import ids_in_force
from madad.accounts.models import Organisation
from madad.incidents.models import Act
from madad.people.models import Person
from madad.sharing.models import Grant, GrantedRecord
from madad.testimonies import models as testimony_models
from madad.testimonies import services as testimonies
from madad.testimonies.models import ConsentDecision, ConsentPurpose, ConsentRecord
from madad.testimonies.services import consent_covers
from tests.assistance.factories import make_person
from tests.sharing.conftest import World

pytestmark = pytest.mark.django_db

HRS = ConsentPurpose.HUMAN_RIGHTS_SHARING
DELEGATION = ConsentPurpose.DELEGATION_VIEWING


def _decide(
    world: World,
    rng: random.Random,
    person: Person,
    testimony: testimony_models.Testimony,
    other: Organisation,
) -> None:
    """A few decisions of the person in a random order of dates (rows straight into the table:
    the services refuse some histories, e.g. a withdrawal of nothing, that old data may hold)."""
    today = timezone.localdate()
    for _ in range(rng.randint(0, 4)):
        purpose = rng.choice([HRS, DELEGATION])
        recipient = None
        if purpose == HRS:
            recipient = rng.choice([world.rights_org, other])
        ConsentRecord.objects.create(
            organisation=world.org,
            person=person,
            testimony=testimony if rng.random() < 0.4 else None,
            purpose=purpose,
            recipient=recipient,
            decision=rng.choice([ConsentDecision.GIVEN, ConsentDecision.WITHDRAWN]),
            date=today - dt.timedelta(days=rng.randint(-1, 3)),
            recorded_by=world.caseworker,
        )


@pytest.mark.parametrize("seed", range(12))
def test_the_sql_rule_agrees_with_the_services_rule(
    world: World, make_grant: Callable[..., Grant], seed: int
) -> None:
    rng = random.Random(seed)
    other = Organisation.objects.create(name=f"Another rights body {seed}", kind="human_rights")
    # a grant of each purpose over the world's records (made while consent holds for both)
    ConsentRecord.objects.create(
        organisation=world.org,
        person=world.victim,
        purpose=HRS,
        recipient=world.rights_org,
        decision=ConsentDecision.GIVEN,
        date=timezone.localdate() - dt.timedelta(days=30),
        recorded_by=world.caseworker,
    )
    second = make_person(world.org, given_name="Second", cnic=f"99999-00000{seed:02d}-1")
    Act.objects.create(incident=world.incident, victim=second, act_type=Act.Type.INJURED)
    testimony2 = testimonies.testimony_record(
        person=second,
        recorded_by=world.documenter,
        date=timezone.localdate(),
        language="ur",
        transcript="Second statement (test)",
    )
    for person in (world.victim, second):
        ConsentRecord.objects.create(
            organisation=world.org,
            person=person,
            purpose=DELEGATION,
            decision=ConsentDecision.GIVEN,
            date=timezone.localdate() - dt.timedelta(days=30),
            recorded_by=world.caseworker,
        )
        ConsentRecord.objects.create(
            organisation=world.org,
            person=person,
            purpose=HRS,
            recipient=world.rights_org,
            decision=ConsentDecision.GIVEN,
            date=timezone.localdate() - dt.timedelta(days=30),
            recorded_by=world.caseworker,
        )
    grants = [
        make_grant(testimonies=[world.testimony, testimony2]),
        make_grant(
            grantee=world.rights_org,
            users=[world.rights_reader],
            testimonies=[world.testimony, testimony2],
        ),
    ]
    _decide(world, rng, world.victim, world.testimony, other)
    _decide(world, rng, second, testimony2, other)
    for grant in grants:
        recipient = world.rights_org if grant.consent_purpose == HRS else None
        expected = set()
        for record in grant.records.all():
            if record.kind == GrantedRecord.Kind.TESTIMONY:
                ok = consent_covers(
                    purpose=grant.consent_purpose, testimony=record.testimony, recipient=recipient
                )
            else:
                ok = all(
                    consent_covers(purpose=grant.consent_purpose, person=p, recipient=recipient)
                    for p in (world.victim, second)
                )
            if ok:
                expected.add(record.pk)
        assert ids_in_force(grant) == expected, (seed, grant.consent_purpose)
