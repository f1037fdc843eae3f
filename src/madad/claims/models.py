"""Government compensation claims and their status history."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Claim(models.Model):
    class Status(models.TextChoices):
        FILED = "filed", _("Filed")
        DOCUMENTS_REQUESTED = "documents_requested", _("Documents requested")
        APPROVED = "approved", _("Approved")
        PAID = "paid", _("Paid")
        REJECTED = "rejected", _("Rejected")
        APPEALED = "appealed", _("Appealed")

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="claims")
    scheme = models.CharField(_("scheme"), max_length=200)
    authority = models.CharField(_("authority"), max_length=200)
    filed_on = models.DateField(_("filed on"))
    amount_claimed = models.DecimalField(_("amount claimed (PKR)"), max_digits=12,
                                         decimal_places=2)
    amount_awarded = models.DecimalField(_("amount awarded (PKR)"), max_digits=12,
                                         decimal_places=2, null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices,
                              default=Status.FILED)
    next_action_on = models.DateField(_("next action"), null=True, blank=True)
    documents = models.ManyToManyField("evidence.EvidenceFile", blank=True,
                                       related_name="claims", verbose_name=_("documents"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["next_action_on", "id"]
        verbose_name = _("compensation claim")
        verbose_name_plural = _("compensation claims")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount_claimed__gt=0),
                                   name="claim_amount_positive"),
            models.CheckConstraint(condition=models.Q(amount_awarded__isnull=True)
                                   | models.Q(amount_awarded__gte=0),
                                   name="claim_award_not_negative"),
        ]


class ClaimStatusChange(models.Model):
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="history")
    status = models.CharField(max_length=20, choices=Claim.Status.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["at", "id"]
