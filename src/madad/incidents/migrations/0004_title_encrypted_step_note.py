import django.db.models.deletion
from django.db import migrations, models

import madad.core.fields


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0003_grading_steps_relations"),
    ]

    operations = [
        # verification steps keep their history in the shared shape (core.history.StatusChange)
        migrations.RenameField(model_name="verificationstep", old_name="reason", new_name="note"),
        migrations.AlterField(
            model_name="verificationstep",
            name="note",
            field=models.TextField(blank=True, verbose_name="note"),
        ),
        # the working title may name people: encrypted (0005 encrypts the existing ones)
        migrations.AlterField(
            model_name="incident",
            name="title",
            field=madad.core.fields.EncryptedTextField(verbose_name="title"),
        ),
        migrations.CreateModel(
            name="IncidentTitleKey",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("key", models.CharField(max_length=64, verbose_name="key")),
                (
                    "incident",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="title_keys",
                        to="incidents.incident",
                        verbose_name="incident",
                    ),
                ),
            ],
            options={
                "verbose_name": "title key",
                "verbose_name_plural": "title keys",
                "indexes": [
                    models.Index(fields=["key", "incident"], name="incident_title_key_lookup")
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("incident", "key"), name="incident_title_key_once"
                    )
                ],
            },
        ),
    ]
