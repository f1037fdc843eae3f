"""The person's fields as the API receives them; shared by the persons API and the linkage
API's entry check, so that both read a person the same way, and the short form of a person
entered along with a household member or an incident's victim."""

from __future__ import annotations

from ninja import Field, Schema
from pydantic import StrictBool, StrictInt

from madad.people.models import Sex


class PersonIn(Schema):
    given_name: str = Field(default="", max_length=200)
    family_name: str = Field(default="", max_length=200)
    full_name_ur: str = Field(default="", max_length=300)
    father_name: str = Field(default="", max_length=200)
    aliases: str = Field(
        default="", max_length=1000, description="Other names or spellings, one per line"
    )
    sex: Sex = Sex.UNKNOWN
    age: StrictInt | None = Field(default=None, ge=0, le=130)
    date_of_birth: str = Field(default="", max_length=10)
    cnic: str = Field(default="", max_length=20)
    phone: str = Field(default="", max_length=20)
    address: str = Field(default="", max_length=500)
    occupation: str = Field(default="", max_length=100)
    mother_tongue: str = Field(default="", max_length=50)
    deceased: StrictBool = False


class NewPersonIn(Schema):
    """A person entered on the spot (a household member, an incident's victim)."""

    given_name: str = Field(default="", max_length=200)
    family_name: str = Field(default="", max_length=200)
    full_name_ur: str = Field(default="", max_length=300)
    father_name: str = Field(default="", max_length=200)
    sex: Sex = Sex.UNKNOWN
    age: StrictInt | None = Field(default=None, ge=0, le=130)
    occupation: str = Field(default="", max_length=100)
    deceased: StrictBool = False
