"""The gazetteer: city → district → town → neighbourhood / union council, each with a centroid."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Place(models.Model):
    class Level(models.TextChoices):
        CITY = "city", _("City")
        DISTRICT = "district", _("District")
        TOWN = "town", _("Town")
        NEIGHBOURHOOD = "neighbourhood", _("Neighbourhood or union council")

    name = models.CharField(_("name"), max_length=120)
    name_ur = models.CharField(_("name in Urdu"), max_length=120, blank=True)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    latitude = models.DecimalField(_("latitude"), max_digits=8, decimal_places=5)
    longitude = models.DecimalField(_("longitude"), max_digits=8, decimal_places=5)
    # A stable code for loading and open data, e.g. "khi", "khi.central", "khi.central.nazimabad"
    code = models.SlugField(_("code"), max_length=120, unique=True)
    # Both names folded for search, with their consonant skeletons (places.search); rebuilt
    # whenever a name changes and by `madad places reindex`.
    search_text = models.TextField(blank=True, default="", editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("place")
        verbose_name_plural = _("places")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__gte=-90, latitude__lte=90)
                & models.Q(longitude__gte=-180, longitude__lte=180),
                name="place_coordinates_in_range",
            ),
            models.CheckConstraint(
                condition=models.Q(level="city", parent__isnull=True)
                | (~models.Q(level="city") & models.Q(parent__isnull=False)),
                name="place_only_cities_have_no_parent",
            ),
        ]
        indexes = [models.Index(fields=["level", "name"])]

    def __str__(self) -> str:
        return self.name

    def ancestors(self) -> list[Place]:
        """The places above this one, nearest first (its town, district, city)."""
        found: list[Place] = []
        place = self.parent
        while place is not None and len(found) < 8:
            found.append(place)
            place = place.parent
        return found

    def ancestor(self, level: str) -> Place | None:
        """This place or the nearest place above it at `level` (e.g. its district)."""
        place: Place | None = self
        while place is not None and place.level != level:
            place = place.parent
        return place
