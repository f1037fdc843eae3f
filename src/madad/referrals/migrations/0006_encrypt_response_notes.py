"""Partners' notes written before they were encrypted (they may name people): encrypt them
like every later one; the reverse decrypts them."""

from django.db import migrations

READ = "SELECT id, response_note FROM referrals_referral WHERE response_note <> ''"
WRITE = "UPDATE referrals_referral SET response_note = %s WHERE id = %s"


def _rewrite(schema_editor, change):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(READ)
        for pk, value in cursor.fetchall():
            cursor.execute(WRITE, [change(value), pk])


def encrypt(apps, schema_editor):
    from madad.core import crypto

    _rewrite(schema_editor, crypto.encrypt)


def decrypt(apps, schema_editor):
    from madad.core import crypto

    _rewrite(schema_editor, crypto.decrypt)


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0005_encrypted_response_note"),
    ]

    operations = [
        migrations.RunPython(encrypt, decrypt),
    ]
