"""Staff pages for evidence files: the files of an incident, upload, a file's record, its
download, an export copy and its custody log."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from madad import access
from madad.access.roles import Capability
from madad.core.forms import INVALID_FORM_STATUS, form_errors
from madad.core.http import AuthedRequest
from madad.core.refusals import Refused
from madad.evidence import selectors, services
from madad.evidence.forms import EvidenceUploadForm
from madad.evidence.models import EvidenceFile
from madad.incidents.models import Incident
from madad.testimonies.models import Testimony
from madad.testimonies.selectors import testimony_list


def _incident_for_evidence(
    request: AuthedRequest, incident_id: int, capability: str = Capability.EVIDENCE_VIEW
) -> Incident:
    incident = access.get_visible_or_404(request.user, Incident, pk=incident_id)
    if not access.can(request.user, capability):
        raise Http404
    return incident


def _evidence_for_user(request: AuthedRequest, evidence_id: int) -> EvidenceFile:
    return access.get_visible_or_404(request.user, EvidenceFile, pk=evidence_id)


def _upload_form(
    request: AuthedRequest, incident: Incident, data: object = None, files: object = None
) -> EvidenceUploadForm:
    initial = {}
    wanted = request.GET.get("testimony", "")
    if wanted.isdigit():
        initial["testimony"] = int(wanted)
    return EvidenceUploadForm(
        data,
        files,
        initial=initial,
        testimonies=testimony_list(user=request.user, incident=incident),
    )


def _page_context(
    request: AuthedRequest, incident: Incident, form: EvidenceUploadForm | None
) -> dict[str, object]:
    files = selectors.evidence_list(user=request.user, incident=incident)
    return {
        "incident": incident,
        "page": Paginator(files, 50).get_page(request.GET.get("page")),
        "form": form,
        "max_mb": services.max_bytes() // (1024 * 1024),
    }


@login_required
def incident_evidence(request: AuthedRequest, incident_id: int) -> HttpResponse:
    incident = _incident_for_evidence(request, incident_id)
    form = (
        _upload_form(request, incident)
        if access.can(request.user, Capability.EVIDENCE_UPLOAD)
        else None
    )
    return render(
        request, "evidence/incident_evidence.html", _page_context(request, incident, form)
    )


@login_required
def evidence_upload(request: AuthedRequest, incident_id: int) -> HttpResponse:
    incident = _incident_for_evidence(request, incident_id, Capability.EVIDENCE_UPLOAD)
    if request.method != "POST":
        return render(
            request,
            "evidence/incident_evidence.html",
            _page_context(request, incident, _upload_form(request, incident)),
        )
    form = _upload_form(request, incident, request.POST, request.FILES)
    status = INVALID_FORM_STATUS
    if form.is_valid():
        try:
            evidence = services.evidence_upload(
                incident=incident,
                uploaded_by=request.user,
                file=form.cleaned_data["file"],
                testimony=form.cleaned_data["testimony"],
                description=form.cleaned_data["description"],
            )
        except Refused as refusal:
            status = form_errors(form, refusal)
        else:
            messages.success(request, _("The file was stored and its fingerprint recorded."))
            target = request.POST.get("next", "")
            if target and url_has_allowed_host_and_scheme(
                target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
            ):
                return redirect(target)
            return redirect("evidence:detail", evidence.pk)
    return render(
        request,
        "evidence/incident_evidence.html",
        _page_context(request, incident, form),
        status=status,
    )


@login_required
def evidence_detail(request: AuthedRequest, evidence_id: int) -> HttpResponse:
    evidence = _evidence_for_user(request, evidence_id)
    shown = access.reveal(
        request.user,
        evidence,
        wanted=["original_name", "description"],
        action="evidence.details.viewed",
    )
    services.evidence_record_viewed(evidence=evidence, user=request.user)
    return render(
        request,
        "evidence/evidence_detail.html",
        {
            "evidence": evidence,
            "shown": shown,
            "type_label": selectors.type_label(evidence),
            "can_export": access.can(request.user, Capability.EVIDENCE_EXPORT)
            and selectors.exportable(evidence),
            "export_refused": not selectors.exportable(evidence),
            "testimony_visible": evidence.testimony_id is not None
            and access.visible_to(request.user, Testimony)
            .filter(pk=evidence.testimony_id)
            .exists(),
        },
    )


def _refused(request: AuthedRequest, evidence: EvidenceFile, refusal: Refused) -> HttpResponse:
    return render(
        request,
        "evidence/refused.html",
        {"evidence": evidence, "message": refusal.message},
        status=refusal.status,
    )


def _served(
    request: AuthedRequest,
    evidence: EvidenceFile,
    copy: Callable[..., services.Download],
) -> HttpResponseBase:
    """The file `copy` makes for the user, or the page that says why it was refused."""
    try:
        download = copy(evidence=evidence, user=request.user)
    except Refused as refusal:
        return _refused(request, evidence, refusal)
    return download.response()


@require_POST
@login_required
def evidence_download(request: AuthedRequest, evidence_id: int) -> HttpResponseBase:
    evidence = _evidence_for_user(request, evidence_id)
    return _served(request, evidence, services.evidence_open_for_download)


@require_POST
@login_required
def evidence_export(request: AuthedRequest, evidence_id: int) -> HttpResponseBase:
    evidence = _evidence_for_user(request, evidence_id)
    if not access.can(request.user, Capability.EVIDENCE_EXPORT):
        raise Http404
    return _served(request, evidence, services.evidence_export_copy)


@login_required
def evidence_custody(request: AuthedRequest, evidence_id: int) -> HttpResponse:
    evidence = _evidence_for_user(request, evidence_id)
    page = Paginator(selectors.custody_log(user=request.user, evidence=evidence), 100).get_page(
        request.GET.get("page")
    )
    return render(request, "evidence/custody_log.html", {"evidence": evidence, "page": page})
