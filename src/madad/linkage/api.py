"""The record-linkage API (/api/v1/linkage): the review queue, decisions, merges and their
undo, batch runs, and the duplicate check for a person about to be recorded."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from madad import access
from madad.access.linkage import may_review
from madad.access.roles import Capability
from madad.accounts.models import User
from madad.api.errors import ApiError
from madad.api.pagination import paginated
from madad.linkage import checks, services
from madad.linkage.models import Decision, LinkageRun, MergeRecord, PersonPair
from madad.people.api import PersonIn

router = Router(tags=["linkage"])


def _reviewer(request: HttpRequest) -> User:
    if not may_review(request.user):
        raise ApiError(403, "forbidden", _("Your role does not review duplicates."))
    return request.user  # type: ignore[return-value]


class PairOut(Schema):
    id: int
    person_a_id: int
    person_b_id: int
    probability: float
    status: str
    evidence: dict[str, Any]


class DecisionIn(Schema):
    decision: Literal["merged", "not_same"]
    keep: Literal["a", "b"] = Field(default="a", description="Which person's record stays")


class MergeOut(Schema):
    id: int
    kept_person_id: int
    merged_person_id: int
    undone: bool


class RunIn(Schema):
    kind: Literal["persons", "incidents"] = "persons"


class RunOut(Schema):
    id: int
    kind: str
    status: str
    progress: float
    records: int
    pairs_found: int


class CandidateOut(Schema):
    person_id: int
    probability: float
    evidence: dict[str, Any]


def _merge_out(merge: MergeRecord) -> dict[str, Any]:
    return {
        "id": merge.pk,
        "kept_person_id": merge.kept_person_id,
        "merged_person_id": merge.merged_person_id,
        "undone": merge.undone,
    }


@router.get("/pairs", response=list[PairOut], summary="Person pairs waiting for review")
@paginated
def list_pairs(request: HttpRequest) -> Any:
    _reviewer(request)
    return access.visible_to(request.user, PersonPair).filter(status=Decision.PENDING)


@router.get(
    "/pairs/{int:pair_id}",
    response=PairOut,
    summary="One pair, with the level of agreement of each compared field",
)
def get_pair(request: HttpRequest, pair_id: int) -> Any:
    _reviewer(request)
    return access.get_visible_or_404(request.user, PersonPair, request=request, pk=pair_id)


@router.post(
    "/pairs/{int:pair_id}/decision",
    response={200: dict, 201: MergeOut},
    summary="Merge the pair (keeping one record) or record that they differ",
)
def decide_pair(request: HttpRequest, pair_id: int, payload: DecisionIn) -> Any:
    user = _reviewer(request)
    pair = access.get_visible_or_404(request.user, PersonPair, request=request, pk=pair_id)
    try:
        merge = services.pair_decide(
            pair=pair, decision=payload.decision, decided_by=user, keep=payload.keep
        )
    except (services.DecisionRefused, services.MergeRefused) as refusal:
        raise ApiError(409, "refused", str(refusal)) from None
    if merge is None:
        return Status(200, {"status": Decision.NOT_SAME})
    return Status(201, _merge_out(merge))


@router.post(
    "/merges/{int:merge_id}/undo",
    response=MergeOut,
    summary="Undo a merge: both records back exactly as they were",
)
def undo_merge(request: HttpRequest, merge_id: int) -> Any:
    user = _reviewer(request)
    merge = access.get_visible_or_404(request.user, MergeRecord, request=request, pk=merge_id)
    try:
        services.merge_undo(merge=merge, undone_by=user)
    except services.MergeRefused as refusal:
        raise ApiError(409, "refused", str(refusal)) from None
    merge.refresh_from_db()
    return _merge_out(merge)


@router.post("/runs", response={202: RunOut}, summary="Look for duplicates in the background")
def start_run(request: HttpRequest, payload: RunIn) -> Any:
    user = _reviewer(request)
    run = services.linkage_run_request(
        organisation=user.organisation, kind=payload.kind, requested_by=user
    )
    return Status(202, run)


@router.get("/runs/{int:run_id}", response=RunOut, summary="A run's progress")
def get_run(request: HttpRequest, run_id: int) -> Any:
    _reviewer(request)
    return access.get_visible_or_404(request.user, LinkageRun, request=request, pk=run_id)


@router.post(
    "/check/person",
    response=list[CandidateOut],
    summary="Persons already recorded who may be this one (before recording it)",
)
def check_person(request: HttpRequest, payload: PersonIn) -> Any:
    """A POST, so that the names and numbers checked never appear in a URL or a log."""
    if not (
        access.can(request.user, Capability.PERSON_EDIT)
        and access.can(request.user, Capability.PERSON_VIEW)
    ):
        raise ApiError(403, "forbidden", _("Your role cannot record persons."))
    found = checks.match_candidates(
        organisation_id=request.user.organisation_id,  # type: ignore[union-attr]
        data=payload.dict(),
    )
    return [
        {"person_id": c.person.pk, "probability": round(c.probability, 4), "evidence": c.evidence}
        for c in found
    ]
