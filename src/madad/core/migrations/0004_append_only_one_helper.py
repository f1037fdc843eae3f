"""The append-only triggers of the audit trail and the ledger, as core.append_only names them.

Databases migrated before it carry the triggers under the names of the two helpers it
replaced; they are dropped here and the guards installed again.
"""

from typing import Any

from django.db import migrations

from madad.core.append_only import registered

_LEGACY = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS madad_audit_no_update;",
        "DROP TRIGGER IF EXISTS madad_audit_no_delete;",
    ],
    "postgresql": [
        "DROP TRIGGER IF EXISTS madad_audit_no_change ON madad_audit_event;",
        "DROP TRIGGER IF EXISTS madad_audit_no_truncate ON madad_audit_event;",
    ],
}
_LEGACY_FUNCTIONS = ["madad_audit_refuse", "madad_fund_refuse"]


def forward(apps: Any, schema_editor: Any) -> None:
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for sql in _LEGACY.get(connection.vendor, []):
            cursor.execute(sql)
    for guard in registered():
        if guard.table in ("madad_audit_event", "fund_journalentry", "fund_journalline"):
            guard.install(connection)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for name in _LEGACY_FUNCTIONS:
                cursor.execute(f"DROP FUNCTION IF EXISTS {name}();")


class Migration(migrations.Migration):
    dependencies = [("core", "0003_cache_table"), ("fund", "0002_ledger_append_only")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop, elidable=False)]
