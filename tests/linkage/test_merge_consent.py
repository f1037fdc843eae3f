"""A merge moves the consent decisions of both records of one human to the kept record; the
database still refuses any other change to a decision."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import DatabaseError, transaction

from madad.accounts.models import User
from madad.linkage.merging import merge_undo, persons_merge
from madad.linkage.models import MergeRecord
from madad.people.models import Person
from madad.testimonies import services as testimony_services
from madad.testimonies.models import ConsentPurpose, ConsentRecord

pytestmark = pytest.mark.django_db


def _consent(person: Person, documenter: User) -> ConsentRecord:
    purpose = next(p for p in ConsentPurpose.values if p not in ("sharing", "referral"))
    return testimony_services.consent_give(
        person=person, purpose=purpose, recorded_by=documenter, date=dt.date(2024, 5, 2)
    )


def test_a_person_who_gave_consent_can_be_merged_and_the_decision_follows(
    documenter: User, ali_roman: Person, ali_urdu: Person
) -> None:
    record = _consent(ali_urdu, documenter)
    persons_merge(kept=ali_roman, merged=ali_urdu, merged_by=documenter)
    record.refresh_from_db()
    assert record.person_id == ali_roman.pk
    merge_undo(merge=MergeRecord.objects.get(), undone_by=documenter)
    record.refresh_from_db()
    assert record.person_id == ali_urdu.pk


def test_the_decision_itself_still_cannot_be_changed_or_deleted(
    documenter: User, ali_urdu: Person
) -> None:
    record = _consent(ali_urdu, documenter)
    with pytest.raises(DatabaseError), transaction.atomic():
        ConsentRecord.objects.filter(pk=record.pk).update(decision="withdrawn")
    with pytest.raises(DatabaseError), transaction.atomic():
        ConsentRecord.objects.filter(pk=record.pk).delete()
