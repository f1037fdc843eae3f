from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from madad.accounts.roles import Capability
from madad.api.errors import ApiError
from madad.api.pagination import Pagination
from madad.core import access
from madad.people import services
from madad.people.identity import format_cnic, format_phone
from madad.people.models import Person, Sex
from madad.people.selectors import person_list

router = Router(tags=["persons"])


class PersonIn(Schema):
    given_name: str = Field(default="", max_length=200)
    family_name: str = Field(default="", max_length=200)
    full_name_ur: str = Field(default="", max_length=300)
    father_name: str = Field(default="", max_length=200)
    sex: Sex = Sex.UNKNOWN
    age: int | None = Field(default=None, ge=0, le=130)
    date_of_birth: str = Field(default="", max_length=10)
    cnic: str = Field(default="", max_length=20)
    phone: str = Field(default="", max_length=20)
    address: str = Field(default="", max_length=500)
    occupation: str = Field(default="", max_length=100)
    mother_tongue: str = Field(default="", max_length=50)
    deceased: bool = False


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


@router.get("", response=list[PersonSummary], summary="Persons you may see")
@paginate(Pagination)
def list_persons(request: HttpRequest) -> Any:
    return person_list(user=request.user)


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
        raise ApiError(422, "invalid", "The request has errors.",
                       {k: [str(m) for m in v] for k, v in exc.message_dict.items()}) from None
    return Status(201, _person_out(request, person))
