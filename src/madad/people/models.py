"""People: one record per human, whatever their roles. Identity fields are encrypted."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from madad.core.fields import EncryptedTextField
from madad.core.links import link, organisation_link
from madad.core.versioned import Versioned


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Unknown")


class Person(Versioned):
    organisation = organisation_link(_("organisation"), related_name="persons")
    given_name = EncryptedTextField(_("given name"), blank=True)
    family_name = EncryptedTextField(_("family name"), blank=True)
    full_name_ur = EncryptedTextField(_("full name in Urdu script"), blank=True)
    father_name = EncryptedTextField(_("father's name"), blank=True)
    aliases = EncryptedTextField(_("aliases"), blank=True)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    date_of_birth = EncryptedTextField(_("date of birth"), blank=True)
    age = models.PositiveSmallIntegerField(_("age"), null=True, blank=True)
    cnic = EncryptedTextField(_("CNIC"), blank=True)
    cnic_index = models.CharField(max_length=64, blank=True, editable=False)
    phone = EncryptedTextField(_("phone"), blank=True)
    phone_index = models.CharField(max_length=64, blank=True, editable=False)
    address = EncryptedTextField(_("address"), blank=True)
    occupation = models.CharField(_("occupation"), max_length=100, blank=True)
    mother_tongue = EncryptedTextField(_("mother tongue"), blank=True)
    deceased = models.BooleanField(_("deceased"), default=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        # numbers are always looked up within one organisation: with the organisation first,
        # SQLite (which keeps no statistics by default) uses these rather than scanning all of
        # the organisation's persons (30 ms a lookup at 100,000 persons, 300 ms at a million)
        indexes = [
            models.Index(fields=["organisation", "cnic_index"], name="person_cnic_lookup"),
            models.Index(fields=["organisation", "phone_index"], name="person_phone_lookup"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(age__isnull=True) | models.Q(age__lte=130),
                name="person_age_plausible",
            )
        ]

    def __str__(self) -> str:
        # Never a name: str() ends up in logs and error reports.
        return f"Person #{self.pk}"


class PersonNameKey(models.Model):
    """One blind-indexed token of a person's names, for search without decrypting anyone.

    `key` is blind_index(token, purpose=...) of a token from core.names.name_keys, taken
    from the given and family name, the Urdu-script name and each alias ("name"), or from the
    father's name ("father_name"). Rebuilt by person_create and person_update, and for
    everybody by `madad people reindex` when the normalisation changes.
    """

    class Purpose(models.TextChoices):
        NAME = "name", _("name")
        FATHER_NAME = "father_name", _("father's name")

    person = link(Person, _("person"), related_name="name_keys", on_delete=models.CASCADE)
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    key = models.CharField(_("key"), max_length=64)

    class Meta:
        verbose_name = _("name key")
        verbose_name_plural = _("name keys")
        constraints = [
            models.UniqueConstraint(fields=["person", "key"], name="person_name_key_once"),
        ]
        indexes = [models.Index(fields=["key", "person"], name="person_name_key_lookup")]

    def __str__(self) -> str:
        return f"{self.purpose} key of person #{self.person_id}"
