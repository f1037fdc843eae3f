"""Sources may be recorded before they are graded; verification steps name their action;
relations between incidents say who made them and when."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0002_incident_types"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="source", name="source_credibility_1_to_6"),
        migrations.RemoveConstraint(model_name="source", name="source_reliability_a_to_f"),
        migrations.AlterField(
            model_name="source",
            name="reliability",
            field=models.CharField(
                blank=True,
                choices=[
                    ("A", "A — completely reliable"),
                    ("B", "B — usually reliable"),
                    ("C", "C — fairly reliable"),
                    ("D", "D — not usually reliable"),
                    ("E", "E — unreliable"),
                    ("F", "F — reliability cannot be judged"),
                ],
                max_length=1,
                verbose_name="reliability",
            ),
        ),
        migrations.AlterField(
            model_name="source",
            name="credibility",
            field=models.PositiveSmallIntegerField(
                blank=True,
                choices=[
                    (1, "1 — confirmed by other sources"),
                    (2, "2 — probably true"),
                    (3, "3 — possibly true"),
                    (4, "4 — doubtful"),
                    (5, "5 — improbable"),
                    (6, "6 — truth cannot be judged"),
                ],
                null=True,
                verbose_name="credibility",
            ),
        ),
        migrations.AddConstraint(
            model_name="source",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("credibility__isnull", True),
                    models.Q(("credibility__gte", 1), ("credibility__lte", 6)),
                    _connector="OR",
                ),
                name="source_credibility_1_to_6",
            ),
        ),
        migrations.AddConstraint(
            model_name="source",
            constraint=models.CheckConstraint(
                condition=models.Q(("reliability__in", ["A", "B", "C", "D", "E", "F", ""])),
                name="source_reliability_a_to_f",
            ),
        ),
        migrations.AddConstraint(
            model_name="source",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("credibility__isnull", True), ("reliability", "")),
                    models.Q(
                        models.Q(("reliability", ""), _negated=True), ("credibility__isnull", False)
                    ),
                    _connector="OR",
                ),
                name="source_graded_on_both_scales_or_not_at_all",
            ),
        ),
        migrations.AddField(
            model_name="verificationstep",
            name="action",
            field=models.CharField(
                choices=[
                    ("submitted", "Submitted for review"),
                    ("verified", "Verified"),
                    ("disputed", "Disputed"),
                    ("rejected", "Rejected"),
                    ("reopened", "Sent back for review by an edit"),
                ],
                default="submitted",
                max_length=15,
                verbose_name="step",
            ),
            preserve_default=False,
        ),
        # Nothing relates incidents yet, so the new column needs no value for old rows.
        migrations.AddField(
            model_name="incidentrelation",
            name="created_by",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="related by",
            ),
        ),
        migrations.AlterField(
            model_name="incidentrelation",
            name="created_by",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="related by",
            ),
        ),
        migrations.AddField(
            model_name="incidentrelation",
            name="created_at",
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name="related"),
        ),
        migrations.AlterModelOptions(
            name="incidentrelation",
            options={
                "verbose_name": "related incident",
                "verbose_name_plural": "related incidents",
            },
        ),
        migrations.AlterModelOptions(
            name="verificationstep",
            options={
                "ordering": ["at", "id"],
                "verbose_name": "verification step",
                "verbose_name_plural": "verification steps",
            },
        ),
        migrations.AlterField(
            model_name="verificationstep",
            name="at",
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name="when"),
        ),
        migrations.AlterField(
            model_name="verificationstep",
            name="by",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="by",
            ),
        ),
        migrations.AlterField(
            model_name="verificationstep",
            name="from_status",
            field=models.CharField(
                choices=[
                    ("reported", "Reported"),
                    ("under_review", "Under review"),
                    ("verified", "Verified"),
                    ("disputed", "Disputed"),
                    ("rejected", "Rejected"),
                ],
                max_length=15,
                verbose_name="from",
            ),
        ),
        migrations.AlterField(
            model_name="verificationstep",
            name="to_status",
            field=models.CharField(
                choices=[
                    ("reported", "Reported"),
                    ("under_review", "Under review"),
                    ("verified", "Verified"),
                    ("disputed", "Disputed"),
                    ("rejected", "Rejected"),
                ],
                max_length=15,
                verbose_name="to",
            ),
        ),
    ]
