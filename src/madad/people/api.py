from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from madad import access
from madad.access.roles import Capability
from madad.api.errors import ApiError
from madad.api.pagination import paginated
from madad.people import services
from madad.people.identity import format_cnic, format_phone
from madad.people.models import Person, Sex
from madad.people.selectors import person_list, person_search

router = Router(tags=["persons"])


class PersonIn(Schema):
    given_name: str = Field(default="", max_length=200)
    family_name: str = Field(default="", max_length=200)
    full_name_ur: str = Field(default="", max_length=300)
    father_name: str = Field(default="", max_length=200)
    aliases: str = Field(
        default="", max_length=1000, description="Other names or spellings, one per line"
    )
    sex: Sex = Sex.UNKNOWN
    age: int | None = Field(default=None, ge=0, le=130)
    date_of_birth: str = Field(default="", max_length=10)
    cnic: str = Field(default="", max_length=20)
    phone: str = Field(default="", max_length=20)
    address: str = Field(default="", max_length=500)
    occupation: str = Field(default="", max_length=100)
    mother_tongue: str = Field(default="", max_length=50)
    deceased: bool = False


class PersonPatch(PersonIn):
    """Only the fields sent are changed; `version` is the one the client read."""

    version: int = Field(ge=1, le=2_000_000_000)


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


def _person_out(request: HttpRequest, person: Person) -> dict[str, Any]:
    """Only the fields the access policy allows; identity reads are audited."""
    data = access.reveal(request.user, person, request=request)  # type: ignore[arg-type]
    if data.get("cnic"):
        data["cnic"] = format_cnic(data["cnic"])
    if data.get("phone"):
        data["phone"] = format_phone(data["phone"])
    data["version"] = person.version
    return data


def _invalid(exc: ValidationError) -> ApiError:
    return ApiError(
        422,
        "invalid",
        _("The request has errors."),
        {k: [str(m) for m in v] for k, v in exc.message_dict.items()},
    )


@router.get("", response=list[PersonSummary], summary="Persons you may see")
@paginated
def list_persons(request: HttpRequest, filters: Query[PersonFilters]) -> Any:
    return person_list(user=request.user, filters=filters.dict())


@router.post(
    "/search",
    response=list[PersonSummary],
    summary="Find persons by name (either script, any spelling), CNIC or phone",
)
@paginated
def search_persons(request: HttpRequest, payload: PersonSearchIn) -> Any:
    """A POST, so that names and numbers never appear in a URL or an access log."""
    found, search = person_search(
        user=request.user, query=payload.q, father_name=payload.father_name, request=request
    )
    if not search.usable:
        raise ApiError(
            422,
            "invalid",
            _("The request has errors."),
            {"q": [_("Type at least one name, or a full CNIC (13 digits) or phone number.")]},
        )
    return found


@router.get("/{int:person_id}", summary="One person, with the fields your role may see")
def get_person(request: HttpRequest, person_id: int) -> dict[str, Any]:
    person = access.get_visible_or_404(request.user, Person, request=request, pk=person_id)
    return _person_out(request, person)


@router.post("", response={201: dict}, summary="Record a person")
def create_person(request: HttpRequest, payload: PersonIn) -> Status[dict[str, Any]]:
    if not access.can(request.user, Capability.PERSON_EDIT):
        raise ApiError(403, "forbidden", "Your role cannot record persons.")
    try:
        person = services.person_create(
            organisation=request.user.organisation,  # type: ignore[union-attr]
            created_by=request.user,  # type: ignore[arg-type]
            **payload.dict(),
        )
    except ValidationError as exc:
        raise ApiError(
            422,
            "invalid",
            "The request has errors.",
            {k: [str(m) for m in v] for k, v in exc.message_dict.items()},
        ) from None
    return Status(201, _person_out(request, person))


@router.patch(
    "/{int:person_id}",
    response={200: dict},
    summary="Change a person; refused with 409 if it changed since `version`",
)
def update_person(request: HttpRequest, person_id: int, payload: PersonPatch) -> dict[str, Any]:
    person = access.get_visible_or_404(request.user, Person, request=request, pk=person_id)
    if not access.can_change(request.user, person):
        raise ApiError(403, "forbidden", _("Your role cannot change persons."))
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    readable = access.readable_fields(request.user, Person)
    hidden = sorted(set(data) - readable)
    if hidden:
        raise ApiError(
            403,
            "forbidden",
            _("Your role cannot change these fields."),
            {name: [_("Not allowed for your role.")] for name in hidden},
        )
    try:
        person = services.person_update(
            person=person,
            updated_by=request.user,  # type: ignore[arg-type]
            expected_version=version,
            **data,
        )
    except ValidationError as exc:
        raise _invalid(exc) from None
    except services.StaleEdit as stale:
        raise ApiError(409, "stale", str(stale)) from None
    return _person_out(request, person)
