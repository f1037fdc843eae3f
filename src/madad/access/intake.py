"""Who sees field forms, devices and the intake inbox.

- Everything here belongs to one relief organisation; other organisations' forms, devices and
  items answer 404, partners' users see none of it.
- The inbox (intake items and their attachments) is read by staff whose role carries
  ``intake.review`` (documenters, coordinators). What an item says — the submission's XML or
  the public report's answers, and the reason given for a rejection — is sensitive: it names
  victims and witnesses. It is read through ``access.reveal``, which audits the read.
- Forms and devices are seen and changed by ``intake.manage`` (coordinators). A device's
  token is never kept, so never shown: only its SHA-256 is stored.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from madad.access.base import Rules, can, in_relief_org, is_staff_user
from madad.access.roles import Capability
from madad.accounts.models import User


def may_review(user: Any) -> bool:
    return is_staff_user(user) and in_relief_org(user) and can(user, Capability.INTAKE_REVIEW)


def may_manage(user: Any) -> bool:
    return is_staff_user(user) and in_relief_org(user) and can(user, Capability.INTAKE_MANAGE)


class _Owned(Rules):
    """Records of the user's own organisation, to users who pass `allowed`."""

    prefix: str = ""

    def allowed(self, user: User) -> bool:
        return may_review(user)

    def visible(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if not self.allowed(user):
            return queryset.none()
        return queryset.filter(**{f"{self.prefix}organisation_id": user.organisation_id})

    def can_change(self, user: User, obj: Any) -> bool:
        return (
            self.allowed(user)
            and self.visible(user, type(obj)._default_manager.filter(pk=obj.pk)).exists()
        )


class ItemRules(_Owned):
    pass


class AttachmentRules(_Owned):
    prefix = "item__"


class FormRules(_Owned):
    def allowed(self, user: User) -> bool:
        return may_manage(user)


class FormVersionRules(FormRules):
    prefix = "form__"


class DeviceRules(FormRules):
    pass


RULES: dict[str, Rules] = {
    "intake.intakeitem": ItemRules(
        public_fields=frozenset(
            {
                "id",
                "source",
                "device",
                "form_version",
                "instance_id",
                "encrypted",
                "status",
                "received_at",
                "reviewed_by",
                "reviewed_at",
                "incident",
                "household",
                "follows",
                "version",
            }
        ),
        restricted_fields={
            "payload": Capability.INTAKE_REVIEW,
            "reason": Capability.INTAKE_REVIEW,
        },
    ),
    "intake.intakeattachment": AttachmentRules(
        public_fields=frozenset(
            {"id", "item", "name", "content_type", "size", "sha256", "received_at", "evidence"}
        )
    ),
    "intake.form": FormRules(
        public_fields=frozenset({"id", "form_id", "title", "state", "created_by", "created_at"})
    ),
    "intake.formversion": FormVersionRules(
        public_fields=frozenset(
            {"id", "form", "version", "md5", "encrypted", "created_by", "created_at"}
        )
    ),
    "intake.device": DeviceRules(
        public_fields=frozenset(
            {
                "id",
                "name",
                "holder",
                "forms",
                "created_by",
                "created_at",
                "last_seen_at",
                "revoked_at",
                "revoked_by",
            }
        )
    ),
}
