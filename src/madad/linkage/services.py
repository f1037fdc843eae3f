"""Writes of record linkage: batch runs, review decisions, merges and their undoing.

The matcher never merges on its own: a run only proposes pairs at or above the review
threshold, and a documenter or verifier decides each one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import numpy as np
from django.db import connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from madad.accounts.models import Organisation, User
from madad.core.audit import audit_record
from madad.core.refusals import Conflict, invalid
from madad.incidents.models import Incident, IncidentRelation
from madad.incidents.services import incident_relate
from madad.linkage import incidents as incident_matching
from madad.linkage import keys
from madad.linkage.checks import DEFAULT_THRESHOLD, current_parameters
from madad.linkage.evidence import evidence_of
from madad.linkage.matching import link
from madad.linkage.matching.features import forget_names
from madad.linkage.merging import REFUSED, merge_undo, persons_merge
from madad.linkage.models import (
    Decision,
    IncidentPair,
    LinkageRun,
    MergeRecord,
    PersonPair,
    PersonRecordId,
)
from madad.linkage.records import organisation_records
from madad.people.models import Person

__all__ = [
    "incident_pair_decide",
    "linkage_run_execute",
    "linkage_run_request",
    "merge_undo",
    "pair_decide",
    "persons_dedup",
    "persons_merge",
]

# A run not finished after this long lost its worker; a new request may queue another.
RUN_STALE_AFTER = dt.timedelta(hours=6)


def _before_forking() -> None:
    """Worker processes compute only, but a forked child holds copies of the parent's database
    connections: close them first (they reopen on next use). Not inside a transaction, which
    closing would end; the matcher forks only for large sets, which no transaction holds."""
    if not any(c.in_atomic_block for c in connections.all(initialized_only=True)):
        connections.close_all()


# --- batch runs -------------------------------------------------------------------------------
def linkage_run_request(
    *, organisation: Organisation, kind: str, requested_by: User, threshold: float | None = None
) -> LinkageRun:
    """Queues a run of the matcher over the organisation's persons or incidents, once the
    current transaction commits; an unfinished run of the same kind is returned instead of
    queuing a second one."""
    from madad.linkage.tasks import linkage_run_task

    if kind not in LinkageRun.Kind.values:
        raise invalid("kind", _("Choose persons or incidents."))
    if threshold is not None and not 0 < threshold < 1:
        raise invalid("threshold", _("The review threshold is a probability between 0 and 1."))
    running = LinkageRun.objects.filter(
        organisation=organisation,
        kind=kind,
        status__in=[LinkageRun.Status.QUEUED, LinkageRun.Status.RUNNING],
        requested_at__gte=timezone.now() - RUN_STALE_AFTER,
    ).first()
    if running is not None:
        return running
    default = DEFAULT_THRESHOLD if kind == LinkageRun.Kind.PERSONS else incident_matching.THRESHOLD
    with transaction.atomic():
        run = LinkageRun.objects.create(
            organisation=organisation,
            kind=kind,
            requested_by=requested_by,
            threshold=threshold or default,
        )
        audit_record(action="linkage.run.requested", actor=requested_by, obj=run, fields=["kind"])
        run_id = run.pk
        transaction.on_commit(lambda: linkage_run_task.enqueue(run_id=run_id))
    return run


def _progress(run_id: int) -> Callable[[str, float], None]:
    last = [0.0]

    def report(stage: str, fraction: float) -> None:
        fraction = min(max(fraction, 0.0), 1.0)
        if fraction - last[0] >= 0.02 or fraction >= 1.0:
            last[0] = fraction
            LinkageRun.objects.filter(pk=run_id).update(progress=fraction)

    return report


def linkage_run_execute(*, run_id: int, workers: int | None = None) -> LinkageRun:
    """Runs a queued run (the background task calls this). Pairs found at or above the run's
    threshold are added to the review queue, or refreshed while still waiting; decided pairs
    are left as decided. A failure is recorded on the run, by its kind only."""
    run = LinkageRun.objects.get(pk=run_id)
    if run.status not in (LinkageRun.Status.QUEUED, LinkageRun.Status.RUNNING):
        return run
    LinkageRun.objects.filter(pk=run_id).update(
        status=LinkageRun.Status.RUNNING, started_at=timezone.now(), progress=0.0
    )
    try:
        if run.kind == LinkageRun.Kind.PERSONS:
            values = _persons_run(run, workers)
        else:
            values = _incidents_run(run)
    except Exception as exc:
        LinkageRun.objects.filter(pk=run_id).update(
            status=LinkageRun.Status.FAILED,
            finished_at=timezone.now(),
            error=type(exc).__name__[:200],
        )
        raise
    LinkageRun.objects.filter(pk=run_id).update(
        status=LinkageRun.Status.DONE, finished_at=timezone.now(), progress=1.0, **values
    )
    run.refresh_from_db()
    audit_record(
        action="linkage.run.finished",
        actor=run.requested_by,
        obj=run,
        organisation=run.organisation,
        fields=["pairs_found"],
    )
    return run


def _persons_run(run: LinkageRun, workers: int | None) -> dict[str, Any]:
    report = _progress(run.pk)
    records = list(organisation_records(run.organisation_id))
    ids = np.array([r["id"] for r in records], dtype=np.int64)
    if len(records) < 2:
        return {"records": len(records), "candidates": 0, "pairs_found": 0}
    _before_forking()
    params, _threshold = current_parameters(run.organisation_id)
    try:
        result = link(
            records,
            threshold=run.threshold,
            workers=workers,
            params=params,
            progress=lambda stage, f: report(stage, f * 0.8),
        )
    finally:
        forget_names()
    existing = {
        (a, b): (pk, status)
        for pk, a, b, status in PersonPair.objects.filter(
            organisation_id=run.organisation_id
        ).values_list("id", "person_a_id", "person_b_id", "status")
    }
    new, refreshed = [], []
    for k in range(len(result.left)):
        a, b = sorted((int(ids[result.left[k]]), int(ids[result.right[k]])))
        evidence = evidence_of(result.levels[k].tolist(), result.weights[k].tolist())
        probability = float(result.probability[k])
        found = existing.get((a, b))
        if found is None:
            new.append(
                PersonPair(
                    organisation_id=run.organisation_id,
                    person_a_id=a,
                    person_b_id=b,
                    probability=probability,
                    weight=float(result.weight[k]),
                    evidence=evidence,
                    found_by=run,
                )
            )
        elif found[1] == Decision.PENDING:
            refreshed.append(
                PersonPair(
                    pk=found[0],
                    probability=probability,
                    weight=float(result.weight[k]),
                    evidence=evidence,
                    found_by=run,
                )
            )
    with transaction.atomic():
        PersonPair.objects.bulk_create(new, batch_size=1000)
        PersonPair.objects.bulk_update(
            refreshed, ["probability", "weight", "evidence", "found_by"], batch_size=1000
        )
    report("keys", 0.85)
    for start in range(0, len(records), 2000):
        keys.match_keys_rebuild(
            organisation_id=run.organisation_id, records=records[start : start + 2000]
        )
        report("keys", 0.85 + 0.15 * min(1.0, (start + 2000) / len(records)))
    return {
        "records": len(records),
        "candidates": result.candidates,
        "pairs_found": len(new) + len(refreshed),
        "parameters": result.params.to_dict(),
    }


def _incidents_run(run: LinkageRun) -> dict[str, Any]:
    incidents = list(
        Incident.objects.filter(organisation_id=run.organisation_id)
        .select_related("place")
        .prefetch_related("types", "acts")
    )
    records = incident_matching.incident_records(incidents)
    existing = set(
        IncidentPair.objects.filter(organisation_id=run.organisation_id).values_list(
            "incident_a_id", "incident_b_id"
        )
    )
    related = {
        tuple(sorted(pair))
        for pair in IncidentRelation.objects.filter(
            from_incident__organisation_id=run.organisation_id
        ).values_list("from_incident_id", "to_incident_id")
    }
    new = []
    for i, j, score, evidence in incident_matching.incident_pairs(records, threshold=run.threshold):
        a, b = sorted((records[i]["id"], records[j]["id"]))
        if (a, b) in existing or (a, b) in related:
            continue
        new.append(
            IncidentPair(
                organisation_id=run.organisation_id,
                incident_a_id=a,
                incident_b_id=b,
                score=score,
                evidence=evidence,
                found_by=run,
            )
        )
    IncidentPair.objects.bulk_create(new, batch_size=1000)
    return {"records": len(records), "candidates": len(records), "pairs_found": len(new)}


# --- decisions --------------------------------------------------------------------------------
def _already_decided() -> Conflict:
    return Conflict(_("This pair was already decided."), code=REFUSED)


def pair_decide(
    *, pair: PersonPair, decision: str, decided_by: User, keep: str = "a"
) -> MergeRecord | None:
    """Merge (keeping person `keep`, "a" or "b") or "not_same". Only a pair still waiting can
    be decided; a merge returns its MergeRecord (persons_merge says what it guarantees)."""
    if pair.status != Decision.PENDING:
        raise _already_decided()
    if decision == Decision.NOT_SAME:
        with transaction.atomic():
            updated = PersonPair.objects.filter(pk=pair.pk, status=Decision.PENDING).update(
                status=Decision.NOT_SAME, decided_by=decided_by, decided_at=timezone.now()
            )
            if not updated:
                raise _already_decided()
            audit_record(
                action="linkage.pair.not_same", actor=decided_by, obj=pair, fields=["status"]
            )
        return None
    if decision != Decision.MERGED:
        raise invalid("decision", _("Choose merge or not the same."))
    if keep not in ("a", "b"):
        raise invalid("keep", _("Choose which record to keep."))
    persons = {
        p.pk: p
        for p in Person.objects.filter(
            pk__in=[pair.person_a_id, pair.person_b_id], organisation_id=pair.organisation_id
        )
    }
    if len(persons) != 2:
        raise Conflict(
            _("One of these persons no longer exists (merged into another)."), code=REFUSED
        )
    first, second = persons[pair.person_a_id], persons[pair.person_b_id]
    kept, merged = (first, second) if keep == "a" else (second, first)
    return persons_merge(kept=kept, merged=merged, merged_by=decided_by, pair=pair)


def incident_pair_decide(*, pair: IncidentPair, decision: str, decided_by: User) -> IncidentPair:
    """ "same_event" records an incident relation of that kind (the incidents stay as they
    are, each with its sources); "not_same" closes the pair; "pending" reopens a decided
    pair, removing the relation its decision recorded."""
    with transaction.atomic():
        pair = IncidentPair.objects.select_for_update().get(pk=pair.pk)
        if decision == Decision.PENDING:
            if pair.status == Decision.PENDING:
                raise Conflict(_("This pair is still waiting for review."), code=REFUSED)
            relation_id = pair.relation_id
            IncidentPair.objects.filter(pk=pair.pk).update(
                status=Decision.PENDING, decided_by=None, decided_at=None, relation=None
            )
            if relation_id:
                IncidentRelation.objects.filter(pk=relation_id).delete()
            audit_record(
                action="linkage.incident_pair.reopened",
                actor=decided_by,
                obj=pair,
                fields=["status", "relation"],
            )
        elif pair.status != Decision.PENDING:
            raise _already_decided()
        elif decision == Decision.SAME_EVENT:
            relation = incident_relate(
                incident=pair.incident_b,
                other=pair.incident_a,
                kind=IncidentRelation.Kind.SAME_EVENT,
                related_by=decided_by,
            )
            IncidentPair.objects.filter(pk=pair.pk).update(
                status=Decision.SAME_EVENT,
                decided_by=decided_by,
                decided_at=timezone.now(),
                relation=relation,
            )
            audit_record(
                action="linkage.incident_pair.same_event",
                actor=decided_by,
                obj=pair,
                fields=["status", "relation"],
            )
        elif decision == Decision.NOT_SAME:
            IncidentPair.objects.filter(pk=pair.pk).update(
                status=Decision.NOT_SAME, decided_by=decided_by, decided_at=timezone.now()
            )
            audit_record(
                action="linkage.incident_pair.not_same",
                actor=decided_by,
                obj=pair,
                fields=["status"],
            )
        else:
            raise invalid("decision", _("Choose same event or not the same."))
    pair.refresh_from_db()
    return pair


# --- the command line -------------------------------------------------------------------------
def persons_dedup(
    *, organisation: Organisation, threshold: float | None = None, workers: int | None = None
) -> list[tuple[str, str, float]]:
    """(record id, record id, probability) for every candidate pair of the organisation's
    persons at or above the review threshold, most probable first. A person without an
    imported record id is named "person:<id>". Nothing is written."""
    params, default = current_parameters(organisation.pk)
    threshold = threshold if threshold is not None else default
    records = list(organisation_records(organisation.pk))
    if len(records) < 2:
        return []
    names: dict[int, str] = {}
    for person_id, record_id in (
        PersonRecordId.objects.filter(organisation=organisation)
        .order_by("id")
        .values_list("person_id", "record_id")
    ):
        names.setdefault(person_id, record_id)
    _before_forking()
    try:
        result = link(records, threshold=threshold, workers=workers, params=params)
    finally:
        forget_names()
    rows = []
    for k in np.argsort(-result.probability, kind="stable").tolist():
        a, b = records[result.left[k]]["id"], records[result.right[k]]["id"]
        rows.append(
            (names.get(a, f"person:{a}"), names.get(b, f"person:{b}"), float(result.probability[k]))
        )
    return rows
