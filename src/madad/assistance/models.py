"""Assistance: one item of help, requested → approved (by a second person) → disbursed →
receipt confirmed, or cancelled."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from madad.core.fields import EncryptedTextField


class Kind(models.TextChoices):
    CASH_GRANT = "cash_grant", _("Cash grant")
    MEDICAL_BILLS = "medical_bills", _("Medical bills")
    SCHOOL_FEES = "school_fees", _("School fees")
    LEGAL_AID = "legal_aid", _("Legal aid")
    FOOD = "food", _("Food")
    RENT = "rent", _("Rent")
    LIVELIHOOD_GRANT = "livelihood_grant", _("Livelihood grant")
    OTHER = "other", _("Other")


class Limit(models.Model):
    """The most one item of a kind may be without a coordinator's approval (PKR)."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE,
                                     related_name="assistance_limits")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    max_amount = models.DecimalField(_("limit (PKR)"), max_digits=12, decimal_places=2)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "kind"], name="one_limit_per_kind"),
            models.CheckConstraint(condition=models.Q(max_amount__gte=0),
                                   name="limit_not_negative"),
        ]


class Assistance(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        APPROVED = "approved", _("Approved")
        DISBURSED = "disbursed", _("Disbursed")
        RECEIPT_CONFIRMED = "receipt_confirmed", _("Receipt confirmed")
        CANCELLED = "cancelled", _("Cancelled")

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="assistance")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    amount = models.DecimalField(_("amount (PKR)"), max_digits=12, decimal_places=2,
                                 null=True, blank=True)
    in_kind = models.CharField(_("in-kind description"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices,
                              default=Status.REQUESTED, db_index=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    disbursed_at = models.DateTimeField(null=True, blank=True)
    disbursement_method = models.CharField(_("method"), max_length=30, blank=True)
    disbursement_reference = EncryptedTextField(_("reference"), blank=True)
    receipt_confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_reason = models.TextField(_("reason for cancelling"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("assistance")
        verbose_name_plural = _("assistance")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__isnull=False, amount__gt=0) | ~models.Q(in_kind=""),
                name="assistance_has_amount_or_description",
            ),
            models.CheckConstraint(
                condition=models.Q(approved_by__isnull=True)
                | ~models.Q(approved_by=models.F("requested_by")),
                name="assistance_approver_is_not_requester",
            ),
        ]

    def __str__(self) -> str:
        return f"Assistance #{self.pk}"
