"""Referrals of a case to a partner organisation, under consent.

A referral carries its own copy of what it shares with the partner: the service asked for, a
summary written for the partner, the person's given name and, only if the caseworker ticked it,
their phone number. The partner reads these fields and nothing else of the case, the household
or the person (see madad.access.referrals). The copy is taken when the referral is sent, so a
later change to the person's record is not shared by accident.

Sharing lasts only while the person's consent to referral is in force: after a withdrawal the
partner no longer finds the referral (404) and no new referral can be sent.

Every answer of the partner is kept (ReferralAnswer), each with its own note: the referral's
`responded_*` and `response_note` are only the latest answer's.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from madad.core.fields import EncryptedTextField
from madad.core.history import StatusChange
from madad.core.links import link, organisation_link, user_link
from madad.core.versioned import Versioned


class Referral(Versioned):
    class Status(models.TextChoices):
        SENT = "sent", _("Sent")
        ACCEPTED = "accepted", _("Accepted")
        COMPLETED = "completed", _("Completed")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    organisation = organisation_link(_("referred by"), related_name="referrals_sent")
    case = link("cases.Case", _("case"), related_name="referrals")
    partner = organisation_link(_("partner"), related_name="referrals_received")
    person = link("people.Person", _("person referred"), related_name="referrals")
    service = models.CharField(_("service"), max_length=200)
    shared_summary = EncryptedTextField(_("what the partner is told"), blank=True)
    shared_given_name = EncryptedTextField(_("given name shared"), blank=True)
    shared_phone = EncryptedTextField(_("phone number shared"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SENT, db_index=True
    )
    sent_by = user_link(_("sent by"))
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    # the latest answer (every answer, each with its note: ReferralAnswer)
    responded_by = user_link(_("answered by"), null=True)
    responded_at = models.DateTimeField(_("last answer"), null=True, blank=True)
    # the latest answer's note (empty if it had none); the partner's words about the person:
    # encrypted like what it was told
    response_note = EncryptedTextField(_("partner's note"), blank=True)
    # when the case's caseworker (or the sender) last read the partner's answer
    response_seen_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        indexes = [models.Index(fields=["partner", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(partner=models.F("organisation")),
                name="referral_to_another_organisation",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["sent", "withdrawn"]) | Q(responded_at__isnull=False),
                name="referral_answer_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="withdrawn") | Q(withdrawn_at__isnull=False),
                name="referral_withdrawal_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"Referral #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.SENT, self.Status.ACCEPTED)


class ReferralAnswer(StatusChange):
    """One answer of the partner to a referral: the status it moved the referral from and to,
    who answered, when, and the note written with it (the partner's words about the person,
    encrypted like the referral's own). Answers are only ever added, by
    services.referral_respond, in the same transaction as the move they record."""

    referral = link(Referral, _("referral"), related_name="answers", on_delete=models.CASCADE)
    from_status = models.CharField(_("from"), max_length=20, choices=Referral.Status.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=Referral.Status.choices)
    note = EncryptedTextField(_("note"), blank=True)

    class Meta(StatusChange.Meta):
        verbose_name = _("answer to a referral")
        verbose_name_plural = _("answers to referrals")
        constraints = [
            models.CheckConstraint(
                condition=Q(from_status__in=["sent", "accepted"])
                & Q(to_status__in=["accepted", "declined", "completed"]),
                name="referral_answer_is_an_answer",
            ),
        ]

    def __str__(self) -> str:
        return f"Answer #{self.pk} to referral #{self.referral_id}"
