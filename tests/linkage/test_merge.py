"""Merging two records of one person keeps everything of both; undo restores both exactly."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from madad.accounts.models import Organisation, User
from madad.core.models import AuditEvent
from madad.core.refusals import Conflict
from madad.households.models import Member
from madad.incidents import services as incident_services
from madad.incidents.models import Act, Source
from madad.linkage.merging import merge_undo, person_relations, persons_merge
from madad.linkage.models import Decision, MergeRecord, PersonMatchKey, PersonPair, PersonRecordId
from madad.people.models import Person, PersonNameKey
from madad.people.services import person_update
from madad.testimonies import services as testimony_services
from tests.households.factories import make_household
from tests.incidents.factories import Gazetteer, record_incident
from tests.linkage.conftest import make_person

pytestmark = pytest.mark.django_db


def _state(person_ids: list[int]) -> dict[str, Any]:
    """Everything about these persons: their rows (decrypted), who every related row points
    at, and their name keys. (Match keys are an index the merge builds where none was yet:
    they are checked on their own.)"""
    rows = {
        p.pk: {f.attname: f.value_from_object(p) for f in Person._meta.concrete_fields}
        for p in Person.objects.filter(pk__in=person_ids)
    }
    pointers = {}
    for relation in person_relations():
        manager = relation.model._base_manager
        pointers[relation.label] = sorted(
            manager.filter(**{f"{relation.field}__in": person_ids}).values_list(
                "pk", relation.field
            )
        )
    keys = sorted(
        PersonNameKey.objects.filter(person_id__in=person_ids).values_list(
            "person_id", "purpose", "key"
        )
    )
    return {"rows": rows, "pointers": pointers, "name_keys": keys}


@pytest.fixture
def history(
    documenter: User, places: Gazetteer, ali_roman: Person, ali_urdu: Person
) -> SimpleNamespace:
    """The two records of Ali, each with a life in Madad: a victim in one incident, a source
    in another, a household member, a testimony, an imported record id."""
    shot = record_incident(
        by=documenter,
        place=places.orchard,
        perpetrator=False,
        acts=[{"victim": ali_roman, "act_type": "injured"}],
    )
    threat = record_incident(
        by=documenter,
        place=places.harbour,
        perpetrator=False,
        title="Threatened at his shop",
        acts=[{"victim": ali_urdu, "act_type": "threatened"}],
    )
    incident_services.source_add(incident=shot, added_by=documenter, kind="family", person=ali_urdu)
    household = make_household(by=documenter, head=ali_urdu)
    testimony = testimony_services.testimony_record(
        person=ali_urdu,
        recorded_by=documenter,
        date=dt.date(2024, 5, 2),
        language="ur",
        transcript="TESTIMONY he was threatened twice",
    )
    PersonRecordId.objects.create(
        organisation=documenter.organisation, person=ali_urdu, record_id="fir-17"
    )
    return SimpleNamespace(shot=shot, threat=threat, household=household, testimony=testimony)


def test_a_merge_keeps_every_role_of_both_on_the_kept_person(
    documenter: User,
    ali_roman: Person,
    ali_urdu: Person,
    history: SimpleNamespace,
) -> None:
    persons_merge(kept=ali_roman, merged=ali_urdu, merged_by=documenter)
    assert not Person.objects.filter(pk=ali_urdu.pk).exists()
    assert set(Act.objects.filter(victim=ali_roman).values_list("incident_id", flat=True)) == {
        history.shot.pk,
        history.threat.pk,
    }
    assert Source.objects.filter(person=ali_roman, incident=history.shot).exists()
    assert Member.objects.get(household=history.household, relation="head").person == ali_roman
    history.household.refresh_from_db()
    assert history.household.head_id == ali_roman.pk
    history.testimony.refresh_from_db()
    assert history.testimony.person_id == ali_roman.pk
    assert PersonRecordId.objects.get(record_id="fir-17").person_id == ali_roman.pk


def test_the_kept_person_gains_what_only_the_other_had_and_both_spellings(
    documenter: User,
    ali_roman: Person,
    ali_urdu: Person,
) -> None:
    persons_merge(kept=ali_roman, merged=ali_urdu, merged_by=documenter)
    ali_roman.refresh_from_db()
    assert ali_roman.full_name_ur == "محمد علی خان"
    assert ali_roman.date_of_birth == "1985-05-01"
    assert ali_roman.cnic == "4210112345671"  # its own CNIC stays
    assert "محمد علی خان" not in ali_roman.aliases  # it became the Urdu name itself
    assert ali_roman.given_name == "Mohd. Ali"


def test_the_other_spelling_becomes_an_alias_so_search_finds_both(
    relief_org: Organisation,
    documenter: User,
) -> None:
    kept = make_person(relief_org, documenter, given_name="Zubair", family_name="Qureshi")
    other = make_person(relief_org, documenter, given_name="Zubayr", family_name="Quraishi")
    persons_merge(kept=kept, merged=other, merged_by=documenter)
    kept.refresh_from_db()
    assert kept.aliases == "Zubayr Quraishi"


def test_undo_restores_both_persons_and_every_pointer_exactly(
    documenter: User,
    ali_roman: Person,
    ali_urdu: Person,
    history: SimpleNamespace,
    pair: PersonPair,
) -> None:
    before = _state([ali_roman.pk, ali_urdu.pk])
    merge = persons_merge(kept=ali_roman, merged=ali_urdu, merged_by=documenter, pair=pair)
    assert _state([ali_roman.pk, ali_urdu.pk]) != before
    merge_undo(merge=merge, undone_by=documenter)
    assert _state([ali_roman.pk, ali_urdu.pk]) == before
    merge.refresh_from_db()
    assert merge.undone
    pair.refresh_from_db()
    assert pair.status == Decision.PENDING  # back in the queue, to be decided again
    # both are found by the duplicate check again
    assert {ali_roman.pk, ali_urdu.pk} <= set(
        PersonMatchKey.objects.values_list("person_id", flat=True)
    )


def test_the_snapshot_of_a_merge_is_encrypted_at_rest(
    documenter: User,
    ali_roman: Person,
    ali_urdu: Person,
) -> None:
    from django.db import connection

    merge = persons_merge(kept=ali_roman, merged=ali_urdu, merged_by=documenter)
    with connection.cursor() as cursor:
        cursor.execute("SELECT snapshot FROM linkage_mergerecord WHERE id = %s", [merge.pk])
        stored = cursor.fetchone()[0]
    assert stored.startswith("enc1:")
    assert "محمد" not in stored and "4210112345" not in stored


def test_a_merge_that_would_repeat_an_act_is_refused_and_changes_nothing(
    documenter: User,
    places: Gazetteer,
    ali_roman: Person,
    ali_urdu: Person,
) -> None:
    incident = record_incident(
        by=documenter,
        place=places.orchard,
        perpetrator=False,
        acts=[
            {"victim": ali_roman, "act_type": "killed"},
            {"victim": ali_urdu, "act_type": "killed"},
        ],
    )
    before = _state([ali_roman.pk, ali_urdu.pk])
    with pytest.raises(Conflict, match="acts"):
        persons_merge(kept=ali_roman, merged=ali_urdu, merged_by=documenter)
    assert _state([ali_roman.pk, ali_urdu.pk]) == before
    assert incident.acts.count() == 2
    assert not MergeRecord.objects.exists()


def test_undo_is_refused_once_the_kept_person_changed(
    documenter: User,
    ali_roman: Person,
    ali_urdu: Person,
) -> None:
    merge = persons_merge(kept=ali_roman, merged=ali_urdu, merged_by=documenter)
    ali_roman.refresh_from_db()
    person_update(
        person=ali_roman,
        updated_by=documenter,
        expected_version=ali_roman.version,
        occupation="driver",
    )
    with pytest.raises(Conflict, match="changed"):
        merge_undo(merge=merge, undone_by=documenter)
    assert not Person.objects.filter(pk=ali_urdu.pk).exists()


def test_a_merge_cannot_be_undone_twice(
    documenter: User,
    ali_roman: Person,
    ali_urdu: Person,
) -> None:
    merge = persons_merge(kept=ali_roman, merged=ali_urdu, merged_by=documenter)
    merge_undo(merge=merge, undone_by=documenter)
    with pytest.raises(Conflict, match="already"):
        merge_undo(merge=merge, undone_by=documenter)


def test_other_pairs_of_the_merged_person_wait_while_it_is_merged_and_return_after(
    relief_org: Organisation,
    documenter: User,
    ali_roman: Person,
    ali_urdu: Person,
) -> None:
    third = make_person(relief_org, documenter, given_name="Ali", family_name="Khan")
    a, b = sorted((ali_urdu.pk, third.pk))
    other = PersonPair.objects.create(
        organisation=relief_org,
        person_a_id=a,
        person_b_id=b,
        probability=0.6,
        weight=1.0,
        evidence={},
    )
    merge = persons_merge(kept=ali_roman, merged=ali_urdu, merged_by=documenter)
    other.refresh_from_db()
    assert other.status == Decision.SUPERSEDED
    merge_undo(merge=merge, undone_by=documenter)
    other.refresh_from_db()
    assert other.status == Decision.PENDING


def test_merge_and_undo_are_audited_by_field_names_only(
    documenter: User,
    ali_roman: Person,
    ali_urdu: Person,
    history: SimpleNamespace,
) -> None:
    merge = persons_merge(kept=ali_roman, merged=ali_urdu, merged_by=documenter)
    merged = AuditEvent.objects.get(action="person.merged")
    assert merged.actor_id == documenter.pk and merged.object_id == str(ali_roman.pk)
    assert "incidents.act.victim" in merged.fields and "full_name_ur" in merged.fields
    merge_undo(merge=merge, undone_by=documenter)
    assert AuditEvent.objects.filter(
        action="person.merge.undone", object_id=str(ali_roman.pk)
    ).exists()
    assert AuditEvent.objects.filter(action="person.restored", object_id=str(ali_urdu.pk)).exists()
    for event in AuditEvent.objects.filter(action__startswith="person.merge"):
        assert not any("Ali" in field or "42101" in field for field in event.fields)


def test_the_relations_to_person_are_found_from_the_model_graph() -> None:
    labels = {relation.label for relation in person_relations()}
    assert {
        "incidents.act.victim",
        "incidents.source.person",
        "households.member.person",
        "households.household.head",
        "testimonies.testimony.person",
        "linkage.personrecordid.person",
    } <= labels
    assert not any(
        label.startswith(("people.personnamekey", "linkage.personmatchkey")) for label in labels
    )


# --- the property: merge then undo is the identity ------------------------------------------
_TEXT = st.text(alphabet=st.sampled_from("abcdeفمحعلی ABC-"), max_size=12).map(str.strip)
_PERSON = st.fixed_dictionaries(
    {
        "given_name": _TEXT,
        "family_name": _TEXT,
        "full_name_ur": _TEXT,
        "father_name": _TEXT,
        "aliases": _TEXT,
        "sex": st.sampled_from(["male", "female", "other", "unknown"]),
        "age": st.none() | st.integers(0, 130),
        "date_of_birth": st.none() | st.dates(dt.date(1930, 1, 1), dt.date(2020, 12, 31)),
        "cnic": st.none() | st.from_regex(r"42[0-9]{11}", fullmatch=True),
        "phone": st.none() | st.from_regex(r"03[0-9]{9}", fullmatch=True),
        "occupation": _TEXT,
        "deceased": st.booleans(),
    }
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    first=_PERSON,
    second=_PERSON,
    roles=st.lists(
        st.sampled_from(["victim-a", "victim-b", "source-a", "source-b", "record-a", "record-b"]),
        max_size=4,
    ),
    keep_first=st.booleans(),
)
def test_merge_then_undo_restores_both_records_exactly(
    documenter: User,
    places: Gazetteer,
    first: dict[str, Any],
    second: dict[str, Any],
    roles: list[str],
    keep_first: bool,
) -> None:
    with transaction.atomic():
        organisation = documenter.organisation
        a = make_person(
            organisation, documenter, **{k: v for k, v in first.items() if v is not None}
        )
        b = make_person(
            organisation, documenter, **{k: v for k, v in second.items() if v is not None}
        )
        incident = record_incident(by=documenter, place=places.orchard, perpetrator=False, acts=[])
        for k, role in enumerate(roles):
            person = a if role.endswith("-a") else b
            if role.startswith("victim"):
                Act.objects.get_or_create(
                    incident=incident,
                    victim=person,
                    act_type="injured" if person is a else "threatened",
                )
            elif role.startswith("source"):
                incident_services.source_add(
                    incident=incident, added_by=documenter, kind="witness", person=person
                )
            else:
                PersonRecordId.objects.create(
                    organisation=organisation, person=person, record_id=f"r-{k}"
                )
        before = _state([a.pk, b.pk])
        kept, merged = (a, b) if keep_first else (b, a)
        merge = persons_merge(kept=kept, merged=merged, merged_by=documenter)
        merge_undo(merge=merge, undone_by=documenter)
        assert _state([a.pk, b.pk]) == before
        transaction.set_rollback(True)
