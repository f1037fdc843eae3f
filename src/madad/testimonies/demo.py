"""Synthetic demo testimonies and consent decisions. Fictitious by construction: every
transcript says it is a demo, names nobody and no party or group; the human-rights
organisations are demo organisations. Consent to referral names the demo partner.

Runs after the incidents loader: testimonies are given by the victims of demo incidents. With
no incidents yet, they are given by demo persons about no incident.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from madad.accounts import services as accounts
from madad.accounts.models import Organisation, User
from madad.accounts.roles import Role
from madad.core.demo import DemoContext, scaled
from madad.incidents.models import Act, Incident
from madad.people.models import Person
from madad.testimonies.models import ConsentPurpose, Language, Testimony
from madad.testimonies.services import consent_give, consent_withdraw, testimony_record

DEMO_TESTIMONIES = 300
RIGHTS_ORGANISATIONS = [
    ("Insaf Human Rights Forum (demo)", "انصاف ہیومن رائٹس فورم (ڈیمو)"),
    ("Haqooq Watch (demo)", "حقوق واچ (ڈیمو)"),
]
LANGUAGES = [
    (Language.URDU, 55),
    (Language.ENGLISH, 12),
    (Language.SINDHI, 10),
    (Language.PASHTO, 9),
    (Language.PUNJABI, 8),
    (Language.BALOCHI, 4),
    (Language.OTHER, 2),
]

# \u06d4 is the Urdu full stop (written as an escape: linters take it for a hyphen).
_URDU = [
    "(ڈیمو بیان — فرضی) میں اس دن دکان پر تھا\u06d4 "
    "دو آدمی آئے، انہوں نے چہرے ڈھانپ رکھے تھے\u06d4",
    "(ڈیمو بیان — فرضی) ہمیں فون پر دھمکیاں ملیں اور پیسوں کا مطالبہ کیا گیا\u06d4",
    "(ڈیمو بیان — فرضی) رات کو گولیوں کی آواز آئی، ہم نے دروازہ بند کر لیا\u06d4",
    "(ڈیمو بیان — فرضی) میرے بھائی کو گاڑی سے اتار کر لے جایا گیا، اس کے بعد کوئی خبر نہیں\u06d4",
]
_ENGLISH = [
    "(Demo statement, fictitious.) I was at the shop that day. Two men came with their faces "
    "covered and asked for the owner.",
    "(Demo statement, fictitious.) We received threatening calls for weeks, demanding money. "
    "We did not report it at first because we were afraid.",
    "(Demo statement, fictitious.) At night we heard shots in the street. In the morning we "
    "learnt that a neighbour had been hit.",
    "(Demo statement, fictitious.) My brother was taken from his car on the way home. We have "
    "had no news of him since.",
]


def _rights_organisations() -> list[Organisation]:
    found = []
    for name, name_ur in RIGHTS_ORGANISATIONS:
        organisation = Organisation.objects.filter(
            name=name
        ).first() or accounts.organisation_create(
            name=name, name_ur=name_ur, kind=Organisation.Kind.HUMAN_RIGHTS
        )
        found.append(organisation)
    return found


def _transcript(rng: random.Random, language: str) -> str:
    if language == Language.URDU:
        return "\n\n".join(rng.sample(_URDU, 2))
    summary = "\n\n".join(rng.sample(_ENGLISH, 2))
    if language == Language.ENGLISH:
        return summary
    return f"[Summary translated into English by the documenter.]\n\n{summary}"


def _givers(context: DemoContext, count: int) -> list[tuple[Person, Incident | None]]:
    acts = list(
        Act.objects.filter(incident__organisation=context.relief)
        .select_related("victim", "incident")
        .order_by("id")[: count * 3]
    )
    if acts:
        return [
            (act.victim, act.incident) for act in context.rng.sample(acts, min(count, len(acts)))
        ]
    persons = list(Person.objects.filter(organisation=context.relief).order_by("id"))
    return [(context.rng.choice(persons), None) for _n in range(count)] if persons else []


def _date_given(rng: random.Random, incident: Incident | None) -> dt.date:
    today = timezone.localdate()
    start = (
        incident.start_date
        if incident
        else dt.date(2008, 1, 1) + dt.timedelta(days=rng.randrange(2500))
    )
    return min(start + dt.timedelta(days=rng.randint(1, 60)), today)


def _consent(
    context: DemoContext,
    person: Person,
    testimony: Testimony,
    given: dt.date,
    recorder: User,
    rights: list[Organisation],
) -> int:
    rng = context.rng
    later = min(given + dt.timedelta(days=rng.randint(30, 400)), timezone.localdate())
    recorded = 0
    plan = [
        (ConsentPurpose.CASE_MANAGEMENT, 0.85),
        (ConsentPurpose.REFERRAL, 0.5),
        (ConsentPurpose.ANONYMISED_PUBLICATION, 0.4),
        (ConsentPurpose.DELEGATION_VIEWING, 0.15),
    ]
    for purpose, share in plan:
        if rng.random() < share:
            partner = context.partner if purpose == ConsentPurpose.REFERRAL else None
            consent_give(
                person=person, purpose=purpose, recipient=partner, date=given, recorded_by=recorder
            )
            recorded += 1
            if rng.random() < 0.1:
                consent_withdraw(
                    person=person,
                    purpose=purpose,
                    recipient=partner,
                    date=later,
                    recorded_by=recorder,
                )
                recorded += 1
    if rng.random() < 0.3:
        recipient = rng.choice(rights)
        consent_give(
            testimony=testimony,
            purpose=ConsentPurpose.HUMAN_RIGHTS_SHARING,
            recipient=recipient,
            date=given,
            recorded_by=recorder,
        )
        recorded += 1
    return recorded


def load(context: DemoContext) -> None:
    if Testimony.objects.filter(organisation=context.relief).exists():
        return
    rights = _rights_organisations()
    givers = _givers(context, scaled(context, DEMO_TESTIMONIES))
    if not givers:
        context.report.append("no testimonies (no persons yet)")
        return
    recorders = [context.users[Role.DOCUMENTER], context.users[Role.CASEWORKER]]
    rng = context.rng
    decisions = 0
    consented: set[int] = set()
    with transaction.atomic():
        for person, incident in givers:
            language = rng.choices([code for code, _w in LANGUAGES], [w for _c, w in LANGUAGES])[0]
            recorder = rng.choice(recorders)
            given = _date_given(rng, incident)
            testimony = testimony_record(
                person=person,
                incident=incident,
                recorded_by=recorder,
                date=given,
                language=language,
                transcript=_transcript(rng, language),
            )
            if person.pk not in consented:
                consented.add(person.pk)
                decisions += _consent(context, person, testimony, given, recorder, rights)
    context.report.append(f"{len(givers)} testimonies, {decisions} consent decisions")
