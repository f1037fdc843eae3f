"""Consent: given, withdrawn, for whom; consent_covers answers from the latest decision."""

from __future__ import annotations

import datetime as dt
from importlib import import_module
from types import SimpleNamespace

import pytest
from django.db import DatabaseError, connection, transaction

from madad.accounts.models import Organisation, User
from madad.core import append_only
from madad.core.models import AuditEvent
from madad.core.refusals import Invalid
from madad.people.models import Person
from madad.testimonies.models import ConsentPurpose, ConsentRecord
from madad.testimonies.services import (
    consent_covers,
    consent_give,
    consent_recipients_covered,
    consent_withdraw,
)
from tests.evidence.factories import make_person, make_testimony, refused
from tests.factories import OrganisationFactory
from tests.testimonies.conftest import legacy_referral_consent

pytestmark = pytest.mark.django_db

CASE = ConsentPurpose.CASE_MANAGEMENT
SHARING = ConsentPurpose.HUMAN_RIGHTS_SHARING
REFERRAL = ConsentPurpose.REFERRAL
D1, D2, D3 = dt.date(2013, 1, 10), dt.date(2013, 2, 10), dt.date(2013, 3, 10)


@pytest.fixture
def person(relief_org: Organisation) -> Person:
    return make_person(organisation=relief_org)


@pytest.fixture
def rights_x() -> Organisation:
    return OrganisationFactory.create(name="Rights Watch X", kind=Organisation.Kind.HUMAN_RIGHTS)


@pytest.fixture
def rights_y() -> Organisation:
    return OrganisationFactory.create(name="Rights Forum Y", kind=Organisation.Kind.HUMAN_RIGHTS)


def test_nothing_is_covered_before_any_consent(person: Person) -> None:
    assert not any(consent_covers(person=person, purpose=p) for p in ConsentPurpose.values)


def test_given_consent_covers_its_purpose_only(person: Person, documenter: User) -> None:
    consent_give(person=person, purpose=CASE, date=D1, recorded_by=documenter)
    assert consent_covers(person=person, purpose=CASE)
    assert not consent_covers(person=person, purpose=ConsentPurpose.REFERRAL)


def test_withdrawn_consent_stops_covering(person: Person, documenter: User) -> None:
    consent_give(person=person, purpose=CASE, date=D1, recorded_by=documenter)
    consent_withdraw(person=person, purpose=CASE, date=D2, recorded_by=documenter)
    assert not consent_covers(person=person, purpose=CASE)
    assert consent_covers(person=person, purpose=CASE, on=D1)  # what held on the day


def test_a_withdrawal_is_a_new_row_and_the_history_is_kept(
    person: Person, documenter: User
) -> None:
    given = consent_give(person=person, purpose=CASE, date=D1, recorded_by=documenter)
    withdrawn = consent_withdraw(person=person, purpose=CASE, date=D2, recorded_by=documenter)
    assert withdrawn.pk != given.pk
    given.refresh_from_db()
    assert given.decision == "given"
    assert [r.decision for r in ConsentRecord.objects.order_by("id")] == ["given", "withdrawn"]
    assert [
        e.action for e in AuditEvent.objects.filter(action__startswith="consent.").order_by("id")
    ] == ["consent.given", "consent.withdrawn"]


def test_the_database_refuses_to_rewrite_a_consent_decision(
    person: Person, documenter: User
) -> None:
    given = consent_give(person=person, purpose=CASE, date=D1, recorded_by=documenter)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        ConsentRecord.objects.filter(pk=given.pk).update(decision="withdrawn")
    given.refresh_from_db()
    assert given.decision == "given"


def test_the_database_refuses_to_delete_a_consent_decision(
    person: Person, documenter: User
) -> None:
    given = consent_give(person=person, purpose=CASE, date=D1, recorded_by=documenter)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        ConsentRecord.objects.filter(pk=given.pk).delete()
    assert ConsentRecord.objects.filter(pk=given.pk).exists()


def test_the_migration_installs_the_guard(person: Person, documenter: User) -> None:
    given = consent_give(person=person, purpose=CASE, date=D1, recorded_by=documenter)
    append_only.registered_guard("testimonies_consentrecord").remove(connection)
    migration = import_module("madad.testimonies.migrations.0004_consent_append_only_guard")
    editor = SimpleNamespace(connection=connection)
    for operation in migration.Migration.operations:
        operation.code(None, editor)
    for change in (
        lambda: ConsentRecord.objects.filter(pk=given.pk).update(decision="withdrawn"),
        lambda: ConsentRecord.objects.filter(pk=given.pk).delete(),
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            change()


def test_consent_given_again_after_a_withdrawal_covers_again(
    person: Person, documenter: User
) -> None:
    consent_give(person=person, purpose=CASE, date=D1, recorded_by=documenter)
    consent_withdraw(person=person, purpose=CASE, date=D2, recorded_by=documenter)
    consent_give(person=person, purpose=CASE, date=D3, recorded_by=documenter)
    assert consent_covers(person=person, purpose=CASE)
    assert not consent_covers(person=person, purpose=CASE, on=D2)


def test_consent_for_organisation_x_does_not_cover_organisation_y(
    person: Person, documenter: User, rights_x: Organisation, rights_y: Organisation
) -> None:
    consent_give(
        person=person, purpose=SHARING, recipient=rights_x, date=D1, recorded_by=documenter
    )
    assert consent_covers(person=person, purpose=SHARING, recipient=rights_x)
    assert not consent_covers(person=person, purpose=SHARING, recipient=rights_y)
    assert not consent_covers(person=person, purpose=SHARING)  # no recipient, no cover


def test_withdrawing_from_x_leaves_y_covered(
    person: Person, documenter: User, rights_x: Organisation, rights_y: Organisation
) -> None:
    for org in (rights_x, rights_y):
        consent_give(person=person, purpose=SHARING, recipient=org, date=D1, recorded_by=documenter)
    consent_withdraw(
        person=person, purpose=SHARING, recipient=rights_x, date=D2, recorded_by=documenter
    )
    assert not consent_covers(person=person, purpose=SHARING, recipient=rights_x)
    assert consent_covers(person=person, purpose=SHARING, recipient=rights_y)


def test_sharing_needs_a_named_human_rights_organisation(
    person: Person, documenter: User, partner_org: Organisation
) -> None:
    with pytest.raises(Invalid) as missing:
        consent_give(person=person, purpose=SHARING, date=D1, recorded_by=documenter)
    assert "recipient" in missing.value.fields
    with refused("Choose a human-rights organisation"):
        consent_give(
            person=person, purpose=SHARING, recipient=partner_org, date=D1, recorded_by=documenter
        )
    assert not ConsentRecord.objects.exists()


def test_other_purposes_name_no_recipient(
    person: Person, documenter: User, rights_x: Organisation
) -> None:
    with refused("names a recipient"):
        consent_give(
            person=person, purpose=CASE, recipient=rights_x, date=D1, recorded_by=documenter
        )
    assert not ConsentRecord.objects.exists()


def test_the_database_refuses_sharing_consent_without_a_recipient(
    person: Person, documenter: User
) -> None:
    with pytest.raises(DatabaseError), transaction.atomic():
        ConsentRecord.objects.create(
            organisation=person.organisation,
            person=person,
            purpose=SHARING,
            decision="given",
            date=D1,
            recorded_by=documenter,
        )


@pytest.mark.parametrize("kind", ["ngo", "legal_aid", "hospital", "human_rights"])
def test_consent_to_referral_names_a_partner_of_any_kind(
    person: Person, documenter: User, kind: str
) -> None:
    partner = OrganisationFactory.create(kind=kind)
    consent_give(
        person=person, purpose=REFERRAL, recipient=partner, date=D1, recorded_by=documenter
    )
    assert consent_covers(person=person, purpose=REFERRAL, recipient=partner)
    assert ConsentRecord.objects.get().recipient == partner


def test_consent_to_referral_without_a_partner_or_to_a_relief_organisation_is_refused(
    person: Person,
    documenter: User,
    relief_org: Organisation,
    other_relief_org: Organisation,
) -> None:
    with refused("Name the partner organisation"):
        consent_give(person=person, purpose=REFERRAL, date=D1, recorded_by=documenter)
    for relief in (relief_org, other_relief_org):
        with refused("Choose one of the partner organisations"):
            consent_give(
                person=person, purpose=REFERRAL, recipient=relief, date=D1, recorded_by=documenter
            )
    assert not ConsentRecord.objects.exists()


def test_consent_to_referral_to_partner_x_does_not_cover_partner_y(
    person: Person, documenter: User, partner_org: Organisation, rights_x: Organisation
) -> None:
    consent_give(
        person=person, purpose=REFERRAL, recipient=partner_org, date=D1, recorded_by=documenter
    )
    assert consent_covers(person=person, purpose=REFERRAL, recipient=partner_org)
    assert not consent_covers(person=person, purpose=REFERRAL, recipient=rights_x)
    assert not consent_covers(person=person, purpose=REFERRAL)  # no partner, no cover
    # consent to referral is not consent to share the testimonies, nor the other way round
    assert not consent_covers(person=person, purpose=SHARING, recipient=rights_x)


def test_withdrawing_referral_to_one_partner_leaves_the_other_covered(
    person: Person, documenter: User, partner_org: Organisation, rights_x: Organisation
) -> None:
    for org in (partner_org, rights_x):
        consent_give(
            person=person, purpose=REFERRAL, recipient=org, date=D1, recorded_by=documenter
        )
    assert consent_recipients_covered(purpose=REFERRAL, person=person) == sorted(
        [partner_org, rights_x], key=lambda o: o.name
    )
    consent_withdraw(
        person=person, purpose=REFERRAL, recipient=partner_org, date=D2, recorded_by=documenter
    )
    assert not consent_covers(person=person, purpose=REFERRAL, recipient=partner_org)
    assert consent_covers(person=person, purpose=REFERRAL, recipient=rights_x)
    assert consent_recipients_covered(purpose=REFERRAL, person=person) == [rights_x]
    assert consent_recipients_covered(purpose=REFERRAL, person=person, on=D1) == sorted(
        [partner_org, rights_x], key=lambda o: o.name
    )
    with refused("no consent in force"):
        consent_withdraw(
            person=person, purpose=REFERRAL, recipient=partner_org, date=D3, recorded_by=documenter
        )


def test_the_database_refuses_referral_consent_without_a_partner(
    person: Person, documenter: User
) -> None:
    with pytest.raises(DatabaseError, match="names its partner"), transaction.atomic():
        ConsentRecord.objects.create(
            organisation=person.organisation,
            person=person,
            purpose=REFERRAL,
            decision="given",
            date=D1,
            recorded_by=documenter,
        )


def test_old_referral_consent_naming_no_partner_covers_none(
    person: Person, documenter: User, partner_org: Organisation
) -> None:
    legacy_referral_consent(person, documenter, D1)
    assert not consent_covers(person=person, purpose=REFERRAL, recipient=partner_org)
    assert not consent_covers(person=person, purpose=REFERRAL)
    assert consent_recipients_covered(purpose=REFERRAL, person=person) == []
    with refused("no consent in force"):
        consent_withdraw(
            person=person, purpose=REFERRAL, recipient=partner_org, date=D2, recorded_by=documenter
        )
    # recorded again, naming the partner, it covers that partner
    consent_give(
        person=person, purpose=REFERRAL, recipient=partner_org, date=D2, recorded_by=documenter
    )
    assert consent_covers(person=person, purpose=REFERRAL, recipient=partner_org)


def test_nothing_to_withdraw_is_refused(person: Person, documenter: User) -> None:
    with refused("no consent in force"):
        consent_withdraw(person=person, purpose=CASE, date=D1, recorded_by=documenter)
    assert not ConsentRecord.objects.exists()


def test_a_decision_dated_in_the_future_is_refused(person: Person, documenter: User) -> None:
    with refused("cannot be in the future"):
        consent_give(
            person=person,
            purpose=CASE,
            date=dt.date.today() + dt.timedelta(days=2),
            recorded_by=documenter,
        )


def test_a_person_of_another_organisation_is_refused(
    other_relief_org: Organisation, documenter: User
) -> None:
    theirs = make_person(organisation=other_relief_org)
    with refused("not one of your organisation"):
        consent_give(person=theirs, purpose=CASE, date=D1, recorded_by=documenter)


def test_a_persons_consent_covers_each_of_their_testimonies(
    person: Person, documenter: User
) -> None:
    testimony = make_testimony(person=person, user=documenter)
    consent_give(
        person=person,
        purpose=ConsentPurpose.ANONYMISED_PUBLICATION,
        date=D1,
        recorded_by=documenter,
    )
    assert consent_covers(testimony=testimony, purpose=ConsentPurpose.ANONYMISED_PUBLICATION)


def test_withdrawing_for_one_testimony_leaves_the_others_covered(
    person: Person, documenter: User
) -> None:
    first, second = (make_testimony(person=person, user=documenter) for _ in range(2))
    consent_give(person=person, purpose=CASE, date=D1, recorded_by=documenter)
    consent_withdraw(testimony=first, purpose=CASE, date=D2, recorded_by=documenter)
    assert not consent_covers(testimony=first, purpose=CASE)
    assert consent_covers(testimony=second, purpose=CASE)
    assert consent_covers(person=person, purpose=CASE)


def test_withdrawing_everything_ends_consent_given_for_one_testimony(
    person: Person, documenter: User, rights_x: Organisation
) -> None:
    testimony = make_testimony(person=person, user=documenter)
    consent_give(
        testimony=testimony, purpose=SHARING, recipient=rights_x, date=D1, recorded_by=documenter
    )
    assert consent_covers(testimony=testimony, purpose=SHARING, recipient=rights_x)
    assert not consent_covers(person=person, purpose=SHARING, recipient=rights_x)
    consent_give(
        person=person, purpose=SHARING, recipient=rights_x, date=D1, recorded_by=documenter
    )
    consent_withdraw(
        person=person, purpose=SHARING, recipient=rights_x, date=D2, recorded_by=documenter
    )
    assert not consent_covers(testimony=testimony, purpose=SHARING, recipient=rights_x)


def test_an_unknown_purpose_covers_nothing(person: Person, documenter: User) -> None:
    consent_give(person=person, purpose=CASE, date=D1, recorded_by=documenter)
    assert not consent_covers(person=person, purpose="anything")


def test_naming_both_or_neither_a_person_and_a_testimony_is_a_programming_error(
    person: Person,
) -> None:
    with pytest.raises(TypeError):
        consent_covers(purpose=CASE)
