"""/api/v1/households: households and their members.

Fields per role come from the access policy: a key the caller may not read is absent, not
empty; the address is read through access.reveal (audited). A household the caller may not see
answers 404, whatever the reason. A PATCH carries the version the client read; if the
household changed since, the answer is 409 and nothing is written.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Query, Router, Schema, Status
from pydantic import Field, StrictBool, StrictInt

from madad import access
from madad.access.households import may_register_households, may_see_households
from madad.accounts.models import User
from madad.api.errors import errors
from madad.api.pagination import paginated
from madad.api.records import PathRecords
from madad.core.http import AuthedRequest
from madad.core.refusals import NotAllowed, NotVisible, invalid
from madad.households import selectors, services
from madad.households.models import Household, Member
from madad.incidents.models import Act
from madad.people.models import Person
from madad.people.schemas import NewPersonIn
from madad.places.models import Place

router = Router(tags=["households"])

ID_MAX = 2**62


# --- input ------------------------------------------------------------------------------------
class HouseholdMemberIn(Schema):
    person_id: StrictInt | None = Field(default=None, ge=1, le=ID_MAX)
    new_person: NewPersonIn | None = None
    relation: Member.Relation
    dependant: StrictBool = False
    schooling: Member.Schooling = Member.Schooling.NOT_APPLICABLE


class HouseholdMemberPatch(Schema):
    relation: Member.Relation | None = None
    dependant: StrictBool | None = None
    schooling: Member.Schooling | None = None


class HouseholdIn(Schema):
    members: list[HouseholdMemberIn] = Field(min_length=1, max_length=30)
    address: str = Field(default="", max_length=1000)
    place_id: StrictInt | None = Field(default=None, ge=1, le=ID_MAX)
    monthly_income_before: Decimal | None = Field(
        default=None, ge=0, max_digits=12, decimal_places=2
    )
    monthly_income_after: Decimal | None = Field(
        default=None, ge=0, max_digits=12, decimal_places=2
    )
    act_ids: list[int] = Field(default_factory=list, max_length=100)
    link_member_acts: StrictBool = Field(
        default=False, description="Also link every recorded act whose victim is a member"
    )


class HouseholdPatch(Schema):
    version: StrictInt = Field(
        ge=1, le=2_000_000_000, description="The version you read; 409 if it changed since."
    )
    address: str | None = Field(default=None, max_length=1000)
    place_id: StrictInt | None = Field(default=None, ge=1, le=ID_MAX)
    monthly_income_before: Decimal | None = Field(
        default=None, ge=0, max_digits=12, decimal_places=2
    )
    monthly_income_after: Decimal | None = Field(
        default=None, ge=0, max_digits=12, decimal_places=2
    )
    act_ids: list[int] | None = Field(default=None, max_length=100)


class HouseholdFilters(Schema):
    place_id: int | None = Field(default=None, ge=1, le=ID_MAX)
    active: bool | None = Field(
        default=None, description="With (true) or without (false) a case that is not closed"
    )


class HouseholdSummary(Schema):
    id: int
    head_id: int | None
    place_id: int | None
    active_status: str | None
    created_at: dt.datetime
    version: int


class HouseholdMemberOut(Schema):
    id: int
    person_id: int
    relation: str
    dependant: bool
    schooling: str


class HouseholdOut(Schema):
    """A household; `address` is absent when the caller's role may not read it."""

    id: int
    head_id: int | None
    place_id: int | None
    monthly_income_before: Decimal | None
    monthly_income_after: Decimal | None
    created_at: dt.datetime
    updated_at: dt.datetime
    version: int
    members: list[HouseholdMemberOut]
    act_ids: list[int]
    case_ids: list[int]
    address: str | None = None


# --- helpers ----------------------------------------------------------------------------------
HOUSEHOLDS = PathRecords(
    Household,
    may_see=may_see_households,
    may_not_change=gettext_lazy("Your role cannot change households."),
)


def _place(place_id: int | None) -> Place | None:
    if place_id is None:
        return None
    place = Place.objects.filter(pk=place_id).first()
    if place is None:
        raise invalid("place_id", _("No place with this number."))
    return place


def _acts(request: AuthedRequest, act_ids: list[int]) -> list[Act]:
    found = {
        a.pk: a
        for a in access.visible_to(request.user, Act)
        .filter(pk__in=act_ids)
        .select_related("incident")
    }
    if set(act_ids) - set(found):
        raise invalid("act_ids", _("No act with this number."))
    return [found[i] for i in dict.fromkeys(act_ids)]


def _member_data(request: AuthedRequest, member: HouseholdMemberIn, field: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "relation": member.relation,
        "dependant": member.dependant,
        "schooling": member.schooling,
    }
    if member.person_id is not None:
        person = access.visible_to(request.user, Person).filter(pk=member.person_id).first()
        if person is None or member.new_person is not None:
            raise invalid(
                f"{field}person_id",
                _("No person with this record number.")
                if person is None
                else _("Give a record number or a new person, not both."),
            )
        data["person"] = person
    elif member.new_person is not None:
        data["new_person"] = member.new_person.dict()
    else:
        raise invalid(f"{field}person_id", _("Give a record number or a new person."))
    return data


def household_out(user: User, household: Household) -> HouseholdOut:
    view = selectors.household_detail(user=user, household=household)
    # a field the role may not read is absent (the endpoints answer with exclude_unset)
    readable = {} if view.address is None else {"address": view.address}
    return HouseholdOut(
        id=household.pk,
        head_id=household.head_id,
        place_id=household.place_id,
        monthly_income_before=household.monthly_income_before,
        monthly_income_after=household.monthly_income_after,
        created_at=household.created_at,
        updated_at=household.updated_at,
        version=household.version,
        members=[HouseholdMemberOut.from_orm(m.member) for m in view.members],
        act_ids=[a.pk for a in view.acts],
        case_ids=[c.pk for c in view.cases],
        **readable,
    )


# --- endpoints --------------------------------------------------------------------------------
@router.get(
    "", response={200: list[HouseholdSummary], **errors(404, 422)}, summary="Households you may see"
)
@paginated
def list_households(request: AuthedRequest, filters: Query[HouseholdFilters]) -> Any:
    user = HOUSEHOLDS.caller(request)
    wanted: dict[str, Any] = {"active": filters.active}
    if filters.place_id is not None:
        wanted["place"] = Place.objects.filter(pk=filters.place_id).first()
        if wanted["place"] is None:
            return Household.objects.none()
    return selectors.household_list(user=user, filters=wanted)


@router.post(
    "",
    response={201: HouseholdOut, **errors(403, 404, 409, 422)},
    exclude_unset=True,
    summary="Register a household with its members",
)
def create_household(request: AuthedRequest, payload: HouseholdIn) -> Status[HouseholdOut]:
    user = HOUSEHOLDS.caller(request)
    if not may_register_households(user) or user.organisation is None:
        raise NotAllowed(_("Your role cannot register households."))
    members = [_member_data(request, m, f"members.{i}.") for i, m in enumerate(payload.members)]
    household = services.household_create(
        organisation=user.organisation,
        created_by=user,
        members=members,
        acts=_acts(request, payload.act_ids),
        link_member_acts=payload.link_member_acts,
        address=payload.address,
        place=_place(payload.place_id),
        monthly_income_before=payload.monthly_income_before,
        monthly_income_after=payload.monthly_income_after,
    )
    return Status(201, household_out(user, household))


@router.get(
    "/{int:household_id}",
    response={200: HouseholdOut, **errors(404, 422)},
    exclude_unset=True,
    summary="One household, with the fields your role may see",
)
def get_household(request: AuthedRequest, household_id: int) -> HouseholdOut:
    return household_out(request.user, HOUSEHOLDS.visible(request, household_id))


@router.patch(
    "/{int:household_id}",
    response={200: HouseholdOut, **errors(403, 404, 409, 422)},
    exclude_unset=True,
    summary="Change a household; 409 if it changed since `version`",
)
def update_household(
    request: AuthedRequest, household_id: int, payload: HouseholdPatch
) -> HouseholdOut:
    household = HOUSEHOLDS.changeable(request, household_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    if "address" in data and "address" not in access.readable_fields(request.user, Household):
        raise NotAllowed(
            _("Your role cannot change these fields."),
            fields={"address": [_("Not allowed for your role.")]},
        )
    changes: dict[str, Any] = {k: v for k, v in data.items() if k not in ("place_id", "act_ids")}
    if "place_id" in data:
        changes["place"] = _place(data["place_id"])
    acts = None
    if data.get("act_ids") is not None:
        # acts linked already that the caller cannot see stay linked
        hidden = household.affected_by.exclude(
            pk__in=access.visible_to(request.user, Act).values("pk")
        )
        acts = [*_acts(request, data["act_ids"]), *hidden]
    household = services.household_update(
        household=household,
        updated_by=request.user,
        expected_version=version,
        acts=acts,
        **changes,
    )
    return household_out(request.user, household)


@router.post(
    "/{int:household_id}/members",
    response={201: HouseholdOut, **errors(403, 404, 409, 422)},
    exclude_unset=True,
    summary="Add a member: an existing person or a new one",
)
def add_member(
    request: AuthedRequest, household_id: int, payload: HouseholdMemberIn
) -> Status[HouseholdOut]:
    household = HOUSEHOLDS.changeable(request, household_id)
    services.member_add(
        household=household, added_by=request.user, **_member_data(request, payload, "")
    )
    household.refresh_from_db()
    return Status(201, household_out(request.user, household))


def _member(request: AuthedRequest, household_id: int, member_id: int) -> Member:
    household = HOUSEHOLDS.changeable(request, household_id)
    member = Member.objects.filter(household=household, pk=member_id).first()
    if member is None:
        raise NotVisible()
    return member


@router.patch(
    "/{int:household_id}/members/{int:member_id}",
    response={200: HouseholdOut, **errors(403, 404, 409, 422)},
    exclude_unset=True,
    summary="Change a member's relation, dependant flag or schooling",
)
def update_member(
    request: AuthedRequest, household_id: int, member_id: int, payload: HouseholdMemberPatch
) -> HouseholdOut:
    member = _member(request, household_id, member_id)
    changes = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    services.member_update(member=member, updated_by=request.user, **changes)
    return household_out(request.user, Household.objects.get(pk=household_id))


@router.delete(
    "/{int:household_id}/members/{int:member_id}",
    response={200: HouseholdOut, **errors(403, 404, 409, 422)},
    exclude_unset=True,
    summary="Take a person out of the household (the person stays recorded)",
)
def remove_member(request: AuthedRequest, household_id: int, member_id: int) -> HouseholdOut:
    member = _member(request, household_id, member_id)
    services.member_remove(member=member, removed_by=request.user)
    return household_out(request.user, Household.objects.get(pk=household_id))
