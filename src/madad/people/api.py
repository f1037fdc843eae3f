"""/api/v1/persons: list, search by POST, one person with the fields the caller's role may see,
record and change (refused with 409 when the person changed since the version read)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field, StrictInt

from madad import access
from madad.access.roles import Capability
from madad.api.errors import errors
from madad.api.pagination import paginated
from madad.core.http import AuthedRequest
from madad.core.refusals import NotAllowed, invalid
from madad.people import services
from madad.people.identity import format_cnic, format_phone
from madad.people.models import Person, Sex
from madad.people.schemas import PersonIn
from madad.people.selectors import person_list, person_search

router = Router(tags=["persons"])


class PersonPatch(PersonIn):
    """Only the fields sent are changed; `version` is the one the client read."""

    version: StrictInt = Field(ge=1, le=2_000_000_000)


class PersonFilters(Schema):
    sex: Sex | None = None
    deceased: bool | None = None
    age_min: int | None = Field(default=None, ge=0, le=130)
    age_max: int | None = Field(default=None, ge=0, le=130)


class PersonSearchIn(Schema):
    q: str = Field(
        default="",
        max_length=200,
        description="Words of a name in either script, or a CNIC or phone number",
    )
    father_name: str = Field(default="", max_length=200)


class PersonSummary(Schema):
    id: int
    sex: str
    age: int | None
    deceased: bool


class PersonOut(Schema):
    """A person as the caller's role may see them: the identity fields only for a role that
    may read identities (each such read is audited), absent otherwise."""

    id: int
    sex: str
    age: int | None
    deceased: bool
    occupation: str
    created_at: dt.datetime
    version: int
    given_name: str | None = None
    family_name: str | None = None
    full_name_ur: str | None = None
    father_name: str | None = None
    aliases: str | None = None
    date_of_birth: str | None = None
    cnic: str | None = Field(default=None, description="#####-#######-#")
    phone: str | None = None
    address: str | None = None
    mother_tongue: str | None = None


def _person_out(request: AuthedRequest, person: Person) -> dict[str, Any]:
    """Only the fields the access policy allows; identity reads are audited."""
    data = access.reveal(request.user, person)
    if data.get("cnic"):
        data["cnic"] = format_cnic(data["cnic"])
    if data.get("phone"):
        data["phone"] = format_phone(data["phone"])
    data["version"] = person.version
    return data


def _person(request: AuthedRequest, person_id: int) -> Person:
    return access.get_visible_or_404(request.user, Person, pk=person_id)


@router.get("", response={200: list[PersonSummary]}, summary="Persons you may see")
@paginated
def list_persons(request: AuthedRequest, filters: Query[PersonFilters]) -> Any:
    return person_list(user=request.user, filters=filters.dict())


@router.post(
    "/search",
    response={200: list[PersonSummary], **errors(422)},
    summary="Find persons by name (either script, any spelling), CNIC or phone",
)
@paginated
def search_persons(request: AuthedRequest, payload: PersonSearchIn) -> Any:
    """A POST, so that names and numbers never appear in a URL or an access log."""
    found, search = person_search(
        user=request.user, query=payload.q, father_name=payload.father_name
    )
    if not search.usable:
        raise invalid("q", _("Type at least one name, or a full CNIC (13 digits) or phone number."))
    return found


@router.get(
    "/{int:person_id}",
    response={200: PersonOut, **errors(404)},
    exclude_unset=True,
    summary="One person, with the fields your role may see",
)
def get_person(request: AuthedRequest, person_id: int) -> dict[str, Any]:
    return _person_out(request, _person(request, person_id))


@router.post(
    "",
    response={201: PersonOut, **errors(403, 422)},
    exclude_unset=True,
    summary="Record a person",
)
def create_person(request: AuthedRequest, payload: PersonIn) -> Status[dict[str, Any]]:
    if not access.can(request.user, Capability.PERSON_EDIT):
        raise NotAllowed(_("Your role cannot record persons."))
    person = services.person_create(
        organisation=request.user.organisation, created_by=request.user, **payload.dict()
    )
    return Status(201, _person_out(request, person))


@router.patch(
    "/{int:person_id}",
    response={200: PersonOut, **errors(403, 404, 409, 422)},
    exclude_unset=True,
    summary="Change a person; refused with 409 if it changed since `version`",
)
def update_person(request: AuthedRequest, person_id: int, payload: PersonPatch) -> dict[str, Any]:
    person = _person(request, person_id)
    if not access.can_change(request.user, person):
        raise NotAllowed(_("Your role cannot change persons."))
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    hidden = sorted(set(data) - access.readable_fields(request.user, Person))
    if hidden:
        raise NotAllowed(
            _("Your role cannot change these fields."),
            fields={name: [_("Not allowed for your role.")] for name in hidden},
        )
    person = services.person_update(
        person=person, updated_by=request.user, expected_version=version, **data
    )
    return _person_out(request, person)
