"""Staff pages for government compensation claims: the claims panel of the case page and
filing a claim from it; the list of claims; one claim with its history, status changes, next
action and documents (upload, and the verified download)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from madad import access
from madad.access.claims import may_edit_claims, may_see_claims
from madad.accounts.models import User
from madad.cases.models import Case
from madad.claims import selectors, services
from madad.claims.forms import ClaimDocumentForm, ClaimFileForm, ClaimStatusForm, NextActionForm
from madad.claims.models import Claim
from madad.core.forms import INVALID_FORM_STATUS, form_errors
from madad.core.http import AuthedRequest
from madad.core.refusals import Conflict, Refused
from madad.evidence.services import max_bytes


def _case_for_user(request: AuthedRequest, case_id: int) -> Case:
    case = access.get_visible_or_404(request.user, Case, pk=case_id)
    if not may_see_claims(request.user):
        raise Http404
    return case


def _claim_for_user(request: AuthedRequest, claim_id: int) -> Claim:
    return access.get_visible_or_404(request.user, Claim, pk=claim_id)


def _to_editor(request: AuthedRequest, claim_id: int) -> Claim:
    claim = _claim_for_user(request, claim_id)
    if not may_edit_claims(request.user):
        raise Http404
    return claim


def case_claims_url(case_id: int) -> str:
    """The claims panel on the case's page."""
    return reverse("cases:detail", args=[case_id]) + "#claims"


def case_panel(user: User, case: Case, form: ClaimFileForm | None = None) -> dict[str, Any]:
    may_file = may_edit_claims(user) and case.status != Case.Status.CLOSED
    return {
        "case": case,
        "claims": selectors.claim_list(user=user, case=case).order_by("-filed_on", "-id"),
        "today": timezone.localdate(),
        "form": (form or ClaimFileForm()) if may_file else None,
    }


@require_POST
@login_required
def claim_file(request: AuthedRequest, case_id: int) -> HttpResponse:
    """Files a claim from the case page's panel; a form with errors comes back on a page of
    its own."""
    case = _case_for_user(request, case_id)
    if not may_edit_claims(request.user):
        raise Http404
    form = ClaimFileForm(request.POST)
    status = INVALID_FORM_STATUS
    if form.is_valid():
        data = form.cleaned_data
        try:
            claim = services.claim_file(
                case=case,
                filed_by=request.user,
                scheme=data["scheme"],
                authority=data["authority"],
                authority_reference=data["authority_reference"],
                filed_on=data["filed_on"],
                amount_claimed=data["amount_claimed"],
                incident=services.claim_incident(
                    user=request.user, case=case, incident_id=data["incident"]
                ),
                next_action_on=data["next_action_on"],
                next_action=data["next_action"],
            )
        except Refused as refusal:
            status = form_errors(form, refusal)
        else:
            messages.success(request, _("Claim %(id)s was recorded.") % {"id": claim.pk})
            return redirect(case_claims_url(case.pk))
    return render(
        request,
        "claims/claim_file.html",
        {"case": case, "panel": case_panel(request.user, case, form)},
        status=status,
    )


@login_required
def claim_list(request: AuthedRequest) -> HttpResponse:
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


def _detail_context(request: AuthedRequest, claim: Claim, **bound: Any) -> dict[str, Any]:
    """Everything the claim's page shows; `bound` replaces a form that came back with errors."""
    user = request.user
    shown = (
        access.reveal(user, claim, wanted=["authority_reference"], action="claim.reference.viewed")
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
        "case_url": case_claims_url(claim.case_id),
        "status_form": bound.get("status_form")
        or (
            ClaimStatusForm(moves=moves, initial={"version": claim.version})
            if may_edit and moves
            else None
        ),
        "next_form": bound.get("next_form")
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
        "document_form": bound.get("document_form")
        or (ClaimDocumentForm() if may_edit and claim.incident_id else None),
        "may_edit": may_edit,
        "max_mb": max_bytes() // (1024 * 1024),
    }


@login_required
def claim_detail(request: AuthedRequest, claim_id: int) -> HttpResponse:
    claim = _claim_for_user(request, claim_id)
    return render(request, "claims/claim_detail.html", _detail_context(request, claim))


def _edit(
    request: AuthedRequest,
    claim: Claim,
    form: forms.Form,
    name: str,
    change: Callable[[dict[str, Any]], object],
    done: str,
) -> HttpResponse:
    """One change to a claim from a form of its page: the claim's page again when it did
    not work (the form, as `name`, with its errors), the page itself when it did."""
    status = INVALID_FORM_STATUS
    if form.is_valid():
        try:
            change(form.cleaned_data)
        except Refused as refusal:
            status = form_errors(form, refusal)
        else:
            messages.success(request, done)
            return redirect("claims:detail", claim.pk)
    claim.refresh_from_db()
    return render(
        request,
        "claims/claim_detail.html",
        _detail_context(request, claim, **{name: form}),
        status=status,
    )


@require_POST
@login_required
def claim_status(request: AuthedRequest, claim_id: int) -> HttpResponse:
    claim = _to_editor(request, claim_id)
    form = ClaimStatusForm(request.POST, moves=sorted(services.CLAIM_MOVES[claim.status]))
    return _edit(
        request,
        claim,
        form,
        "status_form",
        lambda data: services.claim_update_status(
            claim=claim,
            changed_by=request.user,
            status=data["status"],
            note=data["note"],
            amount_awarded=data["amount_awarded"],
            next_action_on=data["next_action_on"],
            next_action=data["next_action"],
            expected_version=data["version"],
        ),
        _("The claim's status was changed."),
    )


@require_POST
@login_required
def claim_next_action(request: AuthedRequest, claim_id: int) -> HttpResponse:
    claim = _to_editor(request, claim_id)
    return _edit(
        request,
        claim,
        NextActionForm(request.POST),
        "next_form",
        lambda data: services.claim_set_next_action(
            claim=claim,
            changed_by=request.user,
            next_action_on=data["next_action_on"],
            next_action=data["next_action"],
            expected_version=data["version"],
        ),
        _("The next action was saved."),
    )


@require_POST
@login_required
def claim_document_upload(request: AuthedRequest, claim_id: int) -> HttpResponse:
    claim = _to_editor(request, claim_id)
    return _edit(
        request,
        claim,
        ClaimDocumentForm(request.POST, request.FILES),
        "document_form",
        lambda data: services.claim_attach_document(
            claim=claim,
            uploaded_by=request.user,
            file=data["file"],
            description=data["description"],
        ),
        _("The document was added to the claim."),
    )


@login_required
def claim_document_download(
    request: AuthedRequest, claim_id: int, evidence_id: int
) -> HttpResponseBase:
    claim = _claim_for_user(request, claim_id)
    evidence = claim.documents.filter(pk=evidence_id).first()
    if evidence is None:
        raise Http404
    try:
        download = services.claim_open_document(claim=claim, evidence=evidence, user=request.user)
    except Conflict as exc:  # the file changed since upload: refused and recorded
        messages.error(request, exc.message)
        return redirect("claims:detail", claim.pk)
    except Refused:
        raise Http404 from None
    response = FileResponse(
        download.file,
        as_attachment=True,
        filename=download.filename,
        content_type=download.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
