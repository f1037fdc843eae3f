"""Shared fixtures of the intake tests: the shipped forms, and a device (the organisation's
intake key is tests/conftest.py's)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from madad.accounts.models import Organisation, User
from madad.intake import devices, fieldforms
from madad.intake.models import Device, FormVersion


@pytest.fixture
def shipped_forms(relief_org: Organisation, coordinator: User) -> list[FormVersion]:
    return fieldforms.forms_ship(organisation=relief_org, added_by=coordinator)


@pytest.fixture
def new_device(
    relief_org: Organisation, coordinator: User, shipped_forms: list[FormVersion]
) -> Callable[..., devices.NewDevice]:
    def make(name: str = "Field phone 1", **kwargs: object) -> devices.NewDevice:
        return devices.device_create(
            organisation=relief_org,
            name=name,
            created_by=coordinator,
            **kwargs,  # type: ignore[arg-type]
        )

    return make


@pytest.fixture
def device(new_device: Callable[..., devices.NewDevice]) -> tuple[Device, str]:
    made = new_device()
    return made.device, made.token
