"""Referrals of a case to a partner organisation, under consent."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Referral(models.Model):
    class Status(models.TextChoices):
        SENT = "sent", _("Sent")
        ACCEPTED = "accepted", _("Accepted")
        COMPLETED = "completed", _("Completed")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="referrals")
    partner = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT,
                                related_name="referrals_received", verbose_name=_("partner"))
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT,
                               related_name="referrals", verbose_name=_("person referred"))
    service = models.CharField(_("service"), max_length=200)
    shared_summary = models.TextField(_("what the partner is told"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.SENT)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)
    responded_at = models.DateTimeField(null=True, blank=True)
    response_note = models.TextField(_("partner's note"), blank=True)

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
