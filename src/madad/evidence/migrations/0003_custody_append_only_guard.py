"""Custody entries: the shared append-only guard (core.append_only) instead of this app's own
trigger of 0002, which refused updates only. The guard refuses UPDATE and DELETE."""

from importlib import import_module
from typing import Any

from django.db import migrations

from madad.core.append_only import Install

TABLE = "evidence_custodyentry"
own_trigger = import_module("madad.evidence.migrations.0002_append_only")


def _own_trigger_removed(apps: Any, schema_editor: Any) -> None:
    own_trigger.remove(apps, schema_editor)


def _own_trigger_back(apps: Any, schema_editor: Any) -> None:
    own_trigger.install(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("evidence", "0002_append_only")]

    operations = [
        migrations.RunPython(_own_trigger_removed, _own_trigger_back),
        Install(TABLE),
    ]
