"""Free text written before it was encrypted (it may name people): the history's notes, the
approvals' notes and reasons, the tasks' titles, encrypted like every later one. The reverse
decrypts them."""

from django.db import migrations

COLUMNS = (
    ("cases_statuschange", "note"),
    ("cases_approvalrequest", "note"),
    ("cases_approvalrequest", "reason"),
    ("cases_task", "title"),
)


def _rewrite(schema_editor, change, only_plain):
    from madad.core import crypto

    with schema_editor.connection.cursor() as cursor:
        for table, column in COLUMNS:
            cursor.execute(f"SELECT id, {column} FROM {table} WHERE {column} <> ''")  # noqa: S608
            for pk, value in cursor.fetchall():
                if value.startswith(crypto.PREFIX) == only_plain:
                    continue
                cursor.execute(
                    f"UPDATE {table} SET {column} = %s WHERE id = %s",  # noqa: S608
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
        ("cases", "0005_statuschange_note_encrypted_free_text"),
    ]

    operations = [
        migrations.RunPython(encrypt, decrypt),
    ]
