"""Testimonies, and the consent under which a person's statements and records may be used.

Consent is kept as a history: each decision (given, withdrawn) is a new row, never an edit, so
that what was allowed on any day can be answered later. The database refuses to update or
delete consent rows (core.append_only; migration 0004).

Sharing with a human-rights organisation and referral to a partner name their recipient: consent
for one organisation never covers another.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from madad.core import append_only
from madad.core.fields import EncryptedTextField
from madad.core.links import link, organisation_link, user_link

if TYPE_CHECKING:
    from madad.accounts.models import Organisation
    from madad.people.models import Person


class Language(models.TextChoices):
    URDU = "ur", _("Urdu")
    ENGLISH = "en", _("English")
    SINDHI = "sd", _("Sindhi")
    PASHTO = "ps", _("Pashto")
    PUNJABI = "pa", _("Punjabi")
    BALOCHI = "bal", _("Balochi")
    OTHER = "other", _("Other")


class Testimony(models.Model):
    """A statement by one person, optionally about one incident."""

    organisation = organisation_link(_("organisation"), related_name="testimonies")
    person = link("people.Person", _("given by"), related_name="testimonies")
    incident = link("incidents.Incident", _("incident"), related_name="testimonies", null=True)
    date = models.DateField(_("date given"))
    language = models.CharField(_("language"), max_length=10, choices=Language.choices)
    transcript = EncryptedTextField(_("transcript"))
    recorded_by = user_link(_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("testimony")
        verbose_name_plural = _("testimonies")
        indexes = [models.Index(fields=["organisation", "date"])]

    def __str__(self) -> str:
        # Never the transcript or a name: str() ends up in logs and error reports.
        return f"Testimony #{self.pk}"


class ConsentPurpose(models.TextChoices):
    CASE_MANAGEMENT = "case_management", _("Case management")
    REFERRAL = "referral", _("Referral to a partner")
    HUMAN_RIGHTS_SHARING = "human_rights_sharing", _("Sharing with a human-rights organisation")
    ANONYMISED_PUBLICATION = "anonymised_publication", _("Anonymised publication")
    DELEGATION_VIEWING = "delegation_viewing", _("Viewing by a visiting delegation")


# Purposes whose consent names the one organisation it allows; consent for one does not cover
# another.
PURPOSES_WITH_RECIPIENT = frozenset({ConsentPurpose.HUMAN_RIGHTS_SHARING, ConsentPurpose.REFERRAL})


class ConsentDecision(models.TextChoices):
    GIVEN = "given", _("Given")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ConsentRecord(models.Model):
    """One decision of a person about one purpose: for all their records (testimony empty), or
    for one testimony. Append-only: the latest decision for a purpose is the one in force."""

    organisation = organisation_link(_("organisation"), related_name="consent_records")
    person = link("people.Person", _("person"), related_name="consent_records")
    testimony = link(Testimony, _("testimony"), related_name="consent_records", null=True)
    purpose = models.CharField(_("purpose"), max_length=30, choices=ConsentPurpose.choices)
    recipient = organisation_link(_("recipient organisation"), null=True)
    decision = models.CharField(_("decision"), max_length=10, choices=ConsentDecision.choices)
    date = models.DateField(_("date"))
    recorded_by = user_link(_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        ordering = ["-date", "-recorded_at", "-id"]
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        indexes = [models.Index(fields=["person", "purpose", "date"])]
        constraints = [
            # Referral consent recorded before it named its partner (migration 0003) has no
            # recipient and covers no partner; rows are never updated, so those stay. New ones
            # without a recipient are refused by a database trigger (migration 0003) and by
            # services.consent_give.
            models.CheckConstraint(
                condition=models.Q(purpose="human_rights_sharing", recipient__isnull=False)
                | models.Q(purpose="referral")
                | (
                    ~models.Q(purpose__in=["human_rights_sharing", "referral"])
                    & models.Q(recipient__isnull=True)
                ),
                name="consent_recipient_only_for_sharing_and_referral",
            ),
        ]

    def __str__(self) -> str:
        return f"Consent record #{self.pk}"


def decision_in_force(
    *,
    person: Person,
    testimony: Testimony | None,
    purpose: str,
    recipient: Organisation | None,
    on: dt.date,
) -> ConsentRecord | None:
    """The decision in force on `on`: the latest of the person's decisions for all their records
    and, when a testimony is named, those for that testimony; for a purpose that names its
    recipient, only decisions about that recipient. The one rule every question about consent
    asks (testimonies.services.consent_covers, the access policy's shared records)."""
    records = ConsentRecord.objects.filter(person=person, purpose=purpose, date__lte=on)
    if testimony is None:
        records = records.filter(testimony__isnull=True)
    else:
        records = records.filter(testimony__isnull=True) | records.filter(testimony=testimony)
    if purpose in PURPOSES_WITH_RECIPIENT:
        records = records.filter(recipient=recipient)
    return records.order_by("-date", "-recorded_at", "-id").first()


# A merge of two records of one human moves their consent decisions to the kept record (and an
# undo moves them back); nothing else about a decision ever changes.
append_only.protect(
    "testimonies_consentrecord",
    message="consent records are append-only: record a new decision instead",
    movable=("person_id",),
)
