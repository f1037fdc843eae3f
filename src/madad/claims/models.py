"""Government compensation claims and their status history.

A claim asks a government scheme (for example a provincial compensation package for victims of
violence) for money for a household. Its documents are evidence files of the incident the
claim is about (evidence.EvidenceFile needs an incident), attached through the claim.
Every change of status is a row of ClaimStatusChange; the claim keeps the current status.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from madad.core.fields import EncryptedTextField
from madad.core.history import StatusChange
from madad.core.links import link, user_link
from madad.core.versioned import Versioned


class Claim(Versioned):
    class Status(models.TextChoices):
        FILED = "filed", _("Filed")
        DOCUMENTS_REQUESTED = "documents_requested", _("Documents requested")
        APPROVED = "approved", _("Approved")
        PAID = "paid", _("Paid")
        REJECTED = "rejected", _("Rejected")
        APPEALED = "appealed", _("Appealed")

    case = link("cases.Case", _("case"), related_name="claims")
    incident = link(
        "incidents.Incident",
        _("incident claimed for"),
        related_name="compensation_claims",
        null=True,
    )
    scheme = models.CharField(_("scheme"), max_length=200)
    authority = models.CharField(_("authority"), max_length=200)
    authority_reference = EncryptedTextField(_("authority's file number"), blank=True)
    filed_on = models.DateField(_("filed on"))
    amount_claimed = models.DecimalField(_("amount claimed (PKR)"), max_digits=12, decimal_places=2)
    amount_awarded = models.DecimalField(
        _("amount awarded (PKR)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.FILED, db_index=True
    )
    next_action_on = models.DateField(_("next action"), null=True, blank=True)
    # free text that may name people (who to see, whom to call): encrypted like the reference
    next_action = EncryptedTextField(_("what to do next"), blank=True)
    documents = models.ManyToManyField(
        "evidence.EvidenceFile", blank=True, related_name="claims", verbose_name=_("documents")
    )
    created_by = user_link(_("filed by"))
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)
    updated_at = models.DateTimeField(_("last changed"), default=timezone.now)

    class Meta:
        ordering = ["next_action_on", "id"]
        verbose_name = _("compensation claim")
        verbose_name_plural = _("compensation claims")
        indexes = [models.Index(fields=["status", "next_action_on"])]
        constraints = [
            models.CheckConstraint(condition=Q(amount_claimed__gt=0), name="claim_amount_positive"),
            models.CheckConstraint(
                condition=Q(amount_awarded__isnull=True) | Q(amount_awarded__gte=0),
                name="claim_award_not_negative",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["approved", "paid"]) | Q(amount_awarded__isnull=False),
                name="claim_approved_has_award",
            ),
        ]

    def __str__(self) -> str:
        return f"Claim #{self.pk}"

    @property
    def is_final(self) -> bool:
        return self.status == self.Status.PAID


class ClaimStatusChange(StatusChange):
    claim = link(Claim, _("claim"), related_name="history", on_delete=models.CASCADE)
    from_status = models.CharField(
        _("from"), max_length=20, choices=Claim.Status.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=Claim.Status.choices)
    note = EncryptedTextField(_("note"), blank=True)

    class Meta(StatusChange.Meta):
        verbose_name = _("claim status change")
        verbose_name_plural = _("claim status changes")

    def __str__(self) -> str:
        return f"Status change #{self.pk} of claim #{self.claim_id}"
