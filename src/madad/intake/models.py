"""What comes in from outside before anybody has checked it: field forms and the devices that
send them (ODK Collect, KoboCollect), and the intake inbox where every submission waits.

An intake item is never an incident. A documenter reads it beside what Madad already holds and
makes it one (or adds it to one), or rejects it with a reason; a rejected item keeps everything
it held. What a submission says (its XML or the public form's answers) is encrypted at rest,
and so are the reasons given for a rejection.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from madad.core.fields import EncryptedTextField
from madad.core.links import link, organisation_link, user_link
from madad.core.versioned import Versioned

FORM_ID_MAX = 64
VERSION_MAX = 40
INSTANCE_ID_MAX = 100
FILE_NAME_MAX = 255


class Form(models.Model):
    """A field form, across its versions. Its id is the XForm's `id`: what Collect lists."""

    class State(models.TextChoices):
        OPEN = "open", _("Open: devices list it and may send to it")
        CLOSED = "closed", _("Closed: no new submissions")

    organisation = organisation_link(_("organisation"), related_name="intake_forms")
    form_id = models.CharField(_("form id"), max_length=FORM_ID_MAX)
    title = models.CharField(_("title"), max_length=200)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default="open")
    created_by = user_link(_("added by"), null=True)
    created_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("field form")
        verbose_name_plural = _("field forms")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "form_id"], name="intake_form_id"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def current(self) -> FormVersion | None:
        """The newest version: the one devices download."""
        return self.versions.order_by("-created_at", "-id").first()


class FormVersion(models.Model):
    """One version of a form, as converted from its XLSForm. Old versions stay: a phone may
    still hold one, and what it sends is accepted."""

    form = link(Form, _("form"), related_name="versions", on_delete=models.CASCADE)
    version = models.CharField(_("version"), max_length=VERSION_MAX)
    xml = models.TextField(_("XForm"))
    md5 = models.CharField(_("MD5 of the XForm"), max_length=32)
    xlsform = models.BinaryField(_("XLSForm as uploaded"))
    # files the form needs beside it (e.g. neighbourhoods.csv): {name: text}
    media = models.JSONField(_("media files"), default=dict, blank=True)
    encrypted = models.BooleanField(_("encrypted on the phone"), default=False)
    created_by = user_link(_("added by"), null=True)
    created_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("form version")
        verbose_name_plural = _("form versions")
        constraints = [
            models.UniqueConstraint(fields=["form", "version"], name="intake_form_version"),
        ]

    def __str__(self) -> str:
        return f"{self.form.form_id} {self.version}"


class Device(models.Model):
    """A phone's way in (an "app user" in ODK Central's words): a token carried in the server
    URL, for the forms named. Only the token's SHA-256 is kept; revoking it stops the device at
    its next request."""

    organisation = organisation_link(_("organisation"), related_name="intake_devices")
    name = models.CharField(_("name"), max_length=100)
    holder = user_link(_("held by"), null=True)
    forms = models.ManyToManyField(Form, related_name="devices", verbose_name=_("forms"))
    token_sha256 = models.CharField(max_length=64, unique=True, editable=False)
    created_by = user_link(_("created by"), null=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_seen_at = models.DateTimeField(_("last seen"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = user_link(_("revoked by"), null=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("field device")
        verbose_name_plural = _("field devices")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="intake_device_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class IntakeItem(Versioned):
    """One submission waiting in the inbox (or reviewed): from a device, from the public
    report form, or from an import."""

    class Source(models.TextChoices):
        DEVICE = "device", _("Field device")
        PUBLIC = "public", _("Public report form")
        IMPORT = "import", _("Import")

    class Status(models.TextChoices):
        INCOMPLETE = "incomplete", _("Waiting for attachments")
        NEW = "new", _("Waiting for review")
        ACCEPTED = "accepted", _("Made into a new record")
        ATTACHED = "attached", _("Added to an existing record")
        REJECTED = "rejected", _("Rejected")

    organisation = organisation_link(_("organisation"), related_name="intake_items")
    source = models.CharField(
        pgettext_lazy("where an intake item came from", "from"),
        max_length=10,
        choices=Source.choices,
    )
    device = link(Device, _("device"), related_name="items", null=True)
    form_version = link(FormVersion, _("form version"), related_name="items", null=True)
    # the submission's own id (Collect's instanceID, or one given to a public report)
    instance_id = models.CharField(_("submission id"), max_length=INSTANCE_ID_MAX)
    # what was said: the submission's XML (decrypted), or the public form's answers as JSON
    payload = EncryptedTextField(_("submission"))
    # SHA-256 of the XML as it was sent (the envelope, for an encrypted one): the same id
    # with other XML is a conflict, the same XML again a repeat
    received_sha256 = models.CharField(max_length=64, editable=False)
    # attachments the submission names that have not arrived yet
    expected_files = models.JSONField(default=list, blank=True, editable=False)
    encrypted = models.BooleanField(_("encrypted on the phone"), default=False)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    reason = EncryptedTextField(_("reason"), blank=True)
    reviewed_by = user_link(_("reviewed by"), null=True)
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    incident = link("incidents.Incident", _("incident"), related_name="intake_items", null=True)
    household = link("households.Household", _("household"), related_name="intake_items", null=True)
    # a public reporter's receipt, as a keyed hash (core.crypto.blind_index); blank otherwise
    receipt_key = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    # more information sent later with a receipt code: the report it adds to
    follows = link("self", _("adds to"), related_name="additions", null=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("intake item")
        verbose_name_plural = _("intake items")
        indexes = [models.Index(fields=["organisation", "status", "received_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "instance_id"], name="intake_item_instance_once"
            ),
        ]

    def __str__(self) -> str:
        return f"Intake item #{self.pk}"


class IntakeAttachment(models.Model):
    """A file that came with a submission, kept under a random name with its SHA-256: the
    first link of its chain of custody, which starts at the device."""

    item = link(IntakeItem, _("intake item"), related_name="attachments")
    name = models.CharField(_("name sent"), max_length=FILE_NAME_MAX)
    content_type = models.CharField(_("file type"), max_length=50)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    storage_name = models.CharField(max_length=255, unique=True, editable=False)
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    evidence = link(
        "evidence.EvidenceFile", _("evidence file"), related_name="intake_attachments", null=True
    )

    class Meta:
        ordering = ["item", "name"]
        verbose_name = _("intake attachment")
        verbose_name_plural = _("intake attachments")
        constraints = [
            models.UniqueConstraint(fields=["item", "name"], name="intake_attachment_once"),
        ]

    def __str__(self) -> str:
        return f"Intake attachment #{self.pk}"
