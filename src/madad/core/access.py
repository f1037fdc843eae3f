"""Madad's one access policy.

Every view, API endpoint, export and public page asks this module — and only this module —
which records a user may list and read, which of their fields, what they may change and what
they may export. Records the user may not see do not exist for them: they answer 404, and the
attempt is audited.

Rules are kept per model in ``_RULES`` below, keyed by the model's label. A model without rules
is visible to nobody: forgetting to write a rule fails closed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from django.apps import apps
from django.db import models
from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from madad.accounts.roles import Capability, capabilities_of
from madad.core.audit import audit_record
from madad.core.fields import sensitive_field_names

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from madad.accounts.models import User

M = TypeVar("M", bound=models.Model)


def _is_staff_user(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def can(user: User | AnonymousUser | None, capability: str) -> bool:
    """Whether the user's role carries the capability (see accounts.roles)."""
    if not _is_staff_user(user):
        return False
    return capability in capabilities_of(user.role)  # type: ignore[union-attr]


@dataclass(frozen=True)
class Rules:
    """What one model allows. Subclasses override the parts that differ."""

    # fields anybody who may read the record may see
    public_fields: frozenset[str] = field(default_factory=frozenset)
    # sensitive fields, each with the capability needed to see it
    restricted_fields: dict[str, str] = field(default_factory=dict)

    def visible(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.none()

    def can_change(self, user: User, obj: Any) -> bool:
        return False


class _UserRules(Rules):
    def visible(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if can(user, Capability.USERS_MANAGE):
            return queryset.filter(organisation_id=user.organisation_id)
        return queryset.filter(pk=user.pk)

    def can_change(self, user: User, obj: Any) -> bool:
        return can(user, Capability.USERS_MANAGE) and obj.organisation_id == user.organisation_id


class _OrganisationRules(Rules):
    def visible(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(pk=user.organisation_id)


class _AuditRules(Rules):
    def visible(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if can(user, Capability.AUDIT_VIEW):
            return queryset.filter(organisation_id=user.organisation_id)
        return queryset.none()


PERSON_IDENTITY_FIELDS = (
    "given_name",
    "family_name",
    "full_name_ur",
    "father_name",
    "aliases",
    "date_of_birth",
    "cnic",
    "phone",
    "address",
    "mother_tongue",
)


class _PersonRules(Rules):
    def visible(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if can(user, Capability.PERSON_VIEW) and not user.organisation.is_partner:
            return queryset.filter(organisation_id=user.organisation_id)
        return queryset.none()

    def can_change(self, user: User, obj: Any) -> bool:
        return can(user, Capability.PERSON_EDIT) and obj.organisation_id == user.organisation_id


_RULES: dict[str, Rules] = {
    "accounts.user": _UserRules(public_fields=frozenset({"id", "email", "full_name", "role"})),
    "accounts.organisation": _OrganisationRules(
        public_fields=frozenset({"id", "name", "name_ur", "kind"})
    ),
    "core.auditevent": _AuditRules(
        public_fields=frozenset(
            {"id", "at", "actor_label", "action", "object_type", "object_id", "fields", "ip",
             "prev_hash", "hash"}
        )
    ),
    "people.person": _PersonRules(
        public_fields=frozenset({"id", "sex", "age", "deceased", "occupation", "created_at"}),
        restricted_fields={name: Capability.PERSON_IDENTITY_VIEW
                           for name in PERSON_IDENTITY_FIELDS},
    ),
}


def _rules_for(model: type[models.Model]) -> Rules:
    return _RULES.get(model._meta.label_lower, Rules())


def visible_to(user: User | AnonymousUser | None, model: type[M]) -> QuerySet[M]:
    """The records of `model` the user may list and read."""
    queryset = model._default_manager.all()
    if not _is_staff_user(user):
        return queryset.none()
    return _rules_for(model).visible(user, queryset)  # type: ignore[arg-type]


def get_visible_or_404(
    user: User | AnonymousUser | None,
    model: type[M],
    *,
    request: HttpRequest | None = None,
    **lookup: Any,
) -> M:
    """One record the user may see, or Http404 — the same answer whether it does not exist or
    belongs to somebody else. A refusal of an existing record is audited."""
    try:
        return visible_to(user, model).get(**lookup)
    except (model.DoesNotExist, ValueError, TypeError):  # type: ignore[attr-defined]
        pass
    exists = False
    try:
        exists = model._default_manager.filter(**lookup).exists()
    except (ValueError, TypeError):
        pass
    if exists:
        audit_record(
            action="access.denied",
            request=request,
            actor=user if _is_staff_user(user) else None,  # type: ignore[arg-type]
            object_type=model._meta.label_lower,
            object_id=str(lookup.get("pk", lookup.get("id", ""))),
        )
    raise Http404


def readable_fields(user: User | AnonymousUser | None, model: type[models.Model]) -> frozenset[str]:
    """The fields of a record of `model` that the user may see (given they may see the record)."""
    if not _is_staff_user(user):
        return frozenset()
    rules = _rules_for(model)
    allowed = {name for name, capability in rules.restricted_fields.items() if can(user, capability)}
    return rules.public_fields | allowed


def can_change(user: User | AnonymousUser | None, obj: models.Model) -> bool:
    if not _is_staff_user(user):
        return False
    return _rules_for(type(obj)).can_change(user, obj)  # type: ignore[arg-type]


def can_export(user: User | AnonymousUser | None, what: str) -> bool:
    """Exports are named by what they contain: "audit", "persons"."""
    return can(user, f"{what.rstrip('s')}.export")


def reveal(
    user: User,
    obj: models.Model,
    *,
    request: HttpRequest | None = None,
    wanted: Iterable[str] | None = None,
) -> dict[str, Any]:
    """The values of the record's fields this user may see, auditing any sensitive ones read.

    This is the only way a view, API endpoint or export reads sensitive values for display.
    """
    model = type(obj)
    allowed = readable_fields(user, model)
    names = [n for n in (wanted if wanted is not None else sorted(allowed)) if n in allowed]
    sensitive = set(sensitive_field_names(model)) | set(_rules_for(model).restricted_fields)
    read_sensitive = [n for n in names if n in sensitive]
    if read_sensitive:
        audit_record(
            action=f"{model._meta.model_name}.identity.viewed",
            request=request,
            actor=user,
            obj=obj,
            fields=read_sensitive,
        )
    return {name: getattr(obj, name) for name in names}


def model_for(label: str) -> type[models.Model]:
    return apps.get_model(label)
