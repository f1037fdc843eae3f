"""Incidents after the HURIDOCS Events Standard Formats: the event (Incident), what happened to
each victim (Act), who is alleged to have done it (Involvement), and where the information came
from (Source)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from madad.core.fields import EncryptedTextField
from madad.core.history import StatusChange
from madad.core.links import link, organisation_link, user_link
from madad.core.versioned import Versioned


class DatePrecision(models.TextChoices):
    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")


def partial_date(value: dt.date | None, precision: str) -> dt.date | None:
    """The date as stored for its precision: the first of the month, or 1 January."""
    if value is None:
        return None
    if precision == DatePrecision.YEAR:
        return value.replace(month=1, day=1)
    if precision == DatePrecision.MONTH:
        return value.replace(day=1)
    return value


def format_partial_date(value: dt.date | None, precision: str) -> str:
    """ "14 March 2011", "March 2011" or "2011", in the current language."""
    if value is None:
        return ""
    formats: dict[str, str] = {DatePrecision.YEAR: "Y", DatePrecision.MONTH: "YEAR_MONTH_FORMAT"}
    fmt = formats.get(precision, "DATE_FORMAT")
    return date_format(value, fmt)


class LocationPrecision(models.TextChoices):
    EXACT = "exact", _("Exact")
    NEIGHBOURHOOD = "neighbourhood", _("Neighbourhood")
    TOWN = "town", _("Town")
    DISTRICT = "district", _("District")


class IncidentType(models.Model):
    """A controlled, editable vocabulary (seeded by a data migration)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)
    name_ur = models.CharField(_("name in Urdu"), max_length=120)
    active = models.BooleanField(_("in use"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("incident type")
        verbose_name_plural = _("incident types")

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        """The name in the language of the current request."""
        from django.utils.translation import get_language

        if (get_language() or "").startswith("ur") and self.name_ur:
            return self.name_ur
        return self.name


class Incident(Versioned):
    class Status(models.TextChoices):
        REPORTED = "reported", _("Reported")
        UNDER_REVIEW = "under_review", _("Under review")
        VERIFIED = "verified", _("Verified")
        DISPUTED = "disputed", _("Disputed")
        REJECTED = "rejected", _("Rejected")

    class Confidentiality(models.TextChoices):
        INTERNAL = "internal", _("Internal")
        RESTRICTED = "restricted", _("Restricted")
        CONFIDENTIAL = "confidential", _("Confidential")

    organisation = organisation_link(_("organisation"), related_name="incidents")
    # The working title may name people: encrypted at rest, searched through its blind-indexed
    # tokens (IncidentTitleKey). What the public reads is the reviewed `public_summary`.
    title = EncryptedTextField(_("title"))
    start_date = models.DateField(_("start date"))
    start_precision = models.CharField(
        _("start date precision"),
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )
    end_date = models.DateField(_("end date"), null=True, blank=True)
    end_precision = models.CharField(
        _("end date precision"),
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )
    place = link("places.Place", _("place"), related_name="incidents")
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    location_precision = models.CharField(
        _("location precision"),
        max_length=15,
        choices=LocationPrecision.choices,
        default=LocationPrecision.NEIGHBOURHOOD,
    )
    types = models.ManyToManyField(IncidentType, related_name="incidents", verbose_name=_("types"))
    description = EncryptedTextField(_("description (restricted)"), blank=True)
    public_summary = models.TextField(_("public summary"), blank=True)
    confidentiality = models.CharField(
        _("confidentiality"),
        max_length=15,
        choices=Confidentiality.choices,
        default=Confidentiality.INTERNAL,
    )
    status = models.CharField(
        _("verification status"),
        max_length=15,
        choices=Status.choices,
        default=Status.REPORTED,
        db_index=True,
    )
    created_by = user_link(_("recorded by"))
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)
    updated_by = user_link(_("last edited by"))
    updated_at = models.DateTimeField(_("last edited"), default=timezone.now)
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        indexes = [
            models.Index(fields=["organisation", "start_date"]),
            models.Index(fields=["place", "start_date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="incident_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=(models.Q(latitude__isnull=True) & models.Q(longitude__isnull=True))
                | (
                    models.Q(latitude__gte=-90, latitude__lte=90)
                    & models.Q(longitude__gte=-180, longitude__lte=180)
                ),
                name="incident_coordinates_in_range",
            ),
        ]

    def __str__(self) -> str:
        # Never the title or description: str() ends up in logs and error reports.
        return f"Incident #{self.pk}"

    @property
    def when(self) -> str:
        start = format_partial_date(self.start_date, self.start_precision)
        if self.end_date and self.end_date != self.start_date:
            return f"{start} \N{EN DASH} {format_partial_date(self.end_date, self.end_precision)}"
        return start


class IncidentRelation(models.Model):
    class Kind(models.TextChoices):
        SAME_EVENT = "same_event", _("Same event")
        FOLLOW_UP = "follow_up", _("Follow-up")
        RELATED = "related", _("Related")

    from_incident = link(Incident, related_name="relations_from", on_delete=models.CASCADE)
    to_incident = link(Incident, related_name="relations_to", on_delete=models.CASCADE)
    kind = models.CharField(_("relation"), max_length=15, choices=Kind.choices)
    created_by = user_link(_("related by"))
    created_at = models.DateTimeField(_("related"), default=timezone.now)

    class Meta:
        verbose_name = _("related incident")
        verbose_name_plural = _("related incidents")
        constraints = [
            models.UniqueConstraint(
                fields=["from_incident", "to_incident"], name="incident_relation_once"
            ),
            models.CheckConstraint(
                condition=~models.Q(from_incident=models.F("to_incident")),
                name="incident_relation_not_to_itself",
            ),
        ]

    def __str__(self) -> str:
        return f"Incident relation #{self.pk}"


class Act(models.Model):
    """What happened to one victim in one incident."""

    class Type(models.TextChoices):
        KILLED = "killed", _("Killed")
        INJURED = "injured", _("Injured")
        ABDUCTED = "abducted", _("Abducted")
        EXTORTED = "extorted", _("Extorted")
        THREATENED = "threatened", _("Threatened")
        DISPLACED = "displaced", _("Displaced")
        PROPERTY_DESTROYED = "property_destroyed", _("Property destroyed")

    incident = link(Incident, related_name="acts", on_delete=models.CASCADE)
    victim = link("people.Person", _("victim"), related_name="acts")
    act_type = models.CharField(_("what happened"), max_length=20, choices=Type.choices)
    date = models.DateField(_("date"), null=True, blank=True)
    method = models.CharField(_("method"), max_length=200, blank=True)
    consequences = EncryptedTextField(_("consequences"), blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("act")
        verbose_name_plural = _("acts")
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "victim", "act_type"], name="act_once_per_victim_and_type"
            ),
        ]

    def __str__(self) -> str:
        return f"Act #{self.pk}"


class Involvement(models.Model):
    """An *alleged* perpetrator of an act: a person, or a described group. Restricted."""

    class Degree(models.TextChoices):
        ORDERED = "ordered", _("Ordered")
        CARRIED_OUT = "carried_out", _("Carried out")
        ASSISTED = "assisted", _("Assisted")
        PRESENT = "present", _("Present")

    class Allegation(models.TextChoices):
        ALLEGED = "alleged", _("Alleged")
        CORROBORATED = "corroborated", _("Corroborated")
        ADJUDICATED = "adjudicated", _("Adjudicated")

    act = link(Act, related_name="involvements", on_delete=models.CASCADE)
    person = link("people.Person", _("person"), related_name="involvements", null=True)
    described_group = EncryptedTextField(_("described group"), blank=True)
    degree = models.CharField(_("degree"), max_length=15, choices=Degree.choices)
    allegation_status = models.CharField(
        _("allegation status"),
        max_length=15,
        choices=Allegation.choices,
        default=Allegation.ALLEGED,
    )

    class Meta:
        verbose_name = _("alleged perpetrator")
        verbose_name_plural = _("alleged perpetrators")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False) | ~models.Q(described_group=""),
                name="involvement_names_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"Alleged perpetrator #{self.pk}"


class Source(models.Model):
    """Where information about an incident came from, graded with the Admiralty code."""

    class Kind(models.TextChoices):
        WITNESS = "witness", _("Witness")
        FAMILY = "family", _("Family member")
        POLICE_FIR = "police_fir", _("Police FIR")
        HOSPITAL = "hospital", _("Hospital or post-mortem record")
        NEWS = "news", _("News report")
        PARTNER = "partner", _("Partner organisation")
        SOCIAL_MEDIA = "social_media", _("Social media")

    class Reliability(models.TextChoices):
        A = "A", _("A — completely reliable")
        B = "B", _("B — usually reliable")
        C = "C", _("C — fairly reliable")
        D = "D", _("D — not usually reliable")
        E = "E", _("E — unreliable")
        F = "F", _("F — reliability cannot be judged")

    class Credibility(models.IntegerChoices):
        CONFIRMED = 1, _("1 — confirmed by other sources")
        PROBABLE = 2, _("2 — probably true")
        POSSIBLE = 3, _("3 — possibly true")
        DOUBTFUL = 4, _("4 — doubtful")
        IMPROBABLE = 5, _("5 — improbable")
        UNKNOWN = 6, _("6 — truth cannot be judged")

    incident = link(Incident, related_name="sources", on_delete=models.CASCADE)
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices)
    person = link("people.Person", _("person"), related_name="sources_given", null=True)
    name = EncryptedTextField(_("name of the source"), blank=True)
    # Both empty until somebody grades the source; an incident is verified only on graded ones.
    reliability = models.CharField(
        _("reliability"), max_length=1, choices=Reliability.choices, blank=True
    )
    credibility = models.PositiveSmallIntegerField(
        _("credibility"), choices=Credibility.choices, null=True, blank=True
    )
    fir_number = models.CharField(_("FIR number"), max_length=50, blank=True)
    police_station = models.CharField(_("police station"), max_length=120, blank=True)
    url = models.URLField(_("link"), blank=True)
    outlet = models.CharField(_("outlet"), max_length=120, blank=True)
    received_on = models.DateField(_("received"), null=True, blank=True)
    notes = EncryptedTextField(_("notes"), blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(credibility__isnull=True)
                | models.Q(credibility__gte=1, credibility__lte=6),
                name="source_credibility_1_to_6",
            ),
            models.CheckConstraint(
                condition=models.Q(reliability__in=[*"ABCDEF", ""]),
                name="source_reliability_a_to_f",
            ),
            models.CheckConstraint(
                condition=models.Q(reliability="", credibility__isnull=True)
                | (~models.Q(reliability="") & models.Q(credibility__isnull=False)),
                name="source_graded_on_both_scales_or_not_at_all",
            ),
        ]

    def __str__(self) -> str:
        return f"Source #{self.pk}"

    @property
    def graded(self) -> bool:
        return bool(self.reliability) and self.credibility is not None

    @property
    def grading(self) -> str:
        """The Admiralty code, e.g. "B2", or "" when not graded."""
        return f"{self.reliability}{self.credibility}" if self.graded else ""


class VerificationStep(StatusChange):
    """One step of an incident's verification history. Steps are only ever added; `note` is
    the reason given for disputing or rejecting."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted for review")
        VERIFIED = "verified", _("Verified")
        DISPUTED = "disputed", _("Disputed")
        REJECTED = "rejected", _("Rejected")
        REOPENED = "reopened", _("Sent back for review by an edit")

    incident = link(Incident, related_name="verification_steps", on_delete=models.CASCADE)
    action = models.CharField(_("step"), max_length=15, choices=Action.choices)
    from_status = models.CharField(_("from"), max_length=15, choices=Incident.Status.choices)
    to_status = models.CharField(_("to"), max_length=15, choices=Incident.Status.choices)

    class Meta(StatusChange.Meta):
        verbose_name = _("verification step")
        verbose_name_plural = _("verification steps")

    def __str__(self) -> str:
        return f"Verification step #{self.pk}"


class IncidentTitleKey(models.Model):
    """One blind-indexed token of an incident's working title, so that staff find an incident
    by a word of its title without the title being stored or compared in plaintext
    (madad.incidents.title_index). Rebuilt whenever the title changes."""

    incident = link(Incident, _("incident"), related_name="title_keys", on_delete=models.CASCADE)
    key = models.CharField(_("key"), max_length=64)

    class Meta:
        verbose_name = _("title key")
        verbose_name_plural = _("title keys")
        constraints = [
            models.UniqueConstraint(fields=["incident", "key"], name="incident_title_key_once"),
        ]
        indexes = [models.Index(fields=["key", "incident"], name="incident_title_key_lookup")]

    def __str__(self) -> str:
        return f"Title key of incident #{self.incident_id}"


class Confidence(models.TextChoices):
    """What an incident's graded sources, taken together, let us say about it."""

    NONE = "none", _("No graded source yet")
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


_STRONG_RELIABILITY, _FAIR_RELIABILITY = frozenset("AB"), frozenset("ABC")


def overall_confidence(sources: Iterable[Source]) -> Confidence:
    """High: one source both reliable (A or B) and credible (1 or 2), or two at least fairly
    so (A to C and 1 to 3). Medium: one fairly reliable and credible source. Low: only weaker
    ones."""
    graded = [s for s in sources if s.graded]
    if not graded:
        return Confidence.NONE
    fair = [
        s
        for s in graded
        if s.reliability in _FAIR_RELIABILITY and s.credibility is not None and s.credibility <= 3
    ]
    strong = [
        s
        for s in fair
        if s.reliability in _STRONG_RELIABILITY and s.credibility is not None and s.credibility <= 2
    ]
    if strong or len(fair) >= 2:
        return Confidence.HIGH
    if fair:
        return Confidence.MEDIUM
    return Confidence.LOW
