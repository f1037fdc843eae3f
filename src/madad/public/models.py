"""Public texts: fact sheets and claim checks, written in English and Urdu by one member of
staff and published by another."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from madad.core.links import organisation_link, user_link
from madad.core.versioned import Versioned


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Waiting for approval")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


def _in_language(obj: object, name: str) -> str:
    """The English or Urdu text of `name`, as the current language asks (English if empty)."""
    urdu = getattr(obj, f"{name}_ur", "")
    if (get_language() or "").startswith("ur") and urdu:
        return str(urdu)
    return str(getattr(obj, f"{name}_en", ""))


class Publication(Versioned):
    """What fact sheets and claim checks share: the organisation, the slug in public URLs,
    and the four-eyes workflow draft → submitted → published (→ withdrawn)."""

    organisation = organisation_link(_("organisation"))
    slug = models.SlugField(_("address"), max_length=80, unique=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    incidents = models.ManyToManyField(
        "incidents.Incident",
        blank=True,
        related_name="+",
        verbose_name=_("incidents"),
        help_text=_("The verified incidents this text rests on."),
    )
    created_by = user_link(_("written by"))
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    updated_by = user_link(_("last edited by"))
    updated_at = models.DateTimeField(_("last edited"), default=timezone.now)
    submitted_by = user_link(_("submitted by"), null=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    approved_by = user_link(_("approved by"), null=True)
    approved_at = models.DateTimeField(_("published"), null=True, blank=True)
    returned_reason = models.TextField(_("reason for returning it"), blank=True)

    class Meta:
        abstract = True

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED


# The texts needed in both languages before a text can be submitted (and published).
REQUIRED = {
    "factsheet": ("title_en", "title_ur", "body_en", "body_ur"),
    "claimcheck": ("claim_en", "claim_ur", "explanation_en", "explanation_ur"),
}


def _workflow_constraints(prefix: str, required: tuple[str, ...]) -> list[models.BaseConstraint]:
    """A second person approves; only an approved text is published; beyond a draft, the
    `required` texts are there in both languages."""
    written = models.Q()
    for name in required:
        written &= ~models.Q(**{name: ""})
    return [
        models.CheckConstraint(
            condition=models.Q(status="draft") | written,
            name=f"{prefix}_both_languages_beyond_draft",
        ),
        models.CheckConstraint(
            condition=models.Q(approved_by__isnull=True)
            | (
                ~models.Q(approved_by=models.F("created_by"))
                & ~models.Q(approved_by=models.F("updated_by"))
            ),
            name=f"{prefix}_approved_by_a_second_person",
        ),
        models.CheckConstraint(
            condition=~models.Q(status="published")
            | models.Q(approved_by__isnull=False, approved_at__isnull=False),
            name=f"{prefix}_published_only_when_approved",
        ),
    ]


class FactSheet(Publication):
    """A short public text on one subject, with figures that come live from the public
    incidents: ``{{count:incidents type=targeted-killing year=2012}}`` (see placeholders)."""

    # what a writer writes (the staff form's fields; the rest is the workflow's)
    WRITTEN: ClassVar[tuple[str, ...]] = (
        "title_en",
        "title_ur",
        "summary_en",
        "summary_ur",
        "body_en",
        "body_ur",
    )

    title_en = models.CharField(_("title in English"), max_length=200)
    title_ur = models.CharField(_("title in Urdu"), max_length=200, blank=True)
    summary_en = models.TextField(_("summary in English"), blank=True)
    summary_ur = models.TextField(_("summary in Urdu"), blank=True)
    body_en = models.TextField(_("text in English"), blank=True)
    body_ur = models.TextField(_("text in Urdu"), blank=True)

    class Meta:
        ordering = ["-approved_at", "-created_at", "-id"]
        verbose_name = _("fact sheet")
        verbose_name_plural = _("fact sheets")
        constraints = [
            *_workflow_constraints("factsheet", REQUIRED["factsheet"]),
        ]

    def __str__(self) -> str:
        return f"Fact sheet #{self.pk}"

    @property
    def title(self) -> str:
        return _in_language(self, "title")

    @property
    def summary(self) -> str:
        return _in_language(self, "summary")

    @property
    def body(self) -> str:
        return _in_language(self, "body")


class Rating(models.TextChoices):
    TRUE = "true", _("True")
    MOSTLY_TRUE = "mostly_true", _("Mostly true")
    MISLEADING = "misleading", _("Misleading")
    FALSE = "false", _("False")
    UNPROVEN = "unproven", _("Unproven")


class ClaimCheck(Publication):
    """A claim circulating in public, rated against verified incidents and fact sheets."""

    WRITTEN: ClassVar[tuple[str, ...]] = (
        "claim_en",
        "claim_ur",
        "claimant",
        "claim_date",
        "claim_url",
        "rating",
        "explanation_en",
        "explanation_ur",
    )

    claim_en = models.TextField(_("the claim in English"))
    claim_ur = models.TextField(_("the claim in Urdu"), blank=True)
    claimant = models.CharField(
        _("where it circulates"),
        max_length=200,
        blank=True,
        help_text=_(
            "For example: posts on social media. Name a public figure or outlet only "
            "if they made the claim publicly."
        ),
    )
    claim_date = models.DateField(_("first seen"), null=True, blank=True)
    claim_url = models.URLField(_("link to the claim"), blank=True)
    rating = models.CharField(_("rating"), max_length=12, choices=Rating.choices)
    explanation_en = models.TextField(_("explanation in English"), blank=True)
    explanation_ur = models.TextField(_("explanation in Urdu"), blank=True)
    factsheets = models.ManyToManyField(
        FactSheet, blank=True, related_name="claim_checks", verbose_name=_("fact sheets")
    )

    class Meta:
        ordering = ["-approved_at", "-created_at", "-id"]
        verbose_name = _("claim check")
        verbose_name_plural = _("claim checks")
        constraints = [
            *_workflow_constraints("claimcheck", REQUIRED["claimcheck"]),
            models.CheckConstraint(
                condition=models.Q(
                    rating__in=["true", "mostly_true", "misleading", "false", "unproven"]
                ),
                name="claimcheck_rating_known",
            ),
        ]

    def __str__(self) -> str:
        return f"Claim check #{self.pk}"

    @property
    def claim(self) -> str:
        return _in_language(self, "claim")

    @property
    def explanation(self) -> str:
        return _in_language(self, "explanation")
