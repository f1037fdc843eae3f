"""/api/v1/evidence: list, upload (multipart), one file's record, verified download, a copy
to share (metadata removed), and the custody log."""

# No `from __future__ import annotations` here: django-ninja resolves the RecordId alias of
# query and form parameters from real annotations, not strings.
import datetime as dt
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from madad import access
from madad.access.roles import Capability
from madad.api.errors import ApiError
from madad.api.pagination import paginated
from madad.evidence import selectors, services
from madad.evidence.models import EvidenceFile
from madad.incidents.models import Incident
from madad.testimonies.models import Testimony

router = Router(tags=["evidence"])

# A record number: a positive 64-bit integer (a larger one would overflow the database).
RecordId = Annotated[int, Field(ge=1, le=2**63 - 1)]


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


class CustodyOut(Schema):
    id: int
    action: str
    by: int = Field(validation_alias="by_id")
    at: dt.datetime
    sha256: str


def _invalid(fields: dict[str, list[str]]) -> ApiError:
    return ApiError(422, "invalid", _("The request has errors."), fields)


def _evidence(request: HttpRequest, evidence_id: int) -> EvidenceFile:
    return access.get_visible_or_404(request.user, EvidenceFile, request=request, pk=evidence_id)


def _out(request: HttpRequest, evidence: EvidenceFile) -> dict[str, Any]:
    data = EvidenceSummary.model_validate(evidence).model_dump()
    data.update(
        access.reveal(
            request.user,
            evidence,
            request=request,  # type: ignore[arg-type]
            wanted=["original_name", "description"],
            action="evidence.details.viewed",
        )
    )
    data["exportable"] = selectors.exportable(evidence)
    return data


def _attachment(download: services.Download) -> FileResponse:
    response = FileResponse(
        download.file,
        as_attachment=True,
        filename=download.filename,
        content_type=download.content_type,
    )
    response["X-Content-SHA256"] = download.sha256
    return response


@router.get("", response=list[EvidenceSummary], summary="Evidence files you may see")
@paginated
def list_evidence(
    request: HttpRequest, incident: RecordId | None = None, testimony: RecordId | None = None
) -> Any:
    found = selectors.evidence_list(user=request.user)
    if incident is not None:
        found = found.filter(incident_id=incident)
    if testimony is not None:
        found = found.filter(testimony_id=testimony)
    return found


@router.post("", response={201: dict}, summary="Upload an evidence file (multipart form)")
def upload_evidence(
    request: HttpRequest,
    file: File[UploadedFile],
    incident: Form[RecordId],
    testimony: Form[RecordId | None] = None,
    description: Form[str] = "",
) -> Status[dict[str, Any]]:
    if not access.can(request.user, Capability.EVIDENCE_UPLOAD):
        raise ApiError(403, "forbidden", _("Your role cannot upload evidence."))
    found = access.visible_to(request.user, Incident).filter(pk=incident).first()
    if found is None:
        raise _invalid({"incident": [_("There is no incident with this number that you may see.")]})
    attached_to = None
    if testimony is not None:
        attached_to = access.visible_to(request.user, Testimony).filter(pk=testimony).first()
        if attached_to is None:
            raise _invalid(
                {"testimony": [_("There is no testimony with this number that you may see.")]}
            )
    try:
        evidence = services.evidence_upload(
            incident=found,
            testimony=attached_to,
            uploaded_by=request.user,  # type: ignore[arg-type]
            file=file,
            description=description,
            request=request,
        )
    except ValidationError as exc:
        raise _invalid({k: [str(m) for m in v] for k, v in exc.message_dict.items()}) from None
    return Status(201, _out(request, evidence))


@router.get(
    "/{int:evidence_id}",
    summary="One evidence file's record (the read is recorded in its custody log)",
)
def get_evidence(request: HttpRequest, evidence_id: int) -> dict[str, Any]:
    evidence = _evidence(request, evidence_id)
    data = _out(request, evidence)
    services.evidence_record_viewed(
        evidence=evidence,
        user=request.user,  # type: ignore[arg-type]
        request=request,
    )
    return data


@router.get(
    "/{int:evidence_id}/download",
    summary="The original file, verified against its SHA-256 (409 if it has changed)",
)
def download_evidence(request: HttpRequest, evidence_id: int) -> FileResponse:
    evidence = _evidence(request, evidence_id)
    try:
        download = services.evidence_open_for_download(
            evidence=evidence, user=request.user, request=request
        )  # type: ignore[arg-type]
    except services.EvidenceIntegrityError as exc:
        raise ApiError(409, "integrity_failed", str(exc)) from None
    return _attachment(download)


@router.post(
    "/{int:evidence_id}/export",
    summary="A copy to share outside the organisation, with EXIF, GPS and other metadata removed",
)
def export_evidence(request: HttpRequest, evidence_id: int) -> FileResponse:
    evidence = _evidence(request, evidence_id)
    if not access.can(request.user, Capability.EVIDENCE_EXPORT):
        raise ApiError(403, "forbidden", _("Your role cannot make copies to share."))
    try:
        download = services.evidence_export_copy(
            evidence=evidence, user=request.user, request=request
        )  # type: ignore[arg-type]
    except services.EvidenceIntegrityError as exc:
        raise ApiError(409, "integrity_failed", str(exc)) from None
    except services.EvidenceNotExportable as exc:
        raise ApiError(422, "not_exportable", str(exc)) from None
    return _attachment(download)


@router.get(
    "/{int:evidence_id}/custody",
    response=list[CustodyOut],
    summary="The file's chain of custody, newest first",
)
@paginated
def custody(request: HttpRequest, evidence_id: int) -> Any:
    evidence = _evidence(request, evidence_id)
    return selectors.custody_log(user=request.user, evidence=evidence)
