"""The gazetteer: city → district → town → neighbourhood / union council, each with a centroid."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from madad.core.links import link, user_link
from madad.core.versioned import Versioned


class Place(Versioned):
    class Level(models.TextChoices):
        CITY = "city", _("City")
        DISTRICT = "district", _("District")
        TOWN = "town", _("Town")
        NEIGHBOURHOOD = "neighbourhood", _("Neighbourhood or union council")

    name = models.CharField(_("name"), max_length=120)
    name_ur = models.CharField(_("name in Urdu"), max_length=120, blank=True)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    parent = link("self", _("part of"), related_name="children", null=True)
    latitude = models.DecimalField(_("latitude"), max_digits=8, decimal_places=5)
    longitude = models.DecimalField(_("longitude"), max_digits=8, decimal_places=5)
    # A stable code for loading and open data, e.g. "khi", "khi.central", "khi.central.nazimabad"
    code = models.SlugField(_("code"), max_length=120, unique=True)
    # Both names folded for search, with their consonant skeletons (places.search); rebuilt
    # whenever a name changes and by `madad places reindex`.
    search_text = models.TextField(blank=True, default="", editable=False)

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


class PlaceChange(Versioned):
    """A change of a place's names, centroid or parent, proposed by one administrator and
    applied only when a second one approves it: the gazetteer feeds the public map, the
    dashboard and the open data, so no one person rewrites what the public reads."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved and applied")
        REJECTED = "rejected", _("Rejected")

    place = link(Place, _("place"), related_name="changes", on_delete=models.CASCADE)
    # the place's version the change was proposed against: approving it after somebody else
    # changed the place is refused (stale), never a silent overwrite
    base_version = models.PositiveIntegerField(_("proposed against version"))
    name = models.CharField(_("name"), max_length=120)
    name_ur = models.CharField(_("name in Urdu"), max_length=120, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=8, decimal_places=5)
    longitude = models.DecimalField(_("longitude"), max_digits=8, decimal_places=5)
    parent = link(Place, _("part of"), null=True)
    fields = models.JSONField(_("changed fields"), default=list)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    proposed_by = user_link(_("proposed by"))
    proposed_at = models.DateTimeField(_("proposed"), default=timezone.now)
    decided_by = user_link(_("decided by"), null=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        ordering = ["proposed_at", "id"]
        verbose_name = _("place change")
        verbose_name_plural = _("place changes")
        constraints = [
            models.UniqueConstraint(
                fields=["place"],
                condition=models.Q(status="pending"),
                name="place_change_one_pending_per_place",
            ),
            models.CheckConstraint(
                condition=models.Q(status="pending", decided_by__isnull=True)
                | (~models.Q(status="pending") & models.Q(decided_by__isnull=False)),
                name="place_change_decided_unless_pending",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="approved")
                | ~models.Q(decided_by=models.F("proposed_by")),
                name="place_change_approved_by_a_second_person",
            ),
            models.CheckConstraint(
                condition=models.Q(latitude__gte=-90, latitude__lte=90)
                & models.Q(longitude__gte=-180, longitude__lte=180),
                name="place_change_coordinates_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"Place change #{self.pk}"
