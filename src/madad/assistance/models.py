"""Assistance: one item of help, requested → approved (by a second person) → disbursed →
receipt confirmed, or cancelled.

The rules that matter most are kept by the database too, so that no code path can break them:
the approver is never the requester, an approved item names its approver, a disbursed item its
method and time, and an amount is positive. Changes go through `assistance.services`, which
bump `version` with a conditional UPDATE (core.versioned): of two people approving at the same
moment, exactly one wins and the other is told that somebody else acted first.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from madad.core.fields import EncryptedTextField
from madad.core.links import link, organisation_link, user_link
from madad.core.versioned import Versioned

# Amounts are in Pakistani rupees with two decimal places, at most 9,999,999,999.99.
MAX_AMOUNT = Decimal("9999999999.99")


class Kind(models.TextChoices):
    CASH_GRANT = "cash_grant", _("Cash grant")
    MEDICAL_BILLS = "medical_bills", _("Medical bills")
    SCHOOL_FEES = "school_fees", _("School fees")
    LEGAL_AID = "legal_aid", _("Legal aid")
    FOOD = "food", _("Food")
    RENT = "rent", _("Rent")
    LIVELIHOOD_GRANT = "livelihood_grant", _("Livelihood grant")
    OTHER = "other", _("Other")


class DisbursementMethod(models.TextChoices):
    CASH = "cash", _("Cash in hand")
    BANK_TRANSFER = "bank_transfer", _("Bank transfer")
    MOBILE_WALLET = "mobile_wallet", _("Mobile wallet")
    CHEQUE = "cheque", _("Cheque")
    PAID_TO_PROVIDER = "paid_to_provider", _("Paid to the provider (school, hospital, landlord)")
    GOODS_DELIVERED = "goods_delivered", _("Goods delivered")


class Limit(models.Model):
    """The most one item of a kind may be without a coordinator's approval (PKR).

    A kind with no limit set needs a coordinator for every item with an amount: an organisation
    that has not decided its limits yet fails closed.
    """

    organisation = organisation_link(
        _("organisation"), related_name="assistance_limits", on_delete=models.CASCADE
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    max_amount = models.DecimalField(_("limit (PKR)"), max_digits=12, decimal_places=2)
    updated_by = user_link(_("changed by"), null=True)
    updated_at = models.DateTimeField(_("changed"), default=timezone.now)

    class Meta:
        ordering = ["kind"]
        verbose_name = _("assistance limit")
        verbose_name_plural = _("assistance limits")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "kind"], name="one_limit_per_kind"),
            models.CheckConstraint(
                condition=models.Q(max_amount__gte=0), name="limit_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"Limit #{self.pk}"


class Assistance(Versioned):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        APPROVED = "approved", _("Approved")
        DISBURSED = "disbursed", _("Disbursed")
        RECEIPT_CONFIRMED = "receipt_confirmed", _("Receipt confirmed")
        CANCELLED = "cancelled", _("Cancelled")

    case = link("cases.Case", _("case"), related_name="assistance")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    amount = models.DecimalField(
        _("amount (PKR)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    # encrypted like every free text that may name people ("school uniform for Ayesha")
    in_kind = EncryptedTextField(_("in-kind description"), blank=True)
    purpose = EncryptedTextField(_("why it is needed"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REQUESTED, db_index=True
    )
    requested_by = user_link(_("requested by"))
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    approved_by = user_link(_("approved by"), null=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    # whether the approval needed a coordinator because the amount was over the kind's limit
    approved_over_limit = models.BooleanField(_("approved over the limit"), default=False)
    disbursed_by = user_link(_("disbursed by"), null=True)
    disbursed_at = models.DateTimeField(_("disbursed"), null=True, blank=True)
    disbursement_method = models.CharField(
        _("method"), max_length=20, choices=DisbursementMethod.choices, blank=True
    )
    disbursement_reference = EncryptedTextField(_("reference"), blank=True)
    receipt_confirmed_by = user_link(_("receipt confirmed by"), null=True)
    receipt_confirmed_at = models.DateTimeField(_("receipt confirmed"), null=True, blank=True)
    cancelled_by = user_link(_("cancelled by"), null=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancelled_reason = EncryptedTextField(_("reason for cancelling"), blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("assistance")
        verbose_name_plural = _("assistance")
        indexes = [models.Index(fields=["case", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=False, amount__gt=0) | ~Q(in_kind=""),
                name="assistance_has_amount_or_description",
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gt=0),
                name="assistance_amount_positive",
            ),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=models.F("requested_by")),
                name="assistance_approver_is_not_requester",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["requested", "cancelled"])
                | Q(approved_by__isnull=False, approved_at__isnull=False),
                name="assistance_approved_names_approver",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["disbursed", "receipt_confirmed"])
                | (
                    Q(disbursed_at__isnull=False, disbursed_by__isnull=False)
                    & ~Q(disbursement_method="")
                ),
                name="assistance_disbursed_names_method",
            ),
            models.CheckConstraint(
                condition=~Q(status="receipt_confirmed") | Q(receipt_confirmed_at__isnull=False),
                name="assistance_receipt_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | Q(cancelled_at__isnull=False),
                name="assistance_cancelled_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"Assistance #{self.pk}"

    @property
    def is_open(self) -> bool:
        """Still on its way to the family (neither received nor cancelled)."""
        return self.status in (self.Status.REQUESTED, self.Status.APPROVED, self.Status.DISBURSED)
