"""Shared fixtures of the intake tests: the organisation's intake key (made once per run, in a
temporary directory), the shipped forms, and a device."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pytest_django import Settings

from madad.accounts.models import Organisation, User
from madad.intake import devices, encryption, fieldforms
from madad.intake.models import Device, FormVersion


@pytest.fixture(scope="session")
def intake_key_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("intake-key") / "intake-key.pem"
    encryption.generate_key(path)
    return path


@pytest.fixture(autouse=True)
def _intake_key(settings: Settings, intake_key_file: Path) -> None:
    settings.MADAD_INTAKE_KEY_FILE = intake_key_file


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
