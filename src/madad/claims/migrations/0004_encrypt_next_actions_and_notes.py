"""Next actions and status-change notes written before they were encrypted (they may name
people): encrypt them like every later one; the reverse decrypts them."""

from django.db import migrations

# (read, write) of each column
COLUMNS = [
    (
        "SELECT id, next_action FROM claims_claim WHERE next_action <> ''",
        "UPDATE claims_claim SET next_action = %s WHERE id = %s",
    ),
    (
        "SELECT id, note FROM claims_claimstatuschange WHERE note <> ''",
        "UPDATE claims_claimstatuschange SET note = %s WHERE id = %s",
    ),
]


def _rewrite(schema_editor, change):
    with schema_editor.connection.cursor() as cursor:
        for read, write in COLUMNS:
            cursor.execute(read)
            for pk, value in cursor.fetchall():
                cursor.execute(write, [change(value), pk])


def encrypt(apps, schema_editor):
    from madad.core import crypto

    _rewrite(schema_editor, crypto.encrypt)


def decrypt(apps, schema_editor):
    from madad.core import crypto

    _rewrite(schema_editor, crypto.decrypt)


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0003_claim_history_base_and_encrypted_notes"),
    ]

    operations = [
        migrations.RunPython(encrypt, decrypt),
    ]
