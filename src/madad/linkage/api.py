"""The record-linkage API (/api/v1/linkage): the review queue, decisions, merges and their
undo, batch runs, and the duplicate check for a person about to be recorded. Refusals of the
services (a pair already decided: 409 "refused", a bad choice: 422) are answered by
madad.api.errors."""

from __future__ import annotations

from typing import Any, Literal

from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.params.functions import Path
from pydantic import Field

from madad import access
from madad.access.linkage import may_review
from madad.access.roles import Capability
from madad.accounts.models import User
from madad.api.errors import errors
from madad.api.pagination import paginated
from madad.core.http import AuthedRequest
from madad.core.refusals import NotAllowed
from madad.linkage import checks, services
from madad.linkage.models import Decision, LinkageRun, MergeRecord, PersonPair
from madad.people.schemas import PersonIn

router = Router(tags=["linkage"])

MAX_ID = 2**63 - 1


def _id(description: str) -> Any:
    return Path(..., ge=1, le=MAX_ID, description=description)


def _reviewer(request: AuthedRequest) -> User:
    if not may_review(request.user):
        raise NotAllowed(_("Your role does not review duplicates."))
    return request.user


class PersonPairOut(Schema):
    id: int
    person_a_id: int
    person_b_id: int
    probability: float
    status: str
    evidence: dict[str, Any]


class PersonPairDecisionIn(Schema):
    decision: Literal["merged", "not_same"]
    keep: Literal["a", "b"] = Field(default="a", description="Which person's record stays")


class PersonPairDecisionOut(Schema):
    status: Literal["not_same"]


class PersonMergeOut(Schema):
    id: int
    kept_person_id: int
    merged_person_id: int
    undone: bool


class LinkageRunIn(Schema):
    kind: Literal["persons", "incidents"] = "persons"


class LinkageRunOut(Schema):
    id: int
    kind: str
    status: str
    progress: float
    records: int
    pairs_found: int


class PersonCandidateOut(Schema):
    person_id: int
    probability: float
    evidence: dict[str, Any]


def _merge_out(merge: MergeRecord) -> PersonMergeOut:
    return PersonMergeOut(
        id=merge.pk,
        kept_person_id=merge.kept_person_id,
        merged_person_id=merge.merged_person_id,
        undone=merge.undone,
    )


@router.get(
    "/pairs",
    response={200: list[PersonPairOut], **errors(403)},
    summary="Person pairs waiting for review",
)
@paginated
def list_pairs(request: AuthedRequest) -> Any:
    _reviewer(request)
    return access.visible_to(request.user, PersonPair).filter(status=Decision.PENDING)


@router.get(
    "/pairs/{pair_id}",
    response={200: PersonPairOut, **errors(403, 404, 422)},
    summary="One pair, with the level of agreement of each compared field",
)
def get_pair(request: AuthedRequest, pair_id: int = _id("The pair's number")) -> PersonPair:
    _reviewer(request)
    return access.get_visible_or_404(request.user, PersonPair, pk=pair_id)


@router.post(
    "/pairs/{pair_id}/decision",
    response={200: PersonPairDecisionOut, 201: PersonMergeOut, **errors(403, 404, 409, 422)},
    summary="Merge the pair (keeping one record) or record that they differ",
)
def decide_pair(
    request: AuthedRequest,
    payload: PersonPairDecisionIn,
    pair_id: int = _id("The pair's number"),
) -> Any:
    user = _reviewer(request)
    pair = access.get_visible_or_404(user, PersonPair, pk=pair_id)
    merge = services.pair_decide(
        pair=pair, decision=payload.decision, decided_by=user, keep=payload.keep
    )
    if merge is None:
        return Status(200, PersonPairDecisionOut(status="not_same"))
    return Status(201, _merge_out(merge))


@router.post(
    "/merges/{merge_id}/undo",
    response={200: PersonMergeOut, **errors(403, 404, 409, 422)},
    summary="Undo a merge: both records back exactly as they were",
)
def undo_merge(request: AuthedRequest, merge_id: int = _id("The merge's number")) -> PersonMergeOut:
    user = _reviewer(request)
    merge = access.get_visible_or_404(user, MergeRecord, pk=merge_id)
    services.merge_undo(merge=merge, undone_by=user)
    merge.refresh_from_db()
    return _merge_out(merge)


@router.post(
    "/runs",
    response={202: LinkageRunOut, **errors(403, 422)},
    summary="Look for duplicates in the background",
)
def start_run(request: AuthedRequest, payload: LinkageRunIn) -> Any:
    user = _reviewer(request)
    run = services.linkage_run_request(
        organisation=user.organisation, kind=payload.kind, requested_by=user
    )
    return Status(202, run)


@router.get(
    "/runs/{run_id}",
    response={200: LinkageRunOut, **errors(403, 404, 422)},
    summary="A run's progress",
)
def get_run(request: AuthedRequest, run_id: int = _id("The run's number")) -> LinkageRun:
    _reviewer(request)
    return access.get_visible_or_404(request.user, LinkageRun, pk=run_id)


@router.post(
    "/check/person",
    response={200: list[PersonCandidateOut], **errors(403, 422)},
    summary="Persons already recorded who may be this one (before recording it)",
)
def check_person(request: AuthedRequest, payload: PersonIn) -> list[PersonCandidateOut]:
    """A POST, so that the names and numbers checked never appear in a URL or a log."""
    if not (
        access.can(request.user, Capability.PERSON_EDIT)
        and access.can(request.user, Capability.PERSON_VIEW)
    ):
        raise NotAllowed(_("Your role cannot record persons."))
    found = checks.match_candidates(
        organisation_id=request.user.organisation_id, data=payload.dict()
    )
    return [
        PersonCandidateOut(
            person_id=c.person.pk, probability=round(c.probability, 4), evidence=c.evidence
        )
        for c in found
    ]
