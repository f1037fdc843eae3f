"""Sharing with human-rights organisations and visiting delegations: access grants.

A grant opens a chosen set of the organisation's records (testimonies, incidents, evidence
files, case summaries) to named users of another organisation, for a written purpose, between
two dates, with the fields allowed for each kind. It is created by one coordinator and starts
only when a second one approves it. Whether a granted record is shown is decided at every
request by the access policy (madad.access.sharing): the grant must be approved, not revoked
and within its dates, and the people in the record must have consented to this kind of
recipient (or this organisation by name) — so expiry, revocation and a withdrawal of consent
take effect at the very next request.

A grantee can ask to meet the people of a granted incident (MeetingRequest); the family's
caseworker asks the family and arranges it only with their consent. Every download is kept
(GrantDownload) with the identifier stamped into the file, so that a leaked copy names its
source.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from madad.accounts.models import Organisation
from madad.core.fields import EncryptedTextField
from madad.core.history import StatusChange
from madad.core.links import link, organisation_link, user_link
from madad.core.versioned import Versioned
from madad.testimonies.models import ConsentPurpose

# The consent purposes a grant can rest on: sharing with a named human-rights organisation,
# or viewing by a visiting delegation.
GRANT_PURPOSES = (ConsentPurpose.HUMAN_RIGHTS_SHARING, ConsentPurpose.DELEGATION_VIEWING)


class Grant(Versioned):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")
        REVOKED = "revoked", _("Revoked")
        EXPIRED = "expired", _("Ended")

    class ConsentPurposes(models.TextChoices):
        HUMAN_RIGHTS_SHARING = (
            ConsentPurpose.HUMAN_RIGHTS_SHARING.value,
            _("Sharing with a human-rights organisation"),
        )
        DELEGATION_VIEWING = (
            ConsentPurpose.DELEGATION_VIEWING.value,
            _("Viewing by a visiting delegation"),
        )

    organisation = organisation_link(_("shared by"), related_name="grants_given")
    grantee = organisation_link(_("shared with"), related_name="grants_received")
    users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="grants", verbose_name=_("people who may read")
    )
    purpose = models.TextField(_("purpose"))
    consent_purpose = models.CharField(
        _("consent it rests on"), max_length=30, choices=ConsentPurposes.choices
    )
    valid_from = models.DateField(_("from"))
    valid_until = models.DateField(_("until"))
    share_transcripts = models.BooleanField(_("testimony texts"), default=False)
    share_descriptions = models.BooleanField(
        _("incident descriptions and evidence descriptions"), default=False
    )
    downloads_allowed = models.BooleanField(_("downloads"), default=True)
    # the filter the records were chosen by, if any (services.IncidentFilter.saved): dates,
    # place and type codes, whether testimonies came along
    selection = models.JSONField(_("chosen by filter"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    # records chosen that were left out because consent did not cover them (never which)
    left_out = models.PositiveIntegerField(_("left out for lack of consent"), default=0)
    created_by = user_link(_("created by"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    decided_by = user_link(_("approved or refused by"), null=True)
    decided_at = models.DateTimeField(_("approved or refused"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    end_reason = models.TextField(_("why it ended"), blank=True)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("access grant")
        verbose_name_plural = _("access grants")
        indexes = [models.Index(fields=["grantee", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_from__lte=F("valid_until")), name="grant_dates_in_order"
            ),
            models.CheckConstraint(
                condition=~Q(grantee=F("organisation")), name="grant_to_another_organisation"
            ),
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("created_by")),
                name="grant_approved_by_another",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["approved", "refused"]) | Q(decided_at__isnull=False),
                name="grant_decision_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"Grant #{self.pk}"

    def in_force_on(self, day: dt.date) -> bool:
        return self.status == self.Status.APPROVED and self.valid_from <= day <= self.valid_until


class GrantChange(StatusChange):
    """A move of a grant: created, approved, refused, revoked, ended; who, when and why."""

    grant = link(Grant, _("grant"), related_name="changes", on_delete=models.CASCADE)
    from_status = models.CharField(_("from"), max_length=20, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=Grant.Status.choices)

    class Meta(StatusChange.Meta):
        verbose_name = _("change of a grant")
        verbose_name_plural = _("changes of grants")


class GrantedRecord(models.Model):
    """One record of a grant: a testimony, an incident, an evidence file or a case (shown only
    as its summary: status, months and counts; see madad.access.sharing)."""

    class Kind(models.TextChoices):
        TESTIMONY = "testimony", _("Testimony")
        INCIDENT = "incident", _("Incident")
        EVIDENCE = "evidence", _("Evidence file")
        CASE = "case", _("Case summary")

    grant = link(Grant, _("grant"), related_name="records", on_delete=models.CASCADE)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    testimony = link("testimonies.Testimony", _("testimony"), null=True)
    incident = link("incidents.Incident", _("incident"), null=True)
    evidence = link("evidence.EvidenceFile", _("evidence file"), null=True)
    case = link("cases.Case", _("case"), null=True)

    class Meta:
        ordering = ["kind", "id"]
        verbose_name = _("granted record")
        verbose_name_plural = _("granted records")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="testimony", testimony__isnull=False)
                    & Q(incident__isnull=True, evidence__isnull=True, case__isnull=True)
                )
                | (
                    Q(kind="incident", incident__isnull=False)
                    & Q(testimony__isnull=True, evidence__isnull=True, case__isnull=True)
                )
                | (
                    Q(kind="evidence", evidence__isnull=False)
                    & Q(testimony__isnull=True, incident__isnull=True, case__isnull=True)
                )
                | (
                    Q(kind="case", case__isnull=False)
                    & Q(testimony__isnull=True, incident__isnull=True, evidence__isnull=True)
                ),
                name="granted_record_names_one_record_of_its_kind",
            ),
            models.UniqueConstraint(fields=["grant", "testimony"], name="granted_testimony_once"),
            models.UniqueConstraint(fields=["grant", "incident"], name="granted_incident_once"),
            models.UniqueConstraint(fields=["grant", "evidence"], name="granted_evidence_once"),
            models.UniqueConstraint(fields=["grant", "case"], name="granted_case_once"),
        ]

    def __str__(self) -> str:
        return f"Granted record #{self.pk}"

    @property
    def record(self) -> models.Model:
        target: models.Model | None = self.testimony or self.incident or self.evidence or self.case
        if target is None:  # the database's check constraint makes this impossible
            raise ValueError(f"{self} names no record")
        return target


class GrantDownload(models.Model):
    """One file taken away by a grantee, with the identifier stamped into it."""

    identifier = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    granted_record = link(GrantedRecord, _("record"), related_name="downloads")
    user = user_link(_("downloaded by"))
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("download")
        verbose_name_plural = _("downloads")

    def __str__(self) -> str:
        return f"Download {self.identifier}"


class MeetingRequest(Versioned):
    """A grantee's wish to meet the people of a granted incident. It goes to the family's
    caseworker, who asks the family; only with their consent is a meeting set, by the
    caseworker. The grantee never sees contact details."""

    class Status(models.TextChoices):
        ASKED = "asked", _("Waiting for the family's answer")
        ARRANGED = "arranged", _("Meeting arranged")
        DECLINED = "declined", _("The family declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    granted_record = link(GrantedRecord, _("incident"), related_name="meeting_requests")
    requested_by = user_link(_("asked by"))
    requested_at = models.DateTimeField(_("asked"), default=timezone.now)
    message = EncryptedTextField(_("message to the family"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ASKED, db_index=True
    )
    # the family's answer, as the caseworker recorded it
    answered_by = user_link(_("answered by"), null=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    meeting_at = models.DateTimeField(_("meeting time"), null=True, blank=True)
    meeting_place = EncryptedTextField(_("meeting place"), blank=True)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("meeting request")
        verbose_name_plural = _("meeting requests")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="arranged") | Q(meeting_at__isnull=False),
                name="meeting_arranged_has_a_time",
            ),
            # one request waits for the family's answer at a time
            models.UniqueConstraint(
                fields=["granted_record"],
                condition=Q(status="asked"),
                name="one_meeting_request_waiting_per_record",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["asked", "withdrawn"]) | Q(answered_at__isnull=False),
                name="meeting_answer_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"Meeting request #{self.pk}"

    @property
    def organisation(self) -> Organisation:
        """The organisation whose grant and family it concerns (its audit events are its)."""
        organisation: Organisation = self.granted_record.grant.organisation
        return organisation
