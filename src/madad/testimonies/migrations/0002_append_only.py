"""The database refuses to change consent records: a new decision or event is a new row.

Deleting is left to PROTECT foreign keys and to test teardown (a flush), which these triggers
do not hinder.
"""

from django.db import migrations

TABLE = "testimonies_consentrecord"
MESSAGE = "consent records are append-only"


def install(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                f"CREATE TRIGGER IF NOT EXISTS {TABLE}_no_update BEFORE UPDATE ON {TABLE} "
                f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;"
            )
        elif connection.vendor == "postgresql":
            cursor.execute(
                f"CREATE OR REPLACE FUNCTION {TABLE}_refuse() RETURNS trigger "
                f"LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '{MESSAGE}'; END; $$;"
            )
            cursor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_update ON {TABLE};")
            cursor.execute(
                f"CREATE TRIGGER {TABLE}_no_update BEFORE UPDATE ON {TABLE} "
                f"FOR EACH ROW EXECUTE FUNCTION {TABLE}_refuse();"
            )


def remove(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_update;")
        elif connection.vendor == "postgresql":
            cursor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_update ON {TABLE};")
            cursor.execute(f"DROP FUNCTION IF EXISTS {TABLE}_refuse();")


class Migration(migrations.Migration):
    dependencies = [("testimonies", "0001_initial")]

    operations = [migrations.RunPython(install, remove)]
