import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("places", "0003_karachi"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="PlaceChange",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("version", models.PositiveIntegerField(default=1, editable=False)),
                (
                    "base_version",
                    models.PositiveIntegerField(verbose_name="proposed against version"),
                ),
                ("name", models.CharField(max_length=120, verbose_name="name")),
                (
                    "name_ur",
                    models.CharField(blank=True, max_length=120, verbose_name="name in Urdu"),
                ),
                (
                    "latitude",
                    models.DecimalField(decimal_places=5, max_digits=8, verbose_name="latitude"),
                ),
                (
                    "longitude",
                    models.DecimalField(decimal_places=5, max_digits=8, verbose_name="longitude"),
                ),
                ("fields", models.JSONField(default=list, verbose_name="changed fields")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "Waiting for approval"),
                            ("approved", "Approved and applied"),
                            ("rejected", "Rejected"),
                        ],
                        default="pending",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                (
                    "proposed_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="proposed"
                    ),
                ),
                ("decided_at", models.DateTimeField(blank=True, null=True, verbose_name="decided")),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="decided by",
                    ),
                ),
                (
                    "parent",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="places.place",
                        verbose_name="part of",
                    ),
                ),
                (
                    "place",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="changes",
                        to="places.place",
                        verbose_name="place",
                    ),
                ),
                (
                    "proposed_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="proposed by",
                    ),
                ),
            ],
            options={
                "verbose_name": "place change",
                "verbose_name_plural": "place changes",
                "ordering": ["proposed_at", "id"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("status", "pending")),
                        fields=("place",),
                        name="place_change_one_pending_per_place",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("decided_by__isnull", True), ("status", "pending")),
                            models.Q(
                                models.Q(("status", "pending"), _negated=True),
                                ("decided_by__isnull", False),
                            ),
                            _connector="OR",
                        ),
                        name="place_change_decided_unless_pending",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("status", "approved"), _negated=True),
                            models.Q(("decided_by", models.F("proposed_by")), _negated=True),
                            _connector="OR",
                        ),
                        name="place_change_approved_by_a_second_person",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("latitude__gte", -90),
                            ("latitude__lte", 90),
                            ("longitude__gte", -180),
                            ("longitude__lte", 180),
                        ),
                        name="place_change_coordinates_in_range",
                    ),
                ],
            },
        ),
    ]
