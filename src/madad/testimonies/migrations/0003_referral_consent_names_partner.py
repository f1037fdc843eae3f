"""Consent to referral names the partner organisation it allows, as sharing with a human-rights
organisation names its recipient.

Consent rows are append-only (0002), so nothing here rewrites them: referral consent recorded
before this migration has no recipient, stays as it was, and covers no partner
(testimonies.services.consent_covers and madad.access.referrals match on the recipient). Such a
person's consent to referral must be recorded again, naming the partner. The check constraint
lets those old rows be; a trigger refuses new referral consent without a recipient.

On SQLite, changing a constraint rebuilds the table, which drops its triggers: the append-only
trigger of 0002 is installed again after the rebuild, both ways. Reversing this migration fails
once a referral consent names a partner (the old constraint forbids it and rows cannot change).
"""

from importlib import import_module

from django.db import migrations, models

TABLE = "testimonies_consentrecord"
TRIGGER = f"{TABLE}_referral_names_partner"
MESSAGE = "consent to referral names its partner organisation"

append_only = import_module("madad.testimonies.migrations.0002_append_only")


def install(apps, schema_editor):
    append_only.install(apps, schema_editor)
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                f"CREATE TRIGGER IF NOT EXISTS {TRIGGER} BEFORE INSERT ON {TABLE} "
                f"WHEN NEW.purpose = 'referral' AND NEW.recipient_id IS NULL "
                f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;"
            )
        elif connection.vendor == "postgresql":
            cursor.execute(
                f"CREATE OR REPLACE FUNCTION {TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$ "
                f"BEGIN RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'check_violation'; END; $$;"
            )
            cursor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON {TABLE};")
            cursor.execute(
                f"CREATE TRIGGER {TRIGGER} BEFORE INSERT ON {TABLE} FOR EACH ROW "
                f"WHEN (NEW.purpose = 'referral' AND NEW.recipient_id IS NULL) "
                f"EXECUTE FUNCTION {TRIGGER}();"
            )


def remove(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER};")
        elif connection.vendor == "postgresql":
            cursor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON {TABLE};")
            cursor.execute(f"DROP FUNCTION IF EXISTS {TRIGGER}();")


class Migration(migrations.Migration):
    dependencies = [
        ("testimonies", "0002_append_only"),
    ]

    operations = [
        # Reversing: runs last, after the rebuilds of the table below.
        migrations.RunPython(migrations.RunPython.noop, append_only.install),
        migrations.RemoveConstraint(
            model_name="consentrecord",
            name="consent_recipient_only_and_always_for_human_rights_sharing",
        ),
        migrations.AddConstraint(
            model_name="consentrecord",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("purpose", "human_rights_sharing"), ("recipient__isnull", False)),
                    ("purpose", "referral"),
                    models.Q(
                        models.Q(
                            ("purpose__in", ["human_rights_sharing", "referral"]), _negated=True
                        ),
                        ("recipient__isnull", True),
                    ),
                    _connector="OR",
                ),
                name="consent_recipient_only_for_sharing_and_referral",
            ),
        ),
        migrations.RunPython(install, remove),
    ]
