"""Descriptions of help in kind and reasons for cancelling written before they were encrypted
(they may name people): encrypted like every later one. The reverse decrypts them."""

from django.db import migrations

COLUMNS = ("in_kind", "cancelled_reason")


def _rewrite(schema_editor, change, only_plain):
    from madad.core import crypto

    with schema_editor.connection.cursor() as cursor:
        for column in COLUMNS:
            cursor.execute(f"SELECT id, {column} FROM assistance_assistance WHERE {column} <> ''")  # noqa: S608 (constant names)
            for pk, value in cursor.fetchall():
                if value.startswith(crypto.PREFIX) == only_plain:
                    continue
                cursor.execute(
                    f"UPDATE assistance_assistance SET {column} = %s WHERE id = %s",  # noqa: S608
                    [change(value), pk],
                )


def encrypt(apps, schema_editor):
    from madad.core import crypto

    _rewrite(schema_editor, crypto.encrypt, only_plain=True)


def decrypt(apps, schema_editor):
    from madad.core import crypto

    _rewrite(schema_editor, crypto.decrypt, only_plain=False)


class Migration(migrations.Migration):
    dependencies = [
        ("assistance", "0004_encrypted_free_text"),
    ]

    operations = [
        migrations.RunPython(encrypt, decrypt),
    ]
