"""Writes to the gazetteer: loads of a gazetteer file by the deployment's operator, and
changes of one place by administrators, each applied only once a second administrator
approves it."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TextIO

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from madad.access.places import may_edit_places
from madad.accounts.models import User
from madad.core import validation
from madad.core.audit import audit_record
from madad.core.refusals import WHOLE, Conflict, Errors, NotAllowed, Stale, invalid
from madad.core.versioned import update_versioned
from madad.places.coordinates import LATITUDE, LONGITUDE, coordinate
from madad.places.gazetteer import (
    LEVELS,
    LoadReport,
    check_all,
    gazetteer_invalid,
    read_file,
    read_gazetteer,
    write_gazetteer,
)
from madad.places.models import Place, PlaceChange
from madad.places.search import place_search_text


def places_load(
    *, source: Path | str | TextIO, loaded_by: User | None = None, actor_label: str = ""
) -> LoadReport:
    """Loads a gazetteer CSV (a path or an open text stream): every row is checked first and
    nothing is written when any row is bad (Invalid, each problem keyed by its line). Places are
    matched by code, so loading the same file again changes nothing."""
    if isinstance(source, str | Path):
        rows, errors = read_file(source)
    else:
        rows, errors = read_gazetteer(source)
    with transaction.atomic():
        existing = dict(Place.objects.values_list("code", "level"))
        errors = check_all(rows, errors, existing)
        if errors:
            raise gazetteer_invalid(errors)
        report = write_gazetteer(Place, rows)
        if report.changed:
            audit_record(
                action="place.gazetteer.loaded",
                actor=loaded_by,
                actor_label=actor_label,
                object_type="places.place",
                fields=["code", "level", "parent", "name", "name_ur", "latitude", "longitude"],
            )
    return report


_UNCHANGED: Any = object()


def _refuse_unless_editor(user: User) -> None:
    if not may_edit_places(user):
        raise NotAllowed(_("Only administrators change the gazetteer."))


def _proposed_values(
    place: Place, *, name: Any, name_ur: Any, latitude: Any, longitude: Any, parent: Any
) -> dict[str, Any]:
    """The place's values after the change, checked; Invalid names every bad field."""
    errors = Errors()
    values: dict[str, Any] = {
        "name": validation.text(name, "name", errors, max_length=120, required=True),
        "name_ur": validation.text(name_ur, "name_ur", errors, max_length=120),
        "latitude": coordinate(latitude, "latitude", errors, limit=LATITUDE, required=True),
        "longitude": coordinate(longitude, "longitude", errors, limit=LONGITUDE, required=True),
        "parent": place.parent if parent is _UNCHANGED else parent,
    }
    new_parent = values["parent"]
    if place.level == Place.Level.CITY:
        if new_parent is not None:
            errors.add("parent", _("A city is part of nothing."))
    elif not isinstance(new_parent, Place):
        errors.add("parent", _("Choose the place this one is part of."))
    elif LEVELS.index(new_parent.level) >= LEVELS.index(place.level):
        errors.add("parent", _("Choose a place of a broader level."))
    errors.raise_if()
    return values


def place_change_propose(
    *,
    place: Place,
    proposed_by: User,
    expected_version: int,
    name: Any,
    name_ur: Any,
    latitude: Any,
    longitude: Any,
    parent: Any = _UNCHANGED,
) -> PlaceChange:
    """Proposes new names, centroid or parent for a place, read at `expected_version`. Nothing
    changes on the place until a second administrator approves (`place_change_approve`): every
    place can reach the public map, dashboard and open data. One pending change per place."""
    _refuse_unless_editor(proposed_by)
    values = _proposed_values(
        place, name=name, name_ur=name_ur, latitude=latitude, longitude=longitude, parent=parent
    )
    with transaction.atomic():
        current = Place.objects.select_for_update().get(pk=place.pk)
        if current.version != expected_version:
            raise Stale()
        changed = sorted(f for f, v in values.items() if getattr(current, f) != v)
        if not changed:
            raise invalid(WHOLE, _("Nothing was changed."))
        if PlaceChange.objects.filter(place=current, status=PlaceChange.Status.PENDING).exists():
            raise Conflict(
                _("A change of this place is already waiting for approval: decide it first."),
                code="change_pending",
            )
        change = PlaceChange.objects.create(
            place=current,
            base_version=current.version,
            fields=changed,
            proposed_by=proposed_by,
            **values,
        )
        audit_record(action="place.change.proposed", actor=proposed_by, obj=change, fields=changed)
    return change


def _decide(change: PlaceChange, by: User, status: str) -> None:
    """Closes a pending change once: of two administrators deciding at the same moment, the
    second is told it was decided."""
    update_versioned(
        change,
        where=Q(status=PlaceChange.Status.PENDING),
        refusal=Conflict(_("This change was already decided."), code="decided"),
        status=status,
        decided_by=by,
        decided_at=timezone.now(),
    )


def place_change_approve(*, change: PlaceChange, approved_by: User) -> Place:
    """Applies a pending change, approved by an administrator other than its proposer. If the
    place changed since the change was proposed, nothing is applied (Stale)."""
    _refuse_unless_editor(approved_by)
    if approved_by.pk == change.proposed_by_id:
        raise NotAllowed(
            _("A second administrator must approve this change: you proposed it."),
            code="own_change",
        )
    with transaction.atomic():
        _decide(change, approved_by, PlaceChange.Status.APPROVED)
        place = update_versioned(
            Place.objects.get(pk=change.place_id),
            expected_version=change.base_version,
            name=change.name,
            name_ur=change.name_ur,
            latitude=change.latitude,
            longitude=change.longitude,
            parent=change.parent,
            search_text=place_search_text(change.name, change.name_ur),
        )
        audit_record(action="place.change.approved", actor=approved_by, obj=change)
        audit_record(action="place.updated", actor=approved_by, obj=place, fields=change.fields)
    return place


def place_change_reject(*, change: PlaceChange, rejected_by: User) -> PlaceChange:
    """Closes a pending change without applying it (its proposer may withdraw it so)."""
    _refuse_unless_editor(rejected_by)
    with transaction.atomic():
        _decide(change, rejected_by, PlaceChange.Status.REJECTED)
        audit_record(action="place.change.rejected", actor=rejected_by, obj=change)
    return change


def places_reindex() -> int:
    """Rebuilds every place's search text (after the name normalisation changed)."""
    count = 0
    with transaction.atomic():
        for place in Place.objects.only("id", "name", "name_ur", "search_text").iterator():
            text = place_search_text(place.name, place.name_ur)
            if text != place.search_text:
                Place.objects.filter(pk=place.pk).update(search_text=text)
                count += 1
    return count
