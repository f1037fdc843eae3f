"""Reads about households, through the access policy."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery

from madad import access
from madad.accounts.models import User
from madad.cases.models import Case
from madad.cases.selectors import person_names
from madad.households.models import Household, Member
from madad.incidents.models import Act
from madad.people.models import Person


def household_list(*, user: Any, filters: dict[str, Any] | None = None) -> QuerySet[Household]:
    """Households the user may see, newest first, with the status of their case that is not
    closed (`active_status`, None when there is none); narrowed by area (any level of the
    gazetteer) and by whether there is an active case."""
    active = (
        Case.objects.filter(household=OuterRef("pk"))
        .exclude(status=Case.Status.CLOSED)
        .values("status")[:1]
    )
    households = (
        access.visible_to(user, Household)
        .select_related("place", "head")
        .annotate(active_status=Subquery(active))
    )
    filters = filters or {}
    place = filters.get("place")
    if place:
        # at the place or below it (the gazetteer is at most four levels deep)
        households = households.filter(
            Q(place=place)
            | Q(place__parent=place)
            | Q(place__parent__parent=place)
            | Q(place__parent__parent__parent=place)
        )
    if filters.get("active") is True:
        households = households.filter(active_status__isnull=False)
    elif filters.get("active") is False:
        households = households.filter(active_status__isnull=True)
    return households


def head_names(*, user: Any, households: list[Household]) -> dict[int, dict[str, str]]:
    """The heads' names by person id, for those the user may read (each read audited)."""
    heads = [h.head for h in households if h.head is not None]
    visible = set(
        access.visible_to(user, Person)
        .filter(pk__in=[p.pk for p in heads])
        .values_list("pk", flat=True)
    )
    return person_names(user, [p for p in heads if p.pk in visible])


@dataclass
class MemberView:
    member: Member
    visible: bool  # whether the user may open the person's record
    name: dict[str, str]
    acts: list[Act]


@dataclass
class HouseholdView:
    household: Household
    address: str | None  # None: the role may not read it
    members: list[MemberView]
    acts: list[Act]
    cases: list[Case]
    names: dict[int, dict[str, str]]


def household_detail(
    *,
    user: User,
    household: Household,
    show_address: bool = True,
) -> HouseholdView:
    """The household with its members (names read through access.reveal, audited), the
    address (audited as household.address.viewed), the acts that affected it and the cases
    the user may see."""
    address = None
    if "address" in access.readable_fields(user, Household) and show_address:
        address = access.reveal(
            user, household, wanted=["address"], action="household.address.viewed"
        ).get("address", "")
    members = list(
        access.visible_to(user, Member).filter(household=household).select_related("person")
    )
    persons = [m.person for m in members]
    visible = set(
        access.visible_to(user, Person)
        .filter(pk__in=[p.pk for p in persons])
        .values_list("pk", flat=True)
    )
    names = person_names(user, [p for p in persons if p.pk in visible])
    acts = list(
        access.visible_to(user, Act)
        .filter(households=household)
        .select_related("incident", "victim")
        .order_by("incident__start_date", "id")
    )
    by_victim: dict[int, list[Act]] = {}
    for act in acts:
        by_victim.setdefault(act.victim_id, []).append(act)
    return HouseholdView(
        household=household,
        address=address,
        members=[
            MemberView(
                m,
                m.person_id in visible,
                names.get(m.person_id, {}),
                by_victim.get(m.person_id, []),
            )
            for m in members
        ],
        acts=acts,
        cases=list(
            access.visible_to(user, Case).filter(household=household).select_related("caseworker")
        ),
        names=names,
    )


def candidate_acts(*, user: User, household: Household) -> QuerySet[Act]:
    """Acts the user may see whose victim is a member, or that are linked already: what the
    household's "affected by" choice offers."""
    return (
        access.visible_to(user, Act)
        .filter(Q(victim__household_memberships__household=household) | Q(households=household))
        .select_related("incident")
        .distinct()
        .order_by("incident__start_date", "id")
    )
