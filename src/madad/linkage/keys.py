"""Blocking keys stored for the duplicate check at entry (PersonMatchKey).

They are the matcher's own blocking keys (matching.blocking.record_keys), blind-indexed like
every other searchable identity value, so that the check finds candidates among a million
persons by index, without decrypting anyone but the few candidates it then scores.

They are rebuilt by every batch run, after imports and merges, and by `match_keys_rebuild`
for a person whose names or numbers changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import transaction

from madad.core.crypto import blind_index
from madad.linkage.matching import blocking
from madad.linkage.matching.features import forget_names, prepare
from madad.linkage.models import PersonMatchKey

PURPOSE = "linkage"
_deferred: ContextVar[bool] = ContextVar("match_keys_deferred", default=False)


def record_match_keys(record: Mapping[str, Any]) -> set[str]:
    features = prepare([record])
    return {blind_index(repr(key), purpose=PURPOSE) for key in blocking.record_keys(features, 0)}


def match_keys_rebuild(*, organisation_id: int, records: Iterable[Mapping[str, Any]]) -> int:
    """Replaces the stored keys of these persons' records (each with its "id"); returns the
    number of keys written."""
    rows: list[PersonMatchKey] = []
    ids: list[int] = []
    try:
        for record in records:
            ids.append(record["id"])
            rows.extend(
                PersonMatchKey(organisation_id=organisation_id, person_id=record["id"], key=key)
                for key in sorted(record_match_keys(record))
            )
    finally:
        forget_names()  # decrypted names must not stay in a long-lived process's caches
    with transaction.atomic():
        for start in range(0, len(ids), 500):
            PersonMatchKey.objects.filter(person_id__in=ids[start : start + 500]).delete()
        PersonMatchKey.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


@contextmanager
def deferred() -> Iterator[None]:
    """Within it, saving a person does not rebuild their keys: the caller (a bulk import)
    rebuilds them for the whole batch itself."""
    token = _deferred.set(True)
    try:
        yield
    finally:
        _deferred.reset(token)


def person_saved(sender: Any, *, person: Any, **kwargs: Any) -> None:
    """Receiver of people.signals.person_saved: the person's keys follow their names and
    numbers at once, so that the next entry check finds them without waiting for a batch
    run."""
    if _deferred.get():
        return
    from madad.linkage.records import records_of

    match_keys_rebuild(organisation_id=person.organisation_id, records=records_of([person]))
