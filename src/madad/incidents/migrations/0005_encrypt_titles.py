"""Working titles written before they were encrypted (they may name people): encrypted like
every later one, and their blind-indexed search keys built. The reverse decrypts them and
drops the keys."""

from django.db import migrations

SELECT = "SELECT id, title FROM incidents_incident WHERE title <> ''"
UPDATE = "UPDATE incidents_incident SET title = %s WHERE id = %s"


def encrypt(apps, schema_editor):
    from madad.core import crypto
    from madad.incidents.title_index import title_keys

    TitleKey = apps.get_model("incidents", "IncidentTitleKey")
    keys = []
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(SELECT)
        for pk, value in cursor.fetchall():
            plain = value
            if value.startswith(crypto.PREFIX):
                plain = crypto.decrypt(value)
            else:
                cursor.execute(UPDATE, [crypto.encrypt(value), pk])
            keys.extend(TitleKey(incident_id=pk, key=key) for key in sorted(title_keys(plain)))
    TitleKey.objects.bulk_create(keys, batch_size=1000, ignore_conflicts=True)


def decrypt(apps, schema_editor):
    from madad.core import crypto

    apps.get_model("incidents", "IncidentTitleKey").objects.all().delete()
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(SELECT)
        for pk, value in cursor.fetchall():
            if value.startswith(crypto.PREFIX):
                cursor.execute(UPDATE, [crypto.decrypt(value), pk])


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0004_title_encrypted_step_note"),
    ]

    operations = [
        migrations.RunPython(encrypt, decrypt),
    ]
