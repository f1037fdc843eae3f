"""Madad's one access policy.

Every view, API endpoint, export and public page asks this module — and only this module —
which records a user may list and read, which of their fields, what they may change and what
they may export. Records the user may not see do not exist for them: they answer 404, and the
attempt is audited.

Rules are kept per model, one module per domain beside this file (accounts, people,
places, incidents, testimonies, evidence), keyed by the model's label. A model without rules
is visible to nobody: forgetting to write a rule fails closed.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.db.models import QuerySet
from django.http import Http404

from madad.access import accounts as _accounts
from madad.access import assistance as _assistance
from madad.access import cases as _cases
from madad.access import claims as _claims
from madad.access import evidence as _evidence
from madad.access import fund as _fund
from madad.access import households as _households
from madad.access import incidents as _incidents
from madad.access import intake as _intake
from madad.access import linkage as _linkage
from madad.access import people as _people
from madad.access import places as _places
from madad.access import public as _public
from madad.access import referrals as _referrals
from madad.access import sharing as _sharing
from madad.access import testimonies as _testimonies
from madad.access.base import Rules, can, is_staff_user
from madad.access.roles import Capability
from madad.accounts.models import Organisation
from madad.core.audit import audit_record
from madad.core.fields import sensitive_field_names
from madad.sharing.models import Grant, GrantedRecord

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from madad.accounts.models import User

__all__ = [
    "can",
    "can_change",
    "can_export",
    "get_visible_or_404",
    "readable_fields",
    "reveal",
    "reveal_granted",
    "reveal_granted_list",
    "visible_to",
]

M = TypeVar("M", bound=models.Model)

_RULES: dict[str, Rules] = {}
for _domain in (
    _accounts,
    _people,
    _places,
    _incidents,
    _testimonies,
    _evidence,
    _households,
    _cases,
    _assistance,
    _referrals,
    _claims,
):
    _RULES.update(_domain.RULES)
# Fact sheets and claim checks; what the public itself may read is access.public.
_RULES.update(_public.RULES)
# The relief fund.
_RULES.update(_fund.RULES)
# Record linkage: the duplicate queue, merges and runs.
_RULES.update(_linkage.RULES)
# Sharing with delegations and partners: grants, the records they open, meeting requests.
_RULES.update(_sharing.RULES)
# Intake: field forms, devices, and the inbox of what came in.
_RULES.update(_intake.RULES)


def _rules_for(model: type[models.Model]) -> Rules:
    return _RULES.get(model._meta.label_lower, Rules())


def visible_to(user: User | AnonymousUser | None, model: type[M]) -> QuerySet[M]:
    """The records of `model` the user may list and read."""
    queryset = model._default_manager.all()
    if not is_staff_user(user):
        return queryset.none()
    return _rules_for(model).visible(user, queryset)  # type: ignore[arg-type]


def get_visible_or_404(
    user: User | AnonymousUser | None,
    model: type[M],
    **lookup: Any,
) -> M:
    """One record the user may see, or Http404 — the same answer whether it does not exist or
    belongs to somebody else. A refusal of an existing record is audited."""
    try:
        return visible_to(user, model).get(**lookup)
    # OverflowError: a number beyond 64 bits from a URL, which the database cannot compare
    except (ObjectDoesNotExist, ValueError, TypeError, OverflowError, ValidationError):
        pass
    exists = False
    with contextlib.suppress(ValueError, TypeError, OverflowError, ValidationError):
        exists = model._default_manager.filter(**lookup).exists()
    if exists:
        audit_record(
            action="access.denied",
            actor=user if is_staff_user(user) else None,  # type: ignore[arg-type]
            object_type=model._meta.label_lower,
            object_id=str(lookup.get("pk", lookup.get("id", ""))),
        )
    raise Http404


def readable_fields(user: User | AnonymousUser | None, model: type[models.Model]) -> frozenset[str]:
    """The fields of a record of `model` that the user may see (given they may see the record)."""
    if not is_staff_user(user):
        return frozenset()
    rules = _rules_for(model)
    allowed = {
        name for name, capability in rules.restricted_fields.items() if can(user, capability)
    }
    return rules.public_fields | allowed


def can_change(user: User | AnonymousUser | None, obj: models.Model) -> bool:
    if not is_staff_user(user):
        return False
    return _rules_for(type(obj)).can_change(user, obj)  # type: ignore[arg-type]


# Exports are named by what they contain. A name not listed here is refused (fails closed);
# deriving the capability from the name turned "testimonies" into "testimonie.export".
_EXPORTS: dict[str, str] = {
    "audit": Capability.AUDIT_EXPORT,
    "persons": Capability.PERSON_EXPORT,
    "incidents": Capability.INCIDENT_EXPORT,
    "fund": Capability.FUND_REPORT,
}


def can_export(user: User | AnonymousUser | None, what: str) -> bool:
    """Exports are named by what they contain: "audit", "persons", "incidents"."""
    capability = _EXPORTS.get(what)
    return capability is not None and can(user, capability)


def reveal(
    user: User,
    obj: models.Model,
    *,
    wanted: Iterable[str] | None = None,
    action: str | None = None,
) -> dict[str, Any]:
    """The values of the record's fields this user may see, auditing any sensitive ones read
    (as `action`, by default "<model>.identity.viewed").

    This is the only way a view, API endpoint or export reads sensitive values for display.
    A record the user may not see answers Http404 (and the attempt is audited), even when the
    caller forgot to fetch it through get_visible_or_404: capabilities alone say nothing about
    another organisation's records.
    """
    model = type(obj)
    if obj.pk is None or not visible_to(user, model).filter(pk=obj.pk).exists():
        get_visible_or_404(user, model, pk=obj.pk)
    allowed = _rules_for(model).fields_of(user, obj, readable_fields(user, model))
    names = [n for n in (wanted if wanted is not None else sorted(allowed)) if n in allowed]
    sensitive = set(sensitive_field_names(model)) | set(_rules_for(model).restricted_fields)
    read_sensitive = [n for n in names if n in sensitive]
    if read_sensitive:
        # the organisation whose record it is keeps the event: a partner's read of a referral
        # or a grantee's of a meeting request is the owner's to audit, not the reader's
        owner = getattr(obj, "organisation", None)
        audit_record(
            action=action or f"{model._meta.model_name}.identity.viewed",
            actor=user,
            organisation=owner if isinstance(owner, Organisation) else None,
            obj=obj,
            fields=read_sensitive,
        )
    return {name: getattr(obj, name) for name in names}


def reveal_granted(
    user: User, granted: GrantedRecord, *, wanted: Iterable[str] | None = None
) -> dict[str, Any]:
    """The values of a granted record that its grant opens to this grantee (access.sharing),
    with every read audited as "grant.record.viewed" on the granted record, so that the
    organisation sees per grant who read what and when. A record the grantee may not see
    today (grant not in force, consent withdrawn, not named in the grant) answers Http404."""
    if not visible_to(user, GrantedRecord).filter(pk=granted.pk).exists():
        get_visible_or_404(user, GrantedRecord, pk=granted.pk)
    allowed = _sharing.granted_fields(granted.grant, granted.kind)
    names = [n for n in (wanted if wanted is not None else sorted(allowed)) if n in allowed]
    # the organisation whose records they are keeps the event, not the grantee's
    audit_record(
        action="grant.record.viewed",
        actor=user,
        organisation=granted.grant.organisation,
        obj=granted,
        fields=[f"{granted.kind}.{name}" for name in names],
    )
    record = granted.record
    values = {name: getattr(record, name) for name in names}
    # many-to-many fields (an incident's types) as the list of what they hold
    return {n: list(v.all()) if isinstance(v, models.Manager) else v for n, v in values.items()}


def reveal_granted_list(
    user: User, grant: Grant, wanted: Mapping[str, Iterable[str]]
) -> list[tuple[GrantedRecord, dict[str, Any]]]:
    """The grant's records this grantee may see today, each with the values of the fields
    `wanted` for its kind that the grant opens — the list on the grant's page. One query
    decides which records (however many), and one audit event on the grant,
    "grant.records.listed", names the fields read; opening a record is reveal_granted's."""
    records = (
        visible_to(user, GrantedRecord)
        .filter(grant=grant)
        .select_related("grant", "testimony", "incident__place", "evidence", "case")
        .prefetch_related("incident__types")
        .order_by("kind", "pk")
    )
    listed: list[tuple[GrantedRecord, dict[str, Any]]] = []
    read: set[str] = set()
    for granted in records:
        allowed = _sharing.granted_fields(grant, granted.kind)
        names = [name for name in wanted.get(granted.kind, ()) if name in allowed]
        read.update(f"{granted.kind}.{name}" for name in names)
        record = granted.record
        values = {name: getattr(record, name) for name in names}
        listed.append(
            (
                granted,
                {
                    n: list(v.all()) if isinstance(v, models.Manager) else v
                    for n, v in values.items()
                },
            )
        )
    audit_record(
        action="grant.records.listed",
        actor=user,
        organisation=grant.organisation,
        obj=grant,
        fields=sorted(read),
    )
    return listed
