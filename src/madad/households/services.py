"""Every write to households and their members. One function per use case, each atomic: on bad
input it raises `Invalid` (messages by field name; a member's as "members.0.relation") and
writes nothing. Access (who may call) is the views' and API's question, asked of
madad.access; these functions guarantee the household's own rules:

- members are persons of the household's organisation, each once, at most one of them the
  head, and `Household.head` is always that member's person (or empty);
- the acts that affected the household belong to incidents of the same organisation;
- incomes are amounts in PKR, never negative;
- an edit based on an older version than the stored one is refused (`Stale`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from madad.accounts.models import Organisation, User
from madad.core import validation as check
from madad.core.audit import audit_record
from madad.core.refusals import Errors, Invalid, Stale, invalid
from madad.core.versioned import update_versioned
from madad.households.models import Household, Member
from madad.incidents.models import Act
from madad.people.models import Person
from madad.people.services import person_create
from madad.places.models import Place

ADDRESS_MAX = 1000


def _stale() -> Stale:
    return Stale(
        _(
            "Somebody else changed this household after you opened it. Nothing was saved: "
            "reload it to see the current version, then try again."
        )
    )


# --- checks ---------------------------------------------------------------------------------
def _household_fields(
    data: dict[str, Any], organisation: Organisation, errors: Errors
) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    if "address" in data:
        cleaned["address"] = check.text(
            data["address"], "address", errors, max_length=ADDRESS_MAX, multiline=True
        )
    if "place" in data:
        place = data["place"]
        if place is not None and not isinstance(place, Place):
            errors.add("place", _("Choose a place from the gazetteer."))
        cleaned["place"] = place
    for name in ("monthly_income_before", "monthly_income_after"):
        if name in data:
            cleaned[name] = check.amount(data[name], name, errors)
    return cleaned


def _acts(acts: Iterable[Act], organisation: Organisation, errors: Errors) -> list[Act]:
    found = list(dict.fromkeys(acts))
    if any(not isinstance(a, Act) or a.incident.organisation_id != organisation.pk for a in found):
        errors.add("acts", _("Choose acts recorded by your organisation."))
    return found


def _member_fields(
    data: dict[str, Any], field: str, errors: Errors, partial: bool = False
) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    if not partial or "relation" in data:
        cleaned["relation"] = check.choice(
            data.get("relation"), f"{field}relation", errors, Member.Relation.values
        )
    if not partial or "dependant" in data:
        value = data.get("dependant", False)
        if not isinstance(value, bool):
            errors.add(f"{field}dependant", _("Enter true or false."))
        cleaned["dependant"] = bool(value)
    if not partial or "schooling" in data:
        cleaned["schooling"] = check.choice(
            data.get("schooling") or Member.Schooling.NOT_APPLICABLE,
            f"{field}schooling",
            errors,
            Member.Schooling.values,
        )
    return cleaned


def _plan_member(
    organisation: Organisation, index: int, data: dict[str, Any], errors: Errors
) -> tuple[Person | None, dict[str, Any] | None, dict[str, Any]]:
    field = f"members.{index}."
    person, new_person = data.get("person"), data.get("new_person")
    if person is not None:
        if not isinstance(person, Person) or person.organisation_id != organisation.pk:
            errors.add(f"{field}person", _("Choose a person of your organisation."))
            person = None
    elif not new_person:
        errors.add(f"{field}person", _("Choose a person, or give a new person's name."))
    elif not isinstance(new_person, dict) or not any(
        str(new_person.get(n) or "").strip() for n in ("given_name", "family_name", "full_name_ur")
    ):
        errors.add(f"{field}given_name", _("Give the new person's name."))
    return person, new_person if person is None else None, _member_fields(data, field, errors)


def _new_person(organisation: Organisation, by: User, data: dict[str, Any], field: str) -> Person:
    try:
        return person_create(organisation=organisation, created_by=by, **data)
    except Invalid as refusal:
        errors = Errors()
        errors.update(refusal.fields, prefix=field)
        raise Invalid(fields=errors.fields) from None
    except TypeError:
        raise invalid(f"{field}given_name", _("Unknown person fields.")) from None


def _sync_head(household: Household) -> None:
    head = (
        Member.objects.filter(household=household, relation=Member.Relation.HEAD)
        .values_list("person_id", flat=True)
        .first()
    )
    if household.head_id != head:
        Household.objects.filter(pk=household.pk).update(head_id=head)
        household.head_id = head


def _bump(household: Household, expected_version: int | None = None, **values: Any) -> None:
    """The next version, written with one conditional UPDATE that matches only if the stored
    version is still `expected_version` (by default: whatever it is now, the row locked, so
    that concurrent member changes follow each other). Inside a transaction."""
    current = (
        Household.objects.select_for_update()
        .filter(pk=household.pk)
        .values_list("version", flat=True)
        .first()
    )
    if current is None:
        raise _stale()
    update_versioned(
        household,
        expected_version=current if expected_version is None else expected_version,
        refusal=_stale(),
        **values,
    )


# --- households -----------------------------------------------------------------------------
def household_create(
    *,
    organisation: Organisation,
    created_by: User,
    members: Sequence[dict[str, Any]] = (),
    acts: Iterable[Act] = (),
    link_member_acts: bool = False,
    address: str = "",
    place: Place | None = None,
    monthly_income_before: Any = None,
    monthly_income_after: Any = None,
) -> Household:
    """Registers a household with its members — each an existing person (`person`) or a new
    one (`new_person`: person fields), with `relation`, `dependant` and `schooling` — and the
    acts that affected it; with `link_member_acts` also every act of the organisation whose
    victim is a member. All or nothing."""
    errors = Errors()
    cleaned = _household_fields(
        {
            "address": address,
            "place": place,
            "monthly_income_before": monthly_income_before,
            "monthly_income_after": monthly_income_after,
        },
        organisation,
        errors,
    )
    planned = [
        _plan_member(organisation, i, m if isinstance(m, dict) else {}, errors)
        for i, m in enumerate(members)
    ]
    if not planned:
        errors.add("members", _("Add at least one member of the household."))
    heads = [
        i
        for i, (_p, _n, fields) in enumerate(planned)
        if fields.get("relation") == Member.Relation.HEAD
    ]
    if len(heads) > 1:
        errors.add(
            f"members.{heads[1]}.relation", _("A household has one head; choose another relation.")
        )
    seen: set[int] = set()
    for i, (person, _n, _f) in enumerate(planned):
        if person is not None:
            if person.pk in seen:
                errors.add(f"members.{i}.person", _("This person is already a member."))
            seen.add(person.pk)
    chosen_acts = _acts(acts, organisation, errors)
    errors.raise_if()
    with transaction.atomic():
        household = Household.objects.create(
            organisation=organisation, created_by=created_by, **cleaned
        )
        for i, (person, new_person, fields) in enumerate(planned):
            if person is None:
                person = _new_person(organisation, created_by, new_person or {}, f"members.{i}.")
            Member.objects.create(household=household, person=person, **fields)
        _sync_head(household)
        if link_member_acts:
            chosen_acts += list(
                Act.objects.filter(
                    victim__household_memberships__household=household,
                    incident__organisation=organisation,
                )
            )
        household.affected_by.set(set(chosen_acts))
        audit_record(
            action="household.created",
            actor=created_by,
            organisation=organisation,
            obj=household,
            fields=[*cleaned, "members", "affected_by"],
        )
    return household


def household_update(
    *,
    household: Household,
    updated_by: User,
    expected_version: int,
    acts: Iterable[Act] | None = None,
    **changes: Any,
) -> Household:
    """Changes the household's own fields (address, place, incomes) and, when `acts` is given,
    sets the acts that affected it — if nobody changed it since `expected_version`. Only
    fields whose value changes are written and audited."""
    unknown = set(changes) - {"address", "place", "monthly_income_before", "monthly_income_after"}
    if unknown:
        raise TypeError(f"Unknown household fields: {', '.join(sorted(unknown))}")
    errors = Errors()
    cleaned = _household_fields(changes, household.organisation, errors)
    chosen = _acts(acts, household.organisation, errors) if acts is not None else None
    errors.raise_if()
    with transaction.atomic():
        current = Household.objects.get(pk=household.pk)
        changed = {k: v for k, v in cleaned.items() if getattr(current, k) != v}
        acts_changed = chosen is not None and set(chosen) != set(current.affected_by.all())
        if not changed and not acts_changed:
            if current.version != expected_version:
                raise _stale()
            return current
        _bump(household, expected_version, **changed)
        if acts_changed and chosen is not None:
            household.affected_by.set(chosen)
        audit_record(
            action="household.updated",
            actor=updated_by,
            obj=household,
            fields=[*changed, *(["affected_by"] if acts_changed else [])],
        )
    household.refresh_from_db()
    return household


# --- members --------------------------------------------------------------------------------
def member_add(
    *,
    household: Household,
    added_by: User,
    relation: str,
    person: Person | None = None,
    new_person: dict[str, Any] | None = None,
    dependant: bool = False,
    schooling: str = Member.Schooling.NOT_APPLICABLE,
    expected_version: int | None = None,
) -> Member:
    """Adds an existing or a new person to the household; refused if they already belong to it
    or if a second head is named."""
    errors = Errors()
    person, new_person, fields = _plan_member(
        household.organisation,
        0,
        {
            "person": person,
            "new_person": new_person,
            "relation": relation,
            "dependant": dependant,
            "schooling": schooling,
        },
        errors,
    )
    if errors:
        raise Invalid(fields={k.removeprefix("members.0."): v for k, v in errors.fields.items()})
    with transaction.atomic():
        _bump(household, expected_version)
        if person is None:
            person = _new_person(household.organisation, added_by, new_person or {}, "")
        _refuse_duplicates(household, person, fields["relation"])
        try:
            with transaction.atomic():
                member = Member.objects.create(household=household, person=person, **fields)
        except IntegrityError:
            raise invalid(
                "person",
                _("This person is already a member, or the household already has a head."),
            ) from None
        _sync_head(household)
        audit_record(
            action="household.member.added", actor=added_by, obj=household, fields=["members"]
        )
    return member


def _refuse_duplicates(
    household: Household, person: Person, relation: str, member: Member | None = None
) -> None:
    others = Member.objects.filter(household=household)
    if member is not None:
        others = others.exclude(pk=member.pk)
    if member is None and others.filter(person=person).exists():
        raise invalid("person", _("This person is already a member."))
    if relation == Member.Relation.HEAD and others.filter(relation=Member.Relation.HEAD).exists():
        raise invalid(
            "relation", _("The household already has a head; change that member's relation first.")
        )


def member_update(*, member: Member, updated_by: User, **changes: Any) -> Member:
    """Changes a member's relation, dependant flag or schooling (a child starts or leaves
    school); at most one head still."""
    unknown = set(changes) - {"relation", "dependant", "schooling"}
    if unknown:
        raise TypeError(f"Unknown member fields: {', '.join(sorted(unknown))}")
    errors = Errors()
    fields = _member_fields(changes, "", errors, partial=True)
    errors.raise_if()
    with transaction.atomic():
        _bump(member.household)
        _refuse_duplicates(
            member.household, member.person, fields.get("relation", member.relation), member=member
        )
        changed = {k: v for k, v in fields.items() if getattr(member, k) != v}
        if changed:
            Member.objects.filter(pk=member.pk).update(**changed)
            _sync_head(member.household)
        audit_record(
            action="household.member.updated",
            actor=updated_by,
            obj=member.household,
            fields=[f"members.{k}" for k in changed],
        )
    member.refresh_from_db()
    return member


def member_remove(*, member: Member, removed_by: User) -> None:
    """Takes a person out of the household (the person stays recorded)."""
    with transaction.atomic():
        household = member.household
        _bump(household)
        Member.objects.filter(pk=member.pk).delete()
        _sync_head(household)
        audit_record(
            action="household.member.removed", actor=removed_by, obj=household, fields=["members"]
        )
