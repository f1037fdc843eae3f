"""Staff pages for government compensation claims: a case's claims (also a panel on the case
page) and filing one; the list of claims; one claim with its history, status changes, next
action and documents (upload, and the verified download)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from madad import access
from madad.access.claims import may_edit_claims, may_see_claims
from madad.assistance.views import case_page_url
from madad.cases.models import Case
from madad.claims import selectors, services
from madad.claims.forms import ClaimDocumentForm, ClaimFileForm, ClaimStatusForm, NextActionForm
from madad.claims.models import Claim
from madad.evidence.services import EvidenceIntegrityError, max_bytes
from madad.incidents.models import Incident


def _case_for_user(request: HttpRequest, case_id: int) -> Case:
    case = access.get_visible_or_404(request.user, Case, request=request, pk=case_id)
    if not may_see_claims(request.user):
        raise Http404
    return case


def _claim_for_user(request: HttpRequest, claim_id: int) -> Claim:
    return access.get_visible_or_404(request.user, Claim, request=request, pk=claim_id)


def _add_errors(form: Any, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)


def case_panel(user: Any, case: Case, form: ClaimFileForm | None = None) -> dict[str, Any]:
    may_file = may_edit_claims(user) and case.status != Case.Status.CLOSED
    return {
        "case": case,
        "claims": selectors.claim_list(user=user, case=case).order_by("-filed_on", "-id"),
        "today": timezone.localdate(),
        "form": (form or ClaimFileForm()) if may_file else None,
    }


@login_required
def case_claims(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case_for_user(request, case_id)
    return render(
        request, "claims/case_claims.html", {"case": case, "panel": case_panel(request.user, case)}
    )


@require_POST
@login_required
def claim_file(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case_for_user(request, case_id)
    if not may_edit_claims(request.user):
        raise Http404
    form = ClaimFileForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        incident = None
        if data["incident"]:
            incident = access.visible_to(request.user, Incident).filter(pk=data["incident"]).first()
            if incident is None:
                form.add_error(
                    "incident", _("There is no incident with this number that you may see.")
                )
        if form.is_valid():
            try:
                claim = services.claim_file(
                    case=case,
                    filed_by=request.user,  # type: ignore[arg-type]
                    scheme=data["scheme"],
                    authority=data["authority"],
                    authority_reference=data["authority_reference"],
                    filed_on=data["filed_on"],
                    amount_claimed=data["amount_claimed"],
                    incident=incident,
                    next_action_on=data["next_action_on"],
                    next_action=data["next_action"],
                    request=request,
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            except services.ClaimError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Claim %(id)s was recorded.") % {"id": claim.pk})
                return redirect(case_page_url(case, "claims"))
    return render(
        request,
        "claims/case_claims.html",
        {"case": case, "panel": case_panel(request.user, case, form)},
        status=400,
    )


@login_required
def claim_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not may_see_claims(user):
        raise Http404
    due = request.GET.get("due") == "1"
    claims = (
        selectors.claims_needing_action(user, mine_only=False)
        if due
        else selectors.claim_list(user=user).order_by("-filed_on", "-id")
    )
    page = Paginator(claims, 50).get_page(request.GET.get("page"))
    return render(request, "claims/claim_list.html", {"page": page, "due": due})


def _detail_context(request: HttpRequest, claim: Claim, **forms: Any) -> dict[str, Any]:
    user = request.user
    shown = (
        access.reveal(
            user,
            claim,
            request=request,  # type: ignore[arg-type]
            wanted=["authority_reference"],
            action="claim.reference.viewed",
        )
        if claim.authority_reference
        else {}
    )
    may_edit = access.can_change(user, claim)
    moves = sorted(services.CLAIM_MOVES[claim.status])
    return {
        "claim": claim,
        "reference": shown.get("authority_reference", ""),
        "history": selectors.claim_history(user=user, claim=claim),
        "documents": selectors.claim_documents(claim=claim),
        "case_url": case_page_url(claim.case_id, "claims"),
        "status_form": forms.get("status_form")
        or (
            ClaimStatusForm(moves=moves, initial={"version": claim.version})
            if may_edit and moves
            else None
        ),
        "next_form": forms.get("next_form")
        or (
            NextActionForm(
                initial={
                    "version": claim.version,
                    "next_action_on": claim.next_action_on,
                    "next_action": claim.next_action,
                }
            )
            if may_edit and not claim.is_final
            else None
        ),
        "document_form": forms.get("document_form")
        or (ClaimDocumentForm() if may_edit and claim.incident_id else None),
        "may_edit": may_edit,
        "max_mb": max_bytes() // (1024 * 1024),
    }


@login_required
def claim_detail(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = _claim_for_user(request, claim_id)
    return render(request, "claims/claim_detail.html", _detail_context(request, claim))


def _refused(request: HttpRequest, claim: Claim, exc: services.ClaimError) -> HttpResponse:
    messages.error(request, exc.message)
    return redirect("claims:detail", claim.pk)


@require_POST
@login_required
def claim_status(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = _claim_for_user(request, claim_id)
    if not may_edit_claims(request.user):
        raise Http404
    form = ClaimStatusForm(request.POST, moves=sorted(services.CLAIM_MOVES[claim.status]))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.claim_update_status(
                claim=claim,
                changed_by=request.user,  # type: ignore[arg-type]
                status=data["status"],
                note=data["note"],
                amount_awarded=data["amount_awarded"],
                next_action_on=data["next_action_on"],
                next_action=data["next_action"],
                expected_version=data["version"],
                request=request,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        except services.ClaimError as exc:
            return _refused(request, claim, exc)
        else:
            messages.success(request, _("The claim's status was changed."))
            return redirect("claims:detail", claim.pk)
    return render(
        request,
        "claims/claim_detail.html",
        _detail_context(request, claim, status_form=form),
        status=400,
    )


@require_POST
@login_required
def claim_next_action(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = _claim_for_user(request, claim_id)
    if not may_edit_claims(request.user):
        raise Http404
    form = NextActionForm(request.POST)
    if form.is_valid():
        try:
            services.claim_set_next_action(
                claim=claim,
                changed_by=request.user,  # type: ignore[arg-type]
                next_action_on=form.cleaned_data["next_action_on"],
                next_action=form.cleaned_data["next_action"],
                expected_version=form.cleaned_data["version"],
                request=request,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        except services.ClaimError as exc:
            return _refused(request, claim, exc)
        else:
            messages.success(request, _("The next action was saved."))
            return redirect("claims:detail", claim.pk)
    return render(
        request,
        "claims/claim_detail.html",
        _detail_context(request, claim, next_form=form),
        status=400,
    )


@require_POST
@login_required
def claim_document_upload(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = _claim_for_user(request, claim_id)
    if not may_edit_claims(request.user):
        raise Http404
    form = ClaimDocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.claim_attach_document(
                claim=claim,
                uploaded_by=request.user,  # type: ignore[arg-type]
                file=form.cleaned_data["file"],
                description=form.cleaned_data["description"],
                request=request,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        except services.ClaimError as exc:
            return _refused(request, claim, exc)
        else:
            messages.success(request, _("The document was added to the claim."))
            return redirect("claims:detail", claim.pk)
    return render(
        request,
        "claims/claim_detail.html",
        _detail_context(request, claim, document_form=form),
        status=400,
    )


@login_required
def claim_document_download(
    request: HttpRequest, claim_id: int, evidence_id: int
) -> HttpResponseBase:
    claim = _claim_for_user(request, claim_id)
    evidence = claim.documents.filter(pk=evidence_id).first()
    if evidence is None:
        raise Http404
    try:
        download = services.claim_open_document(
            claim=claim,
            evidence=evidence,
            user=request.user,  # type: ignore[arg-type]
            request=request,
        )
    except EvidenceIntegrityError as exc:
        messages.error(request, str(exc))
        return redirect("claims:detail", claim.pk)
    except services.ClaimError:
        raise Http404 from None
    response = FileResponse(
        download.file,
        as_attachment=True,
        filename=download.filename,
        content_type=download.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
