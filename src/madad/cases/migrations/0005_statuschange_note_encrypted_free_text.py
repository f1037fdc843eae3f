"""The case history inherits core.history.StatusChange (its `reason` is the `note`), and the
free text that may name people is encrypted: the history's note, an approval's note and reason,
a task's title."""

from django.db import migrations

import madad.core.fields


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_alter_statuschange_from_status"),
    ]

    operations = [
        migrations.RenameField(model_name="statuschange", old_name="reason", new_name="note"),
        migrations.AlterField(
            model_name="statuschange",
            name="note",
            field=madad.core.fields.EncryptedTextField(blank=True, verbose_name="note"),
        ),
        migrations.AlterField(
            model_name="approvalrequest",
            name="note",
            field=madad.core.fields.EncryptedTextField(
                blank=True, verbose_name="note to the coordinator"
            ),
        ),
        migrations.AlterField(
            model_name="approvalrequest",
            name="reason",
            field=madad.core.fields.EncryptedTextField(blank=True, verbose_name="reason"),
        ),
        migrations.AlterField(
            model_name="task",
            name="title",
            field=madad.core.fields.EncryptedTextField(verbose_name="task"),
        ),
    ]
