"""Demo duplicates: a few demo persons reported a second time, as another source would write
them (in Urdu script only, or with another spelling, a CNIC digit wrong, an age a year off),
and one run of the matcher so that the review queue has something to review."""

from __future__ import annotations

from madad.accounts.roles import Role
from madad.core.demo import DemoContext, scaled
from madad.linkage.models import LinkageRun
from madad.linkage.services import linkage_run_execute
from madad.people.models import Person
from madad.people.services import person_create

DEMO_DUPLICATES = 8


def _second_report(person: Person, n: int) -> dict[str, object]:
    cnic = person.cnic
    if cnic and n % 3 == 0:  # one digit mistyped
        cnic = cnic[:9] + str((int(cnic[9]) + 1) % 10) + cnic[10:]
    data: dict[str, object] = {
        "sex": person.sex,
        "cnic": cnic,
        "age": None if person.age is None else person.age + (n % 2),
        "father_name": person.father_name if n % 2 else "",
    }
    if n % 2:
        data["full_name_ur"] = person.full_name_ur  # the family's account, in Urdu script
    else:
        data.update(given_name=person.given_name.upper(), family_name=person.family_name)
    return data


def load(context: DemoContext) -> None:
    if LinkageRun.objects.filter(organisation=context.relief).exists():
        return
    documenter = context.users[Role.DOCUMENTER]
    persons = list(
        Person.objects.filter(organisation=context.relief, deceased=False).order_by("id")[
            : scaled(context, DEMO_DUPLICATES)
        ]
    )
    for n, person in enumerate(persons):
        person_create(
            organisation=context.relief, created_by=documenter, **_second_report(person, n)
        )
    run = LinkageRun.objects.create(
        organisation=context.relief, kind=LinkageRun.Kind.PERSONS, requested_by=documenter
    )
    run = linkage_run_execute(run_id=run.pk, workers=1)
    context.report.append(f"{len(persons)} duplicate persons, {run.pairs_found} pairs to review")
