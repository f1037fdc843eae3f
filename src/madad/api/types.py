"""Value types of the API's schemas that are stricter than pydantic's defaults."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, StrictInt
from pydantic_core import PydanticCustomError

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_date_only(value: Any) -> Any:
    """pydantic reads a number (or a string of digits) as seconds since 1970, so `date_to=0`
    was the first of January 1970; a date here is YYYY-MM-DD and nothing else."""
    if isinstance(value, dt.date) or (isinstance(value, str) and _ISO_DATE.match(value)):
        return value
    raise PydanticCustomError("date_format", "Enter the date as YYYY-MM-DD.")


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date_only)]


def _json_number_only(value: Any) -> Any:
    """pydantic's float takes true and "1.5"; a JSON number is neither."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PydanticCustomError("float_type", "Enter a number.")
    return value


Number = Annotated[float, BeforeValidator(_json_number_only)]

# The id of a record a body names: a JSON integer (not "7", not true), within the database's
# bigint range so the lookup itself cannot overflow.
RecordId = Annotated[StrictInt, Field(ge=1, le=2**63 - 1)]

# The same in a query string, a path or a form field, where every value arrives as text.
QueryId = Annotated[int, Field(ge=1, le=2**63 - 1)]
