from django.db import migrations


def install(apps, schema_editor):
    from madad.fund import ledger_guard

    ledger_guard.install(schema_editor.connection)


def remove(apps, schema_editor):
    from madad.fund import ledger_guard

    ledger_guard.remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("fund", "0001_initial")]
    operations = [migrations.RunPython(install, remove, elidable=False)]
