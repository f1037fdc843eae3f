"""A synthetic demo grant to a visiting delegation. Fictitious by construction: the delegation
is a demo organisation named as one, its reader is delegate@demo.madad, and what it reads are
the demo's own testimonies and incidents.

The delegation reads a few testimonies (their texts shared) and the incidents they tell of,
from a week ago to three weeks ahead, downloads allowed. The people in them consented to
viewing by a delegation: where the testimonies' demo did not record it, the demo caseworker
records it now. One more testimony, whose giver never consented, is chosen too and left out
(the grant counts it, `left_out`). The demo coordinator creates the grant; a second demo
coordinator, made here, approves it. Where two-factor sign-in is required the delegate is
named before setting it up, and sets it up at the first sign-in, like every demo user.

Runs after the testimonies loader (and the referrals', whose consents it leaves alone); with
fewer than two testimonies it adds no grant. Idempotent: the users are made once (their
password reset to the other demo users' at every run), the grant once. Draws from its own
seeded random source, so that adding it changes nothing in the loaders after it.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from madad.accounts import services as accounts
from madad.accounts.models import Organisation, User
from madad.accounts.roles import Role
from madad.core.audit import audit_record
from madad.core.demo import DemoContext
from madad.incidents.models import Act
from madad.people.models import Person
from madad.sharing import services
from madad.sharing.models import Grant
from madad.testimonies.models import ConsentPurpose, Testimony
from madad.testimonies.services import consent_covers, consent_give

DELEGATION_NAME = "Fictitious Fact-Finding Delegation (demo)"
DELEGATION_NAME_UR = "فرضی حقائق جاننے والا وفد (ڈیمو)"
DELEGATE_EMAIL = "delegate@demo.madad"
SECOND_COORDINATOR_EMAIL = "coordinator2@demo.madad"
PURPOSE = (
    "(Demo) Fact-finding visit on threats and extortion against shopkeepers: the delegation "
    "reads these testimonies and incidents before it meets the families who agree to it."
)
SHARED_TESTIMONIES = 4
# incidents with more victims than this are not shared (each victim must consent)
MOST_VICTIMS = 3
SEED = 1508

_DELEGATION = ConsentPurpose.DELEGATION_VIEWING


def _user(email: str, full_name: str, role: str, organisation: Organisation, like: User) -> User:
    """The demo user, made once (demo mode only: no invitation, no second person), with the
    password every demo user has (copied from `like`, whose password `madad demo` has just
    set)."""
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email, full_name=full_name, organisation=organisation, role=role
        )
        audit_record(
            action="user.created",
            obj=user,
            organisation=organisation,
            fields=["email", "full_name", "role"],
        )
    user.role = role
    user.password = like.password
    user.failed_signins, user.locked_until = 0, None
    user.save(update_fields=["role", "password", "failed_signins", "locked_until"])
    return user


def _delegation() -> Organisation:
    return Organisation.objects.filter(
        name=DELEGATION_NAME
    ).first() or accounts.organisation_create(
        name=DELEGATION_NAME, name_ur=DELEGATION_NAME_UR, kind=Organisation.Kind.DELEGATION
    )


def _consents(person: Person, worker: User, rng: random.Random) -> None:
    """Records the person's consent to viewing by a delegation unless it is in force."""
    if consent_covers(purpose=_DELEGATION, person=person):
        return
    today = timezone.localdate()
    consent_give(
        purpose=_DELEGATION,
        person=person,
        recorded_by=worker,
        date=today - dt.timedelta(days=rng.randint(8, 30)),
    )
    if not consent_covers(purpose=_DELEGATION, person=person):
        # a withdrawal recorded by the testimonies' demo is later than that consent
        consent_give(purpose=_DELEGATION, person=person, recorded_by=worker, date=today)


def _victims(incident_id: int) -> list[Person]:
    acts = Act.objects.filter(incident_id=incident_id).select_related("victim").order_by("id")
    return list({act.victim_id: act.victim for act in acts}.values())


def _choose(
    context: DemoContext, rng: random.Random
) -> tuple[list[Testimony], list[int], Testimony] | None:
    """The testimonies and incidents to share (their people's consent recorded where
    missing) and one testimony to leave out; None when there are too few testimonies."""
    testimonies = list(
        Testimony.objects.filter(organisation=context.relief)
        .select_related("person")
        .order_by("id")
    )
    if len(testimonies) < 2:
        return None
    rng.shuffle(testimonies)
    worker = context.users[Role.CASEWORKER]
    shared: list[Testimony] = []
    incidents: list[int] = []
    consented: set[int] = set()
    for testimony in testimonies[:-1]:  # the last is kept to be left out
        if len(shared) >= SHARED_TESTIMONIES:
            break
        incident = testimony.incident_id
        victims = [] if incident is None else _victims(incident)
        if len(victims) > MOST_VICTIMS:
            incident, victims = None, []
        for person in [testimony.person, *victims]:
            if person.pk not in consented:
                _consents(person, worker, rng)
                consented.add(person.pk)
        shared.append(testimony)
        if incident is not None and victims and incident not in incidents:
            incidents.append(incident)
    left_out = next(
        (
            testimony
            for testimony in reversed(testimonies)
            if testimony.person_id not in consented
            and not consent_covers(purpose=_DELEGATION, testimony=testimony)
        ),
        None,
    )
    return None if left_out is None else (shared, incidents, left_out)


def load(context: DemoContext) -> None:
    delegation = _delegation()
    delegate = _user(
        DELEGATE_EMAIL,
        "Demo Delegate (fictitious)",
        Role.PARTNER,
        delegation,
        like=context.users[Role.PARTNER],
    )
    coordinator = context.users[Role.COORDINATOR]
    approver = _user(
        SECOND_COORDINATOR_EMAIL,
        "Demo Coordinator (second)",
        Role.COORDINATOR,
        context.relief,
        like=coordinator,
    )
    if Grant.objects.filter(organisation=context.relief, grantee=delegation).exists():
        return
    rng = random.Random(SEED)
    today = timezone.localdate()
    with transaction.atomic():
        chosen = _choose(context, rng)
        if chosen is None:
            transaction.set_rollback(True)  # no consent recorded for a grant not made
            context.report.append("no grant to the demo delegation (too few testimonies)")
            return
        shared, incidents, left_out = chosen
        # Demo accounts have not set up two-factor sign-in when the demo is loaded; the
        # delegate cannot read anything before doing so at the first sign-in
        # (accounts.middleware; API tokens ask for a code).
        grant = services.grant_create(
            readers_enrolled_later=True,
            actor=coordinator,
            grantee=delegation,
            users=[delegate],
            purpose=PURPOSE,
            valid_from=today - dt.timedelta(days=7),
            valid_until=today + dt.timedelta(days=21),
            chosen=services.Chosen(
                testimonies=[t.pk for t in [*shared, left_out]], incidents=incidents
            ),
            share_transcripts=True,
            share_descriptions=False,
            downloads_allowed=True,
        )
        services.grant_approve(grant=grant, actor=approver)
    context.report.append(
        f"1 grant to the demo delegation ({len(shared)} testimonies, {len(incidents)} "
        f"incidents; {grant.left_out} left out for lack of consent)"
    )
