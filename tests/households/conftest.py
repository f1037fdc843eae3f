"""The people who work with households: the same as for cases."""

from tests.cases.conftest import (  # noqa: F401
    bearer,
    case,
    caseworker,
    coordinator,
    other_caseworker,
    outsider,
    partner_user,
    second_coordinator,
)
