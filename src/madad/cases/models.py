"""Cases: one household's episode of help, from opening to closing."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from madad.core.fields import EncryptedTextField


class Case(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ASSESSED = "assessed", _("Assessed")
        PLAN_AGREED = "plan_agreed", _("Plan agreed")
        ASSISTING = "assisting", _("Assisting")
        FOLLOW_UP = "follow_up", _("Follow-up")
        CLOSED = "closed", _("Closed")

    class Risk(models.TextChoices):
        LOW = "low", _("Low")
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")
        CRITICAL = "critical", _("Critical")

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT,
                                     related_name="cases", verbose_name=_("organisation"))
    household = models.ForeignKey("households.Household", on_delete=models.PROTECT,
                                  related_name="cases", verbose_name=_("household"))
    caseworker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="cases", verbose_name=_("caseworker"))
    risk = models.CharField(_("risk level"), max_length=10, choices=Risk.choices,
                            default=Risk.MEDIUM)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices,
                              default=Status.OPEN, db_index=True)
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    next_follow_up = models.DateField(_("next follow-up"), null=True, blank=True)
    last_contact_at = models.DateTimeField(_("last contact"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [models.Index(fields=["organisation", "status"]),
                   models.Index(fields=["caseworker", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="closed", closed_at__isnull=False)
                | (~models.Q(status="closed") & models.Q(closed_at__isnull=True)),
                name="case_closed_has_closing_time",
            )
        ]

    def __str__(self) -> str:
        return f"Case #{self.pk}"


class StatusChange(models.Model):
    """The case's history: every transition, who made it, who approved it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=12, choices=Case.Status.choices)
    to_status = models.CharField(max_length=12, choices=Case.Status.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]


class ApprovalRequest(models.Model):
    """Agreeing the plan and closing a case need a coordinator's approval."""

    class Kind(models.TextChoices):
        AGREE_PLAN = "agree_plan", _("Agree the plan")
        CLOSE = "close", _("Close the case")

    class Decision(models.TextChoices):
        PENDING = "pending", _("Waiting")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="approval_requests")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    decision = models.CharField(max_length=10, choices=Decision.choices,
                                default=Decision.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "kind"],
                                    condition=models.Q(decision="pending"),
                                    name="one_pending_approval_per_kind"),
        ]


class Note(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    text = EncryptedTextField(_("note"))
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    written_at = models.DateTimeField(default=timezone.now)
    is_contact = models.BooleanField(_("records a contact with the family"), default=False)

    class Meta:
        ordering = ["-written_at", "-id"]


class Task(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("task"), max_length=200)
    due_on = models.DateField(_("due"))
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="case_tasks")
    done_at = models.DateTimeField(_("done"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]


class Need(models.TextChoices):
    FINANCIAL = "financial", _("Financial")
    MEDICAL = "medical", _("Medical")
    EDUCATION = "education", _("Education")
    LEGAL = "legal", _("Legal")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial")
    SHELTER = "shelter", _("Shelter")
    LIVELIHOOD = "livelihood", _("Livelihood")
    SAFETY = "safety", _("Safety")


class Severity(models.IntegerChoices):
    NONE = 0, _("None")
    LOW = 1, _("Low")
    MODERATE = 2, _("Moderate")
    HIGH = 3, _("High")
    CRITICAL = 4, _("Critical")


class Assessment(models.Model):
    """A needs assessment; reassessments add new rows, so the history is kept."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assessments")
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    assessed_at = models.DateTimeField(default=timezone.now)
    summary = EncryptedTextField(_("summary"), blank=True)

    class Meta:
        ordering = ["-assessed_at", "-id"]


class AssessedNeed(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="needs")
    need = models.CharField(max_length=12, choices=Need.choices)
    severity = models.PositiveSmallIntegerField(choices=Severity.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "need"], name="need_once_per_assessment"),
            models.CheckConstraint(condition=models.Q(severity__lte=4), name="severity_0_to_4"),
        ]
