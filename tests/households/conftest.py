"""The people who work with households: the same as for cases."""

from tests.cases.conftest import (  # noqa: F401
    case,
    caseworker,
    coordinator,
    other_caseworker,
    second_coordinator,
)
