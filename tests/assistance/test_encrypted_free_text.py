"""The description of help in kind and the reason for cancelling may name people: both are
encrypted at rest, and rows written before are encrypted by a data migration (reversible)."""

from __future__ import annotations

import importlib
from types import SimpleNamespace

import pytest
from django.db import connection

from madad.accounts.models import User
from madad.assistance import services
from madad.assistance.models import Assistance
from madad.cases.models import Case
from madad.core import crypto
from tests.core.conftest import raw_row, raw_rows_text

pytestmark = pytest.mark.django_db

NAME = "Ayesha Bibi"
MIGRATION = importlib.import_module("madad.assistance.migrations.0005_encrypt_free_text")


def test_in_kind_help_and_a_cancelling_reason_are_not_stored_in_plain_text(
    caseworker: User, case: Case
) -> None:
    item = services.assistance_request(
        case=case, requested_by=caseworker, kind="food", in_kind=f"Ration pack for {NAME}"
    )
    services.assistance_cancel(
        assistance=item, cancelled_by=caseworker, reason=f"{NAME} moved to Lahore"
    )
    assert NAME not in raw_rows_text("assistance_assistance")
    stored = raw_row(Assistance, item.pk)
    assert stored["in_kind"].startswith(crypto.PREFIX)
    assert stored["cancelled_reason"].startswith(crypto.PREFIX)
    item = Assistance.objects.get(pk=item.pk)
    assert (item.in_kind, item.cancelled_reason) == (
        f"Ration pack for {NAME}",
        f"{NAME} moved to Lahore",
    )


def test_the_migration_encrypts_plain_rows_and_its_reverse_decrypts_them(
    caseworker: User, case: Case
) -> None:
    item = services.assistance_request(
        case=case, requested_by=caseworker, kind="food", in_kind="encrypted"
    )
    with connection.cursor() as cursor:  # a row from before the migration
        cursor.execute(
            "UPDATE assistance_assistance SET in_kind = %s WHERE id = %s", [f"for {NAME}", item.pk]
        )
    editor = SimpleNamespace(connection=connection)
    MIGRATION.encrypt(None, editor)
    assert raw_row(Assistance, item.pk)["in_kind"].startswith(crypto.PREFIX)
    assert Assistance.objects.get(pk=item.pk).in_kind == f"for {NAME}"
    MIGRATION.decrypt(None, editor)
    assert raw_row(Assistance, item.pk)["in_kind"] == f"for {NAME}"
