"""Merging two person records into one, and undoing it exactly.

A merge keeps one person (the one the reviewer chose) and removes the other, after every row
anywhere in Madad that points at the removed person has been re-pointed at the kept one:
roles in incidents (acts, sources, alleged perpetrators), testimonies, consents, household
memberships and headships, cases, referrals, imported record ids... The rows are found from
the model graph (Person's related objects), so a relation added later is merged too without
a change here. Derived indexes (name keys, match keys) are rebuilt instead of moved.

The kept person gains what only the other had: empty fields are filled from it, and its
other spellings become aliases, so that search still finds both.

Undo puts everything back: both persons' rows exactly as they were (the snapshot, encrypted
like the fields it holds), every moved row pointed at the person it came from, and both
persons' derived indexes rebuilt. It is refused when the kept person changed after the merge
(undoing would silently discard that change).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from madad.accounts.models import User
from madad.core.audit import audit_record
from madad.core.names import split_aliases
from madad.core.refusals import Conflict, Invalid
from madad.core.versioned import update_versioned
from madad.linkage import keys
from madad.linkage.models import Decision, MergeRecord, PersonPair
from madad.linkage.records import records_of
from madad.people.models import Person, PersonNameKey
from madad.people.name_index import person_name_keys
from madad.people.services import NAME_FIELDS, person_update

# Indexes derived from a person's own fields: rebuilt for each person, never re-pointed.
DERIVED = frozenset({"people.personnamekey", "linkage.personmatchkey"})
_FILLED = (
    "given_name",
    "family_name",
    "full_name_ur",
    "father_name",
    "date_of_birth",
    "age",
    "cnic",
    "phone",
    "address",
    "occupation",
    "mother_tongue",
)
_ALIAS_LIMIT = 1000


# The code of a merge, undo or decision refused because of the records' state (409): clients
# of the API read it.
REFUSED = "refused"


@dataclass(frozen=True)
class Relation:
    model: type[models.Model]
    field: str
    dispensable: bool  # a bare many-to-many row: a duplicate of it carries nothing

    @property
    def label(self) -> str:
        return f"{self.model._meta.label_lower}.{self.field}"


def person_relations() -> list[Relation]:
    """Every foreign key to Person in the project, found from the model graph."""
    found: list[Relation] = []
    for rel in Person._meta.related_objects:
        if rel.many_to_many:
            through: Any = getattr(rel, "through", None)
            if through is None:
                continue
            auto = through._meta.auto_created
            for field in through._meta.fields:
                if field.is_relation and field.related_model is Person:
                    found.append(Relation(through, field.name, dispensable=bool(auto)))
        else:
            model: Any = rel.related_model
            if model._meta.label_lower in DERIVED or model._meta.proxy:
                continue
            found.append(Relation(model, rel.field.name, dispensable=False))
    return sorted(found, key=lambda r: r.label)


def _dump(field: models.Field[Any, Any], obj: models.Model) -> Any:
    """A field's value as JSON, exactly (datetimes to the microsecond)."""
    value = field.value_from_object(obj)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _load(field: models.Field[Any, Any], raw: Any) -> Any:
    return None if raw is None else field.to_python(raw)


def _row(obj: models.Model) -> dict[str, Any]:
    """The row's stored values (identity fields decrypted: the snapshot holding them is
    itself encrypted)."""
    return {f.attname: _dump(f, obj) for f in obj._meta.concrete_fields}


def _values(model: type[models.Model], row: dict[str, Any]) -> dict[str, Any]:
    return {f.attname: _load(f, row[f.attname]) for f in model._meta.concrete_fields}


def _rebuild_derived(persons: list[Person]) -> None:
    for person in persons:
        PersonNameKey.objects.filter(person=person).delete()
        found = person_name_keys(**{name: getattr(person, name) for name in NAME_FIELDS})
        PersonNameKey.objects.bulk_create(
            PersonNameKey(person=person, purpose=purpose, key=key) for purpose, key in sorted(found)
        )
    if persons:
        keys.match_keys_rebuild(
            organisation_id=persons[0].organisation_id, records=records_of(persons)
        )


def _gained(kept: Person, merged: Person) -> dict[str, Any]:
    """What the kept person takes over from the merged one: the fields it lacks, and the other
    spellings of the name as aliases (so that a search finds the person by either)."""
    changes: dict[str, Any] = {}
    for name in _FILLED:
        if getattr(kept, name) in ("", None) and getattr(merged, name) not in ("", None):
            changes[name] = getattr(merged, name)
    if kept.sex == "unknown" and merged.sex != "unknown":
        changes["sex"] = merged.sex
    if merged.deceased and not kept.deceased:
        changes["deceased"] = True
    aliases = split_aliases(kept.aliases)
    given = changes.get("given_name", kept.given_name)
    family = changes.get("family_name", kept.family_name)
    known = {
        a.casefold()
        for a in (
            *aliases,
            f"{given} {family}".strip(),
            changes.get("full_name_ur", kept.full_name_ur),
        )
    }
    for name in (
        f"{merged.given_name} {merged.family_name}".strip(),
        merged.full_name_ur,
        *split_aliases(merged.aliases),
    ):
        if not name or name.casefold() in known:
            continue
        if len("\n".join([*aliases, name])) > _ALIAS_LIMIT:
            break
        aliases.append(name)
        known.add(name.casefold())
    if aliases != split_aliases(kept.aliases):
        changes["aliases"] = "\n".join(aliases)
    return changes


def _repoint(merged: Person, kept: Person, snapshot: dict[str, Any]) -> list[str]:
    """Points every row of `merged` at `kept`, noting each move (and each bare many-to-many
    row dropped as a duplicate) in `snapshot`; returns what could not follow."""
    conflicts: list[str] = []
    for relation in person_relations():
        manager = relation.model._base_manager
        pks = list(manager.filter(**{relation.field: merged.pk}).values_list("pk", flat=True))
        if not pks:
            continue
        try:
            with transaction.atomic():
                manager.filter(pk__in=pks).update(**{relation.field: kept.pk})
        except IntegrityError:
            if not relation.dispensable:
                conflicts.append(str(relation.model._meta.verbose_name_plural))
                continue
            pks = _repoint_one_by_one(relation, pks, kept, snapshot)
        snapshot["moves"].append([relation.model._meta.label, relation.field, pks])
    return conflicts


def _repoint_one_by_one(
    relation: Relation, pks: list[Any], kept: Person, snapshot: dict[str, Any]
) -> list[Any]:
    manager = relation.model._base_manager
    moved = []
    for obj in manager.filter(pk__in=pks):
        try:
            with transaction.atomic():
                manager.filter(pk=obj.pk).update(**{relation.field: kept.pk})
            moved.append(obj.pk)
        except IntegrityError:
            snapshot["dropped"].append([relation.model._meta.label, _row(obj)])
            obj.delete()
    return moved


def persons_merge(
    *, kept: Person, merged: Person, merged_by: User, pair: PersonPair | None = None
) -> MergeRecord:
    """Merges `merged` into `kept` (see the module's docstring). All or nothing: a row that
    cannot follow (it would duplicate one the kept person already has, such as the same act
    in the same incident twice) refuses the whole merge (Conflict), naming it."""
    if kept.pk == merged.pk:
        raise Invalid(_("A person cannot be merged with themselves."))
    if kept.organisation_id != merged.organisation_id:
        raise Invalid(_("Only persons of one organisation can be merged."))
    with transaction.atomic():
        kept = Person.objects.select_for_update().get(pk=kept.pk)
        merged = Person.objects.select_for_update().get(pk=merged.pk)
        snapshot: dict[str, Any] = {
            "kept": _row(kept),
            "merged": _row(merged),
            "moves": [],
            "dropped": [],
            "superseded": [],
        }
        conflicts = _repoint(merged, kept, snapshot)
        if conflicts:
            raise Conflict(
                _(
                    "Both persons already appear in the same place in: %(what)s. Remove the "
                    "repeated entry from one of them first, then merge."
                )
                % {"what": ", ".join(sorted(set(conflicts)))},
                code=REFUSED,
            )
        others = PersonPair.objects.filter(
            models.Q(person_a_id=merged.pk) | models.Q(person_b_id=merged.pk),
            status=Decision.PENDING,
        )
        if pair is not None:
            others = others.exclude(pk=pair.pk)
        snapshot["superseded"] = list(others.values_list("pk", flat=True))
        others.update(status=Decision.SUPERSEDED)
        merged_pk = merged.pk
        Person.objects.filter(pk=merged_pk).delete()
        changes = _gained(kept, merged)
        if changes:
            kept = person_update(
                person=kept, updated_by=merged_by, expected_version=kept.version, **changes
            )
        else:
            kept = update_versioned(kept)
        snapshot["kept_version_after"] = kept.version
        _rebuild_derived([kept])
        record = MergeRecord.objects.create(
            organisation_id=kept.organisation_id,
            pair=pair,
            kept_person_id=kept.pk,
            merged_person_id=merged_pk,
            snapshot=json.dumps(snapshot),
            merged_by=merged_by,
        )
        if pair is not None:
            PersonPair.objects.filter(pk=pair.pk).update(
                status=Decision.MERGED, decided_by=merged_by, decided_at=timezone.now()
            )
        moved_labels = sorted(
            {f"{label.lower()}.{field}" for label, field, pks in snapshot["moves"] if pks}
        )
        audit_record(
            action="person.merged", actor=merged_by, obj=kept, fields=[*changes, *moved_labels]
        )
        audit_record(
            action="person.merged_away",
            actor=merged_by,
            organisation=merged_by.organisation,
            object_type="people.person",
            object_id=merged_pk,
        )
    return record


def merge_undo(*, merge: MergeRecord, undone_by: User) -> tuple[Person, Person]:
    """Restores both persons as they were before `merge`, with every moved row back on the
    person it came from; returns (kept, restored). Conflict when it cannot be exact."""
    from django.apps import apps

    with transaction.atomic():
        merge = MergeRecord.objects.select_for_update().get(pk=merge.pk)
        if merge.undone:
            raise Conflict(_("This merge was already undone."), code=REFUSED)
        snapshot = json.loads(merge.snapshot)
        kept = Person.objects.select_for_update().filter(pk=merge.kept_person_id).first()
        if kept is None:
            raise Conflict(
                _(
                    "The person kept by this merge was itself merged into "
                    "another since. Undo that merge first."
                ),
                code=REFUSED,
            )
        if kept.version != snapshot["kept_version_after"]:
            raise Conflict(
                _(
                    "The person kept by this merge was changed after it. "
                    "Undoing it now would discard that change."
                ),
                code=REFUSED,
            )
        if Person.objects.filter(pk=merge.merged_person_id).exists():
            raise Conflict(_("This merge was already undone."), code=REFUSED)
        restored = Person(**_values(Person, snapshot["merged"]))
        restored.save(force_insert=True)
        Person.objects.filter(pk=kept.pk).update(
            **{k: v for k, v in _values(Person, snapshot["kept"]).items() if k != "id"}
        )
        for label, field, pks in snapshot["moves"]:
            model = apps.get_model(label)
            model._base_manager.filter(pk__in=pks, **{field: kept.pk}).update(
                **{field: restored.pk}
            )
        for label, row in snapshot["dropped"]:
            model = apps.get_model(label)
            model(**_values(model, row)).save(force_insert=True)
        PersonPair.objects.filter(pk__in=snapshot["superseded"], status=Decision.SUPERSEDED).update(
            status=Decision.PENDING
        )
        if merge.pair_id:
            PersonPair.objects.filter(pk=merge.pair_id).update(
                status=Decision.PENDING, decided_by=None, decided_at=None
            )
        kept.refresh_from_db()
        _rebuild_derived([kept, restored])
        MergeRecord.objects.filter(pk=merge.pk).update(
            undone_by=undone_by, undone_at=timezone.now()
        )
        audit_record(
            action="person.merge.undone",
            actor=undone_by,
            obj=kept,
            fields=sorted(
                {f"{label.lower()}.{field}" for label, field, pks in snapshot["moves"] if pks}
            ),
        )
        audit_record(action="person.restored", actor=undone_by, obj=restored)
    merge.refresh_from_db()
    return kept, restored
