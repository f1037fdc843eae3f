"""Background tasks of record linkage; run by `madad db_worker`. They take ids, never objects,
and are queued on commit (madad.linkage.services.linkage_run_request)."""

from __future__ import annotations

from django_tasks import task

from madad.linkage.services import linkage_run_execute


@task()
def linkage_run_task(*, run_id: int) -> dict[str, int]:
    """Runs the matcher over one organisation's persons or incidents (one LinkageRun)."""
    run = linkage_run_execute(run_id=run_id)
    return {"records": run.records, "pairs_found": run.pairs_found}
