"""Cases: one household's episode of help, from opening to closing.

The status follows open → assessed → plan agreed → assisting → follow-up → closed
(`madad.cases.workflow` holds the table and its reasons). Agreeing the plan and closing need a
coordinator's approval: the caseworker asks (ApprovalRequest), a coordinator who is not the
requester decides, and an approval performs the transition.

Reopening a closed case starts a new *episode* of the same case: `episode` goes up, the status
goes back to open, and the plan must be assessed and agreed again (approvals, assessments and
status changes carry the episode they belong to, so the history of earlier episodes is kept
but never counts for the current one). A household has at most one case that is not closed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from madad.core.fields import EncryptedTextField
from madad.core.history import StatusChange as StatusChangeBase
from madad.core.links import link, organisation_link, user_link
from madad.core.versioned import Versioned


class Case(Versioned):
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

    organisation = organisation_link(_("organisation"), related_name="cases")
    household = link("households.Household", _("household"), related_name="cases")
    caseworker = user_link(_("caseworker"), related_name="cases")
    risk = models.CharField(
        _("risk level"), max_length=10, choices=Risk.choices, default=Risk.MEDIUM
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    episode = models.PositiveSmallIntegerField(_("episode"), default=1)
    plan = EncryptedTextField(_("plan of assistance"), blank=True)
    opened_by = user_link(_("opened by"), null=True)
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    next_follow_up = models.DateField(_("next follow-up"), null=True, blank=True)
    last_contact_at = models.DateTimeField(_("last contact"), null=True, blank=True)
    updated_at = models.DateTimeField(_("last changed"), default=timezone.now)

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["organisation", "status"]),
            models.Index(fields=["caseworker", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="closed", closed_at__isnull=False)
                | (~models.Q(status="closed") & models.Q(closed_at__isnull=True)),
                name="case_closed_has_closing_time",
            ),
            models.UniqueConstraint(
                fields=["household"],
                condition=~models.Q(status="closed"),
                name="one_active_case_per_household",
            ),
            models.CheckConstraint(
                condition=models.Q(episode__gte=1), name="case_episode_from_one"
            ),
        ]

    def __str__(self) -> str:
        return f"Case #{self.pk}"

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


class StatusChange(StatusChangeBase):
    """The case's history: every transition, who made it, who approved it, and why (the note:
    a reopening's reason, an approval's; encrypted, it may name people)."""

    case = link(Case, related_name="status_changes", on_delete=models.CASCADE)
    episode = models.PositiveSmallIntegerField(_("episode"), default=1)
    # blank for the opening of the case
    from_status = models.CharField(
        _("from"), max_length=12, choices=Case.Status.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=12, choices=Case.Status.choices)
    approved_by = user_link(_("approved by"), null=True)
    note = EncryptedTextField(_("note"), blank=True)

    class Meta(StatusChangeBase.Meta):
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"Status change #{self.pk} of case #{self.case_id}"


class ApprovalRequest(models.Model):
    """Agreeing the plan and closing a case need a coordinator's approval."""

    class Kind(models.TextChoices):
        AGREE_PLAN = "agree_plan", _("Agree the plan")
        CLOSE = "close", _("Close the case")

    class Decision(models.TextChoices):
        PENDING = "pending", _("Waiting")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    case = link(Case, related_name="approval_requests", on_delete=models.CASCADE)
    episode = models.PositiveSmallIntegerField(_("episode"), default=1)
    kind = models.CharField(_("what is asked"), max_length=12, choices=Kind.choices)
    requested_by = user_link(_("asked by"))
    requested_at = models.DateTimeField(_("asked"), default=timezone.now)
    note = EncryptedTextField(_("note to the coordinator"), blank=True)
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    decided_by = user_link(_("decided by"), null=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    reason = EncryptedTextField(_("reason"), blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("approval request")
        verbose_name_plural = _("approval requests")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind"],
                condition=models.Q(decision="pending"),
                name="one_pending_approval_per_kind",
            ),
            models.CheckConstraint(
                condition=models.Q(decision="pending", decided_at__isnull=True)
                | (~models.Q(decision="pending") & models.Q(decided_at__isnull=False)),
                name="approval_decided_has_time",
            ),
            # the four-eyes rule, in the database too: an approval by its requester cannot be
            # stored (a withdrawal is the requester's own decision, so it is exempt)
            models.CheckConstraint(
                condition=~models.Q(decision="approved")
                | ~models.Q(decided_by=models.F("requested_by")),
                name="approval_not_by_requester",
            ),
        ]

    def __str__(self) -> str:
        return f"Approval request #{self.pk} of case #{self.case_id}"

    @property
    def is_pending(self) -> bool:
        return self.decision == self.Decision.PENDING


class Note(models.Model):
    case = link(Case, related_name="notes", on_delete=models.CASCADE)
    text = EncryptedTextField(_("note"))
    written_by = user_link(_("written by"))
    written_at = models.DateTimeField(_("written"), default=timezone.now)
    is_contact = models.BooleanField(_("records a contact with the family"), default=False)

    class Meta:
        ordering = ["-written_at", "-id"]
        verbose_name = _("case note")
        verbose_name_plural = _("case notes")

    def __str__(self) -> str:
        return f"Note #{self.pk} of case #{self.case_id}"


class Task(models.Model):
    case = link(Case, related_name="tasks", on_delete=models.CASCADE)
    # encrypted: a task's title often names the person it is about
    title = EncryptedTextField(_("task"))
    due_on = models.DateField(_("due"))
    assigned_to = user_link(_("assigned to"), related_name="case_tasks")
    created_by = user_link(null=True)
    created_at = models.DateTimeField(_("added"), default=timezone.now)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = user_link(_("done by"), null=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        indexes = [models.Index(fields=["assigned_to", "done_at", "due_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(done_at__isnull=True, done_by__isnull=True)
                | models.Q(done_at__isnull=False, done_by__isnull=False),
                name="task_done_by_somebody",
            ),
        ]

    def __str__(self) -> str:
        return f"Task #{self.pk} of case #{self.case_id}"


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

    case = link(Case, related_name="assessments", on_delete=models.CASCADE)
    episode = models.PositiveSmallIntegerField(_("episode"), default=1)
    assessed_by = user_link(_("assessed by"))
    assessed_at = models.DateTimeField(_("assessed"), default=timezone.now)
    summary = EncryptedTextField(_("summary"), blank=True)

    class Meta:
        ordering = ["-assessed_at", "-id"]
        verbose_name = _("needs assessment")
        verbose_name_plural = _("needs assessments")

    def __str__(self) -> str:
        return f"Assessment #{self.pk} of case #{self.case_id}"


class AssessedNeed(models.Model):
    assessment = link(Assessment, related_name="needs", on_delete=models.CASCADE)
    need = models.CharField(_("need"), max_length=12, choices=Need.choices)
    severity = models.PositiveSmallIntegerField(_("severity"), choices=Severity.choices)

    class Meta:
        ordering = ["id"]
        verbose_name = _("assessed need")
        verbose_name_plural = _("assessed needs")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "need"], name="need_once_per_assessment"),
            models.CheckConstraint(condition=models.Q(severity__lte=4), name="severity_0_to_4"),
        ]

    def __str__(self) -> str:
        return f"Need #{self.pk} of assessment #{self.assessment_id}"


class Team(models.Model):
    """Caseworkers who cover each other's cases.

    With MADAD_CASE_VISIBILITY=team a caseworker sees the cases of every member of the teams
    they belong to (their own included); with `own` (the default) teams change nothing.
    A caseworker in no team sees their own cases only.
    """

    organisation = organisation_link(
        _("organisation"), related_name="case_teams", on_delete=models.CASCADE
    )
    name = models.CharField(_("name"), max_length=100)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="case_teams", verbose_name=_("members")
    )

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="team_name_once"),
        ]

    def __str__(self) -> str:
        return f"Team #{self.pk}"
