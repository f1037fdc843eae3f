"""Households: the families Madad helps, their members and what hit them.

A household belongs to the relief organisation that registered it. Its members are persons
(people.Person), each with a relation to the head of household; exactly one member at most
is the head, and `Household.head` always names that member's person (the services keep the
two together). The address is encrypted and read only through the access policy (audited).
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from madad.core.fields import EncryptedTextField
from madad.core.links import link, organisation_link, user_link
from madad.core.versioned import Versioned


class Household(Versioned):
    organisation = organisation_link(_("organisation"), related_name="households")
    head = link(
        "people.Person", _("head of household"), related_name="headed_households", null=True
    )
    address = EncryptedTextField(_("address"), blank=True)
    place = link("places.Place", _("area"), related_name="households", null=True)
    monthly_income_before = models.DecimalField(
        _("monthly income before (PKR)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    monthly_income_after = models.DecimalField(
        _("monthly income after (PKR)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    affected_by = models.ManyToManyField(
        "incidents.Act",
        blank=True,
        related_name="households",
        verbose_name=_("acts that affected the household"),
    )
    created_by = user_link()
    created_at = models.DateTimeField(_("registered"), default=timezone.now)
    updated_at = models.DateTimeField(_("last changed"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("household")
        verbose_name_plural = _("households")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(monthly_income_before__isnull=True)
                    | models.Q(monthly_income_before__gte=0)
                )
                & (
                    models.Q(monthly_income_after__isnull=True)
                    | models.Q(monthly_income_after__gte=0)
                ),
                name="household_income_not_negative",
            )
        ]

    def __str__(self) -> str:
        return f"Household #{self.pk}"


class Member(models.Model):
    class Relation(models.TextChoices):
        HEAD = "head", _("Head of household")
        SPOUSE = "spouse", _("Spouse")
        SON = "son", _("Son")
        DAUGHTER = "daughter", _("Daughter")
        FATHER = "father", _("Father")
        MOTHER = "mother", _("Mother")
        BROTHER = "brother", _("Brother")
        SISTER = "sister", _("Sister")
        GRANDCHILD = "grandchild", _("Grandchild")
        OTHER = "other", _("Other relative")

    class Schooling(models.TextChoices):
        NOT_APPLICABLE = "n/a", _("Not applicable")
        IN_SCHOOL = "in_school", _("In school")
        OUT_OF_SCHOOL = "out_of_school", _("Out of school")

    household = link(Household, related_name="members", on_delete=models.CASCADE)
    person = link("people.Person", _("person"), related_name="household_memberships")
    relation = models.CharField(_("relation to the head"), max_length=12, choices=Relation.choices)
    dependant = models.BooleanField(_("dependant"), default=False)
    schooling = models.CharField(
        _("schooling"), max_length=14, choices=Schooling.choices, default=Schooling.NOT_APPLICABLE
    )
    added_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        ordering = ["id"]
        verbose_name = _("household member")
        verbose_name_plural = _("household members")
        constraints = [
            models.UniqueConstraint(
                fields=["household", "person"], name="member_once_per_household"
            ),
            models.UniqueConstraint(
                fields=["household"],
                condition=models.Q(relation="head"),
                name="one_head_per_household",
            ),
        ]

    def __str__(self) -> str:
        return f"Member #{self.pk} of household #{self.household_id}"
