"""/api/v1/evidence: list, upload (multipart), one file's record, verified download, a copy
to share (metadata removed), and the custody log."""

# No `from __future__ import annotations` here: django-ninja resolves the QueryId alias of
# query and form parameters from real annotations, not strings.
import datetime as dt
from typing import Any

from django.http import FileResponse
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from madad import access
from madad.access.roles import Capability
from madad.api.errors import errors
from madad.api.pagination import paginated
from madad.api.records import named
from madad.api.types import QueryId
from madad.core.http import AuthedRequest
from madad.core.refusals import NotAllowed
from madad.evidence import selectors, services
from madad.evidence.models import EvidenceFile
from madad.incidents.models import Incident
from madad.testimonies.models import Testimony

router = Router(tags=["evidence"])

# A record number: a positive 64-bit integer (a larger one would overflow the database).


class EvidenceSummary(Schema):
    id: int
    incident: int = Field(validation_alias="incident_id")
    testimony: int | None = Field(validation_alias="testimony_id")
    kind: str
    content_type: str
    size: int
    sha256: str
    uploaded_by: int = Field(validation_alias="uploaded_by_id")
    uploaded_at: dt.datetime


class EvidenceCustodyOut(Schema):
    id: int
    action: str
    by: int = Field(validation_alias="by_id")
    at: dt.datetime
    sha256: str


class EvidenceOut(EvidenceSummary):
    original_name: str | None = Field(
        default=None, description="The name on the uploader's device (roles that may read it)"
    )
    description: str | None = None
    exportable: bool = Field(description="Whether a copy without metadata can be made")


# A file answered as it is: its bytes, under a name that says nothing but the record number.
FILE_RESPONSE: dict[str, Any] = {
    "responses": {
        200: {
            "description": "The file's bytes; X-Content-SHA256 carries their SHA-256",
            "content": {
                # the file's own type (a photo, a PDF, a sound), as it was uploaded
                "*/*": {"schema": {"type": "string", "format": "binary"}}
            },
        }
    }
}


def _evidence(request: AuthedRequest, evidence_id: int) -> EvidenceFile:
    return access.get_visible_or_404(request.user, EvidenceFile, pk=evidence_id)


def _out(request: AuthedRequest, evidence: EvidenceFile) -> EvidenceOut:
    data = EvidenceSummary.model_validate(evidence).model_dump()
    data.update(
        access.reveal(
            request.user,
            evidence,
            wanted=["original_name", "description"],
            action="evidence.details.viewed",
        )
    )
    data["exportable"] = selectors.exportable(evidence)
    return EvidenceOut.model_validate(data, by_name=True)


@router.get("", response={200: list[EvidenceSummary]}, summary="Evidence files you may see")
@paginated
def list_evidence(
    request: AuthedRequest, incident: QueryId | None = None, testimony: QueryId | None = None
) -> Any:
    found = selectors.evidence_list(user=request.user)
    if incident is not None:
        found = found.filter(incident_id=incident)
    if testimony is not None:
        found = found.filter(testimony_id=testimony)
    return found


@router.post(
    "",
    response={201: EvidenceOut, **errors(403, 413, 422)},
    summary="Upload an evidence file (multipart form)",
)
def upload_evidence(
    request: AuthedRequest,
    file: File[UploadedFile],
    incident: Form[QueryId],
    testimony: Form[QueryId | None] = None,
    description: Form[str] = "",
) -> Status[EvidenceOut]:
    if not access.can(request.user, Capability.EVIDENCE_UPLOAD):
        raise NotAllowed(_("Your role cannot upload evidence."))
    found = named(
        request.user,
        Incident,
        incident,
        "incident",
        _("There is no incident with this number that you may see."),
    )
    attached_to = None
    if testimony is not None:
        attached_to = named(
            request.user,
            Testimony,
            testimony,
            "testimony",
            _("There is no testimony with this number that you may see."),
        )
    evidence = services.evidence_upload(
        incident=found,
        testimony=attached_to,
        uploaded_by=request.user,
        file=file,
        description=description,
    )
    return Status(201, _out(request, evidence))


@router.get(
    "/{int:evidence_id}",
    response={200: EvidenceOut, **errors(404)},
    summary="One evidence file's record (the read is recorded in its custody log)",
)
def get_evidence(request: AuthedRequest, evidence_id: int) -> EvidenceOut:
    evidence = _evidence(request, evidence_id)
    data = _out(request, evidence)
    services.evidence_record_viewed(evidence=evidence, user=request.user)
    return data


@router.get(
    "/{int:evidence_id}/download",
    response={**errors(404, 409)},
    openapi_extra=FILE_RESPONSE,
    summary="The original file, verified against its SHA-256 (409 if it has changed)",
)
def download_evidence(request: AuthedRequest, evidence_id: int) -> FileResponse:
    evidence = _evidence(request, evidence_id)
    return services.evidence_open_for_download(evidence=evidence, user=request.user).response()


@router.post(
    "/{int:evidence_id}/export",
    response={**errors(403, 404, 409, 422)},
    openapi_extra=FILE_RESPONSE,
    summary="A copy to share outside the organisation, with EXIF, GPS and other metadata removed",
)
def export_evidence(request: AuthedRequest, evidence_id: int) -> FileResponse:
    evidence = _evidence(request, evidence_id)
    if not access.can(request.user, Capability.EVIDENCE_EXPORT):
        raise NotAllowed(_("Your role cannot make copies to share."))
    return services.evidence_export_copy(evidence=evidence, user=request.user).response()


@router.get(
    "/{int:evidence_id}/custody",
    response={200: list[EvidenceCustodyOut], **errors(404)},
    summary="The file's chain of custody, newest first",
)
@paginated
def custody(request: AuthedRequest, evidence_id: int) -> Any:
    evidence = _evidence(request, evidence_id)
    return selectors.custody_log(user=request.user, evidence=evidence)
