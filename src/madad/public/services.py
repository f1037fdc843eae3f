"""Every write to fact sheets and claim checks. One function per use case, each atomic and
audited (field names only). A refusal (madad.core.refusals) writes nothing.

The workflow is the same for both: a writer saves drafts and submits one when the English and
the Urdu text are both there; a second person — never the author nor its last editor —
publishes it or returns it with a reason. A published text is not edited in place: it is
withdrawn first (it leaves the public site), edited, submitted and approved again.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from madad import access
from madad.access.roles import Capability
from madad.accounts.models import Organisation, User
from madad.core.audit import audit_record
from madad.core.refusals import Conflict, Invalid, NotAllowed, Stale, invalid
from madad.core.versioned import update_versioned
from madad.public.models import (
    REQUIRED,
    ClaimCheck,
    FactSheet,
    Publication,
    Rating,
    Status,
)
from madad.public.placeholders import check_placeholders
from madad.public.selectors import public_incidents

P = TypeVar("P", bound=Publication)

FACTSHEET_FIELDS = FactSheet.WRITTEN
CLAIMCHECK_FIELDS = ClaimCheck.WRITTEN
_REQUIRED = {FactSheet: REQUIRED["factsheet"], ClaimCheck: REQUIRED["claimcheck"]}
_WRITE = {FactSheet: Capability.FACTSHEET_WRITE, ClaimCheck: Capability.CLAIMCHECK_WRITE}
_APPROVE = {FactSheet: Capability.FACTSHEET_APPROVE, ClaimCheck: Capability.CLAIMCHECK_PUBLISH}
_AUDIT = {FactSheet: "factsheet", ClaimCheck: "claimcheck"}


def _stale() -> Stale:
    return Stale(
        _(
            "Somebody else saved this text after you opened it. Reload it to "
            "see their changes, then make yours again."
        )
    )


def _check_public_incidents(incident_ids: Iterable[int]) -> list[int]:
    wanted = sorted({int(i) for i in incident_ids})
    found = {i.id for i in public_incidents().existing(wanted)}
    missing = [i for i in wanted if i not in found]
    if missing:
        raise invalid(
            "incidents",
            _("These incidents are not public (not verified, or confidential): %(ids)s.")
            % {"ids": ", ".join(map(str, missing))},
        )
    return wanted


def _unique_slug(model: type[Publication], text: str, fallback: str) -> str:
    base = slugify(text)[:60].strip("-") or fallback
    slug, n = base, 1
    while model._default_manager.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _current(obj: P, expected_version: int | None = None) -> P:
    """The text as stored now; Stale if it is no longer the version the caller saw."""
    current = type(obj)._default_manager.get(pk=obj.pk)
    if expected_version is not None and current.version != expected_version:
        raise Stale()
    return current


def _write(
    model: type[P],
    *,
    obj: P | None,
    organisation: Organisation,
    by: User,
    values: dict[str, Any],
    incident_ids: Iterable[int] | None,
    expected_version: int | None,
) -> tuple[P, list[str]]:
    if obj is None:
        if not access.can(by, _WRITE[model]) or by.organisation_id != organisation.pk:
            raise NotAllowed(_("You may not write public texts for this organisation."))
        obj = model(organisation=organisation, created_by=by, updated_by=by)
        changed = [k for k, v in values.items() if v not in ("", None)]
    else:
        if not access.can_change(by, obj):
            raise NotAllowed(_("You may not change this text."))
        obj = type(obj)._default_manager.get(pk=obj.pk)
        if expected_version is not None and obj.version != expected_version:
            raise _stale()
        if obj.status in (Status.SUBMITTED, Status.PUBLISHED):
            raise Conflict(
                _(
                    "Only a draft can be edited. A submitted text must be returned, a "
                    "published one withdrawn first."
                )
            )
        changed = [k for k, v in values.items() if getattr(obj, k) != v]
    for key, value in values.items():
        setattr(obj, key, value)
    if obj.status == Status.WITHDRAWN or obj.pk is None:
        obj.status = Status.DRAFT
    # an edit is new work: whoever approved an earlier version has not seen this one
    obj.approved_by, obj.approved_at = None, None
    obj.updated_by, obj.updated_at = by, timezone.now()
    if not obj.slug:
        first = values.get("title_en") or values.get("claim_en") or ""
        obj.slug = _unique_slug(model, str(first), _AUDIT[model])
    obj.full_clean(exclude=["incidents", "factsheets", "slug"])
    if obj.pk is None:
        obj.save()
    else:
        written = (*values, "status", "approved_by", "approved_at", "updated_by", "updated_at")
        obj = update_versioned(
            obj, refusal=_stale(), **{name: getattr(obj, name) for name in written}
        )
    if incident_ids is not None:
        ids = _check_public_incidents(incident_ids)
        if sorted(obj.incidents.values_list("id", flat=True)) != ids:
            changed.append("incidents")
        obj.incidents.set(ids)
    return obj, changed


@transaction.atomic
def factsheet_write(
    *,
    by: User,
    organisation: Organisation,
    factsheet: FactSheet | None = None,
    values: dict[str, Any],
    incident_ids: Iterable[int] | None = None,
    expected_version: int | None = None,
) -> FactSheet:
    """Creates or edits a draft fact sheet. Guarantees: every figure placeholder in either
    language parses and names known types, places and act types; the linked incidents are
    public; the edit is refused if somebody saved in between (Stale)."""
    values = {k: (values.get(k) or "").strip() for k in FACTSHEET_FIELDS if k in values}
    if not (values.get("title_en") or (factsheet and factsheet.title_en)):
        raise invalid("title_en", _("A fact sheet needs a title in English."))
    for name in ("body_en", "body_ur", "summary_en", "summary_ur"):
        problems = check_placeholders(values.get(name, ""))
        if problems:
            raise invalid(name, "; ".join(problems))
    sheet, changed = _write(
        FactSheet,
        obj=factsheet,
        organisation=organisation,
        by=by,
        values=values,
        incident_ids=incident_ids,
        expected_version=expected_version,
    )
    audit_record(
        action="factsheet.created" if factsheet is None else "factsheet.edited",
        actor=by,
        obj=sheet,
        fields=changed,
    )
    return sheet


@transaction.atomic
def claimcheck_write(
    *,
    by: User,
    organisation: Organisation,
    claimcheck: ClaimCheck | None = None,
    values: dict[str, Any],
    incident_ids: Iterable[int] | None = None,
    factsheet_ids: Iterable[int] | None = None,
    expected_version: int | None = None,
) -> ClaimCheck:
    """Creates or edits a draft claim check. Guarantees: a known rating; the linked incidents
    are public and the linked fact sheets published; Stale as for fact sheets."""
    values = {
        k: (v.strip() if isinstance(v, str) else v)
        for k, v in values.items()
        if k in CLAIMCHECK_FIELDS
    }
    if "rating" in values and values["rating"] not in Rating.values:
        raise invalid("rating", _("Choose a rating."))
    if not (values.get("claim_en") or (claimcheck and claimcheck.claim_en)):
        raise invalid("claim_en", _("Write the claim in English."))
    check, changed = _write(
        ClaimCheck,
        obj=claimcheck,
        organisation=organisation,
        by=by,
        values=values,
        incident_ids=incident_ids,
        expected_version=expected_version,
    )
    if factsheet_ids is not None:
        ids = sorted({int(i) for i in factsheet_ids})
        published = set(
            FactSheet.objects.filter(pk__in=ids, status=Status.PUBLISHED).values_list(
                "id", flat=True
            )
        )
        if set(ids) - published:
            raise invalid("factsheets", _("Only published fact sheets can support a claim check."))
        if sorted(check.factsheets.values_list("id", flat=True)) != ids:
            changed.append("factsheets")
        check.factsheets.set(ids)
    audit_record(
        action="claimcheck.created" if claimcheck is None else "claimcheck.edited",
        actor=by,
        obj=check,
        fields=changed,
    )
    return check


def _move(obj: P, *, start: str, refusal: str, **changes: Any) -> P:
    """Moves the text on from status `start`, compare-and-swap on its version: of two people
    deciding at once, exactly one wins and the other is told it moved on (Stale). A move is
    not an edit: "last edited" stays as it was."""
    if obj.status != start:
        raise Conflict(refusal)
    return update_versioned(obj, where=Q(status=start), updated_at=obj.updated_at, **changes)


def _submit(obj: P, by: User, expected_version: int | None) -> P:
    obj = _current(obj, expected_version)
    if not access.can_change(by, obj):
        raise NotAllowed(_("You may not submit this text."))
    if obj.status == Status.DRAFT:
        missing = [f for f in _REQUIRED[type(obj)] if not str(getattr(obj, f) or "").strip()]
        if missing:
            labels = ", ".join(
                str(getattr(type(obj)._meta.get_field(f), "verbose_name", f)) for f in missing
            )
            raise Invalid(
                _("Both languages are needed before it can be published. Missing: %(fields)s.")
                % {"fields": labels}
            )
    obj = _move(
        obj,
        start=Status.DRAFT,
        refusal=_("Only a draft can be submitted."),
        status=Status.SUBMITTED,
        submitted_by=by,
        submitted_at=timezone.now(),
        returned_reason="",
    )
    audit_record(action=f"{_AUDIT[type(obj)]}.submitted", actor=by, obj=obj)
    return obj


def _may_approve(obj: Publication, approver: User) -> None:
    if not (
        access.can(approver, _APPROVE[type(obj)])
        and access.visible_to(approver, type(obj)).filter(pk=obj.pk).exists()
    ):
        raise NotAllowed(_("You may not approve public texts."))
    if approver.pk in (obj.created_by_id, obj.updated_by_id):
        raise NotAllowed(_("A second person must approve it: you wrote or last edited it."))


def _approve(obj: P, approver: User, expected_version: int | None) -> P:
    obj = _current(obj, expected_version)
    _may_approve(obj, approver)
    obj = _move(
        obj,
        start=Status.SUBMITTED,
        refusal=_("Only a submitted text can be published."),
        status=Status.PUBLISHED,
        approved_by=approver,
        approved_at=timezone.now(),
    )
    audit_record(action=f"{_AUDIT[type(obj)]}.published", actor=approver, obj=obj)
    return obj


def _return(obj: P, by: User, reason: str, expected_version: int | None) -> P:
    obj = _current(obj, expected_version)
    _may_approve(obj, by)
    if obj.status == Status.SUBMITTED and not reason.strip():
        raise invalid("reason", _("Say what needs to change."))
    obj = _move(
        obj,
        start=Status.SUBMITTED,
        refusal=_("Only a submitted text can be returned."),
        status=Status.DRAFT,
        returned_reason=reason.strip(),
    )
    audit_record(
        action=f"{_AUDIT[type(obj)]}.returned", actor=by, obj=obj, fields=["returned_reason"]
    )
    return obj


def _withdraw(obj: P, by: User, expected_version: int | None) -> P:
    obj = _current(obj, expected_version)
    if (
        not (access.can(by, _APPROVE[type(obj)]) or access.can_change(by, obj))
        or not access.visible_to(by, type(obj)).filter(pk=obj.pk).exists()
    ):
        raise NotAllowed(_("You may not withdraw this text."))
    obj = _move(
        obj,
        start=Status.PUBLISHED,
        refusal=_("Only a published text can be withdrawn."),
        status=Status.WITHDRAWN,
    )
    audit_record(action=f"{_AUDIT[type(obj)]}.withdrawn", actor=by, obj=obj)
    return obj


# Each decision may name the version its author saw (`expected_version`, as the staff page
# posts it): if the text moved on since, it is refused with Stale and nothing changes.
@transaction.atomic
def factsheet_submit(
    *, factsheet: FactSheet, by: User, expected_version: int | None = None
) -> FactSheet:
    """Draft → submitted. Guarantees both languages are present (title and text)."""
    return _submit(factsheet, by, expected_version)


@transaction.atomic
def factsheet_approve(
    *, factsheet: FactSheet, approver: User, expected_version: int | None = None
) -> FactSheet:
    """Submitted → published, by someone with factsheet.approve who neither wrote nor last
    edited it (the database refuses it too)."""
    return _approve(factsheet, approver, expected_version)


@transaction.atomic
def factsheet_return(
    *, factsheet: FactSheet, by: User, reason: str, expected_version: int | None = None
) -> FactSheet:
    """Submitted → draft, with the reason, by someone who could have approved it."""
    return _return(factsheet, by, reason, expected_version)


@transaction.atomic
def factsheet_withdraw(
    *, factsheet: FactSheet, by: User, expected_version: int | None = None
) -> FactSheet:
    """Published → withdrawn: it leaves the public site at once."""
    return _withdraw(factsheet, by, expected_version)


@transaction.atomic
def claimcheck_submit(
    *, claimcheck: ClaimCheck, by: User, expected_version: int | None = None
) -> ClaimCheck:
    """Draft → submitted. Guarantees the claim and explanation in both languages."""
    return _submit(claimcheck, by, expected_version)


@transaction.atomic
def claimcheck_publish(
    *, claimcheck: ClaimCheck, approver: User, expected_version: int | None = None
) -> ClaimCheck:
    """Submitted → published, by a second person with claimcheck.publish."""
    return _approve(claimcheck, approver, expected_version)


@transaction.atomic
def claimcheck_return(
    *, claimcheck: ClaimCheck, by: User, reason: str, expected_version: int | None = None
) -> ClaimCheck:
    """Submitted → draft, with the reason, by someone who could have published it."""
    return _return(claimcheck, by, reason, expected_version)


@transaction.atomic
def claimcheck_withdraw(
    *, claimcheck: ClaimCheck, by: User, expected_version: int | None = None
) -> ClaimCheck:
    """Published → withdrawn: it leaves the public site at once."""
    return _withdraw(claimcheck, by, expected_version)
