from django.db import migrations


def install(apps, schema_editor):
    from madad.core import audit_guard

    audit_guard.install(schema_editor.connection)


def remove(apps, schema_editor):
    from madad.core import audit_guard

    audit_guard.remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(install, remove, elidable=False)]
