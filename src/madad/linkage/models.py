"""Record linkage: who may be the same person (or the same incident), what was decided, and
what each merge changed, so that it can be undone.

Pairs and merges name persons by id, not by foreign key: a merged person no longer exists
until its merge is undone, and the record of the merge must outlive it.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from madad.core.fields import EncryptedTextField
from madad.core.links import link, organisation_link, user_link


class PersonRecordId(models.Model):
    """The id a person had in an imported file (`madad import persons`), so that
    `madad dedup persons` can answer in the file's own terms; and the place the file gave."""

    organisation = organisation_link(_("organisation"))
    person = link("people.Person", _("person"), related_name="record_ids")
    record_id = models.CharField(_("record id"), max_length=100)
    place = link("places.Place", _("place"), null=True)
    imported_at = models.DateTimeField(_("imported"), default=timezone.now)

    class Meta:
        ordering = ["id"]
        verbose_name = _("imported record id")
        verbose_name_plural = _("imported record ids")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "record_id"], name="record_id_once_per_organisation"
            ),
        ]

    def __str__(self) -> str:
        return f"Record id #{self.pk}"


class PersonMatchKey(models.Model):
    """A blind-indexed blocking key of a person (madad.linkage.keys), for the duplicate check
    while a person is being recorded. Derived data: rebuilt, never moved by a merge."""

    organisation = organisation_link(on_delete=models.CASCADE)
    person = link("people.Person", related_name="match_keys", on_delete=models.CASCADE)
    key = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "key"], name="match_key_once_per_person")
        ]
        indexes = [models.Index(fields=["organisation", "key"], name="match_key_lookup")]

    def __str__(self) -> str:
        return f"Match key of person #{self.person_id}"


class LinkageRun(models.Model):
    """One batch run of the matcher over an organisation's persons or incidents."""

    class Kind(models.TextChoices):
        PERSONS = "persons", _("Persons")
        INCIDENTS = "incidents", _("Incidents")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Running")
        DONE = "done", _("Finished")
        FAILED = "failed", _("Failed")

    organisation = organisation_link(_("organisation"))
    kind = models.CharField(_("what"), max_length=10, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    requested_by = user_link(_("requested by"), null=True)
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    progress = models.FloatField(_("progress"), default=0.0)
    threshold = models.FloatField(_("review threshold"), default=0.5)
    records = models.PositiveIntegerField(_("records compared"), default=0)
    candidates = models.PositiveBigIntegerField(_("candidate pairs scored"), default=0)
    pairs_found = models.PositiveIntegerField(_("pairs for review"), default=0)
    # m, u and the prior of the Fellegi-Sunter model (no personal data)
    parameters = models.JSONField(_("model parameters"), default=dict, blank=True)
    error = models.CharField(_("error"), max_length=200, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("linkage run")
        verbose_name_plural = _("linkage runs")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__gte=0, progress__lte=1),
                name="linkage_run_progress_0_to_1",
            ),
            models.CheckConstraint(
                condition=models.Q(threshold__gt=0, threshold__lt=1),
                name="linkage_run_threshold_0_to_1",
            ),
        ]

    def __str__(self) -> str:
        return f"Linkage run #{self.pk}"


class Decision(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    MERGED = "merged", _("Merged")
    SAME_EVENT = "same_event", _("Same event")
    NOT_SAME = "not_same", _("Not the same")
    SUPERSEDED = "superseded", _("Superseded by a merge")


class CandidatePair(models.Model):
    """What a pair the matcher proposed keeps, persons or incidents: the evidence, when it was
    found, and the reviewer's decision."""

    organisation = organisation_link(_("organisation"))
    evidence = models.JSONField(_("evidence"), default=dict)
    found_at = models.DateTimeField(_("found"), default=timezone.now)
    status = models.CharField(
        _("decision"),
        max_length=12,
        choices=Decision.choices,
        default=Decision.PENDING,
        db_index=True,
    )
    decided_by = user_link(_("decided by"), null=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        abstract = True


class PersonPair(CandidatePair):
    """Two persons who may be one. `evidence` holds the level of agreement of each compared
    field and its weight, never a value."""

    person_a_id = models.PositiveBigIntegerField(_("first person"), db_index=True)
    person_b_id = models.PositiveBigIntegerField(_("second person"), db_index=True)
    probability = models.FloatField(_("probability"))
    weight = models.FloatField(_("match weight"))
    found_by = link(
        LinkageRun, _("found by"), related_name="person_pairs", on_delete=models.SET_NULL, null=True
    )

    class Meta:
        ordering = ["-probability", "id"]
        verbose_name = _("possible duplicate")
        verbose_name_plural = _("possible duplicates")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "person_a_id", "person_b_id"], name="person_pair_once"
            ),
            models.CheckConstraint(
                condition=models.Q(person_a_id__lt=models.F("person_b_id")),
                name="person_pair_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(probability__gte=0, probability__lte=1),
                name="person_pair_probability_0_to_1",
            ),
        ]

    def __str__(self) -> str:
        return f"Person pair #{self.pk}"


class IncidentPair(CandidatePair):
    """Two incidents that may be one event reported by several sources."""

    incident_a = link("incidents.Incident", _("first incident"), on_delete=models.CASCADE)
    incident_b = link("incidents.Incident", _("second incident"), on_delete=models.CASCADE)
    score = models.FloatField(_("score"))
    found_by = link(
        LinkageRun,
        _("found by"),
        related_name="incident_pairs",
        on_delete=models.SET_NULL,
        null=True,
    )
    relation = link(
        "incidents.IncidentRelation", _("relation recorded"), on_delete=models.SET_NULL, null=True
    )

    class Meta:
        ordering = ["-score", "id"]
        verbose_name = _("possible duplicate incident")
        verbose_name_plural = _("possible duplicate incidents")
        constraints = [
            models.UniqueConstraint(fields=["incident_a", "incident_b"], name="incident_pair_once"),
            models.CheckConstraint(
                condition=models.Q(incident_a__lt=models.F("incident_b")),
                name="incident_pair_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"Incident pair #{self.pk}"


class MergeRecord(models.Model):
    """One merge of two persons, with what is needed to undo it exactly: both persons' rows
    as they were, and every row that was re-pointed from the merged person to the kept one.
    The snapshot holds identity fields, so it is encrypted like them."""

    organisation = organisation_link(_("organisation"))
    pair = link(PersonPair, _("pair"), related_name="merges", on_delete=models.SET_NULL, null=True)
    kept_person_id = models.PositiveBigIntegerField(_("person kept"), db_index=True)
    merged_person_id = models.PositiveBigIntegerField(_("person merged into it"), db_index=True)
    snapshot = EncryptedTextField(_("snapshot"))
    merged_by = user_link(_("merged by"))
    merged_at = models.DateTimeField(_("merged"), default=timezone.now)
    undone_by = user_link(_("undone by"), null=True)
    undone_at = models.DateTimeField(_("undone"), null=True, blank=True)

    class Meta:
        ordering = ["-merged_at", "-id"]
        verbose_name = _("merge")
        verbose_name_plural = _("merges")

    def __str__(self) -> str:
        return f"Merge #{self.pk}"

    @property
    def undone(self) -> bool:
        return self.undone_at is not None
