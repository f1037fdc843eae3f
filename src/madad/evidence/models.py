"""Evidence files and their chain of custody.

The bytes live in Django's default storage under a random name; the name the file had on the
uploader's device (which often names a person or a place) is kept only encrypted. Every
download re-computes the SHA-256 taken at ingest. Custody entries are append-only: the
database refuses to update or delete them (core.append_only; migration 0003).
"""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from madad.core import append_only
from madad.core.fields import EncryptedTextField
from madad.core.links import link, organisation_link, user_link


class EvidenceKind(models.TextChoices):
    IMAGE = "image", _("Image")
    DOCUMENT = "document", _("Document")
    AUDIO = "audio", _("Audio")
    VIDEO = "video", _("Video")
    TEXT = "text", _("Text")


class EvidenceFile(models.Model):
    organisation = organisation_link(_("organisation"), related_name="evidence_files")
    incident = link("incidents.Incident", _("incident"), related_name="evidence_files")
    testimony = link("testimonies.Testimony", _("testimony"), related_name="attachments", null=True)
    kind = models.CharField(_("kind"), max_length=10, choices=EvidenceKind.choices)
    content_type = models.CharField(_("file type"), max_length=50)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    storage_name = models.CharField(max_length=255, unique=True, editable=False)
    original_name = EncryptedTextField(_("original file name"), blank=True)
    description = EncryptedTextField(_("description"), blank=True)
    uploaded_by = user_link(_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        indexes = [models.Index(fields=["organisation", "uploaded_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Exact(Length("sha256"), 64), name="evidence_sha256_has_64_digits"
            ),
        ]

    def __str__(self) -> str:
        # Never the original name: str() ends up in logs and error reports.
        return f"Evidence file #{self.pk}"


class CustodyEntry(models.Model):
    """One link of a file's chain of custody: who did what with it, when."""

    class Action(models.TextChoices):
        # the first link of a file that came with a submission (madad.intake): its SHA-256
        # as the server received it, dated when it arrived
        RECEIVED = "received", _("Received from a field device")
        UPLOADED = "uploaded", _("Uploaded")
        VIEWED = "viewed", _("Viewed")
        DOWNLOADED = "downloaded", _("Downloaded")
        EXPORTED = "exported", _("Copy made to leave the organisation")
        INTEGRITY_FAILED = "integrity_failed", _("Download refused: the file has changed")

    evidence = link(EvidenceFile, _("evidence file"), related_name="custody")
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    by = user_link(_("by"))
    at = models.DateTimeField(_("time"), default=timezone.now)
    # The hash of the bytes handled at that moment: the original's for a download, the copy's
    # for an export, the altered file's for a refused download.
    sha256 = models.CharField(_("SHA-256 observed"), max_length=64, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("custody entry")
        verbose_name_plural = _("custody entries")

    def __str__(self) -> str:
        return f"Custody entry #{self.pk}"


append_only.protect("evidence_custodyentry", message="custody entries are append-only")
