"""Pages for referrals: the referrals panel of the case page and sending one from it; the list
of referrals (for a partner user: those sent to their organisation); one referral, the
partner's answer and a withdrawal."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from madad import access
from madad.access.referrals import is_partner_user, may_respond_to, may_send_referrals
from madad.accounts.models import User
from madad.cases.models import Case
from madad.core.forms import INVALID_FORM_STATUS, form_errors
from madad.core.http import AuthedRequest
from madad.core.refusals import Refused
from madad.referrals import selectors, services
from madad.referrals.forms import ReferralRespondForm, ReferralSendForm
from madad.referrals.models import Referral
from madad.testimonies.models import ConsentPurpose
from madad.testimonies.services import consent_recipients_covered

# What a partner reads of a referral (see madad.access.referrals); reading it is audited.
SHARED_FIELDS = ["service", "shared_summary", "shared_given_name", "shared_phone"]


def _case_for_user(request: AuthedRequest, case_id: int) -> Case:
    return access.get_visible_or_404(request.user, Case, pk=case_id)


def _referral_for_user(request: AuthedRequest, referral_id: int) -> Referral:
    return access.get_visible_or_404(request.user, Referral, pk=referral_id)


def case_referrals_url(case_id: int) -> str:
    """The referrals panel on the case's page."""
    return reverse("cases:detail", args=[case_id]) + "#referrals"


def _send_form(case: Case, data: Any = None) -> ReferralSendForm:
    return ReferralSendForm(
        data,
        persons=services.household_persons(case),
        partners=services.referral_partners(),
        household_id=case.household_id,
    )


def case_panel(user: User, case: Case) -> dict[str, Any]:
    """What the referrals panel of a case page shows: the referrals, each with its answers
    (oldest first, each with its own note), which partners each person's consent to referral
    covers, and a form to send one."""
    may_send = may_send_referrals(user) and case.status != Case.Status.CLOSED
    persons = list(services.household_persons(case).order_by("pk"))
    referrals = list(selectors.referral_list(user=user, case=case))
    answers = selectors.referral_answers(user=user, referrals=referrals)
    return {
        "case": case,
        "referrals": [(referral, answers[referral.pk]) for referral in referrals],
        "consent": [
            {
                "person": person,
                "partners": consent_recipients_covered(
                    purpose=ConsentPurpose.REFERRAL, person=person
                ),
            }
            for person in persons
        ],
        "form": _send_form(case) if may_send else None,
    }


@require_POST
@login_required
def referral_send(request: AuthedRequest, case_id: int) -> HttpResponse:
    """Sends a referral from the case page's panel; a form with errors comes back on a page of
    its own."""
    case = _case_for_user(request, case_id)
    if not may_send_referrals(request.user):
        raise Http404
    form = _send_form(case, request.POST)
    status = INVALID_FORM_STATUS
    if form.is_valid():
        try:
            referral = services.referral_send(
                case=case,
                person=form.cleaned_data["person"],
                partner=form.cleaned_data["partner"],
                service=form.cleaned_data["service"],
                shared_summary=form.cleaned_data["shared_summary"],
                share_phone=form.cleaned_data["share_phone"],
                sent_by=request.user,
            )
        except Refused as refusal:
            status = form_errors(form, refusal)
        else:
            messages.success(
                request,
                _("Referral %(id)s was sent to %(partner)s.")
                % {"id": referral.pk, "partner": referral.partner.name},
            )
            return redirect(case_referrals_url(case.pk))
    return render(
        request,
        "referrals/referral_send.html",
        # the form alone: the panel's referrals and their answers are the case page's
        {"case": case, "panel": {"case": case, "form": form}},
        status=status,
    )


@login_required
def referral_list(request: AuthedRequest) -> HttpResponse:
    user = request.user
    partner = is_partner_user(user)
    if not partner and not may_send_referrals(user):
        raise Http404
    referrals = (
        selectors.partner_inbox(user=user) if partner else selectors.referral_list(user=user)
    )
    page = Paginator(referrals, 50).get_page(request.GET.get("page"))
    return render(request, "referrals/referral_list.html", {"page": page, "partner": partner})


def _respond_form(referral: Referral, data: Any = None) -> ReferralRespondForm | None:
    decisions = [d for d, (froms, _to) in services.ANSWERS.items() if referral.status in froms]
    if not decisions:
        return None
    return ReferralRespondForm(
        data,
        decisions=decisions,
        accepted=referral.status == Referral.Status.ACCEPTED,
        initial={"version": referral.version},
    )


def _detail(
    request: AuthedRequest,
    referral: Referral,
    *,
    respond_form: ReferralRespondForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The referral's page (`respond_form`: an answer that came back with errors)."""
    user = request.user
    shared = access.reveal(user, referral, wanted=SHARED_FIELDS, action="referral.shared.viewed")
    partner = is_partner_user(user)
    if not partner:
        services.referral_mark_seen(referral=referral, user=user)
    may_respond = may_respond_to(user, referral)
    return render(
        request,
        "referrals/referral_detail.html",
        {
            "referral": referral,
            "shared": shared,
            "answers": selectors.referral_answers(user=user, referrals=[referral])[referral.pk],
            "partner": partner,
            "case_url": None if partner else case_referrals_url(referral.case_id),
            "respond_form": (respond_form or _respond_form(referral)) if may_respond else None,
            "may_withdraw": not partner and referral.is_open and access.can_change(user, referral),
        },
        status=status,
    )


@login_required
def referral_detail(request: AuthedRequest, referral_id: int) -> HttpResponse:
    return _detail(request, _referral_for_user(request, referral_id))


@require_POST
@login_required
def referral_respond(request: AuthedRequest, referral_id: int) -> HttpResponse:
    referral = _referral_for_user(request, referral_id)
    if not may_respond_to(request.user, referral):
        raise Http404
    form = _respond_form(referral, request.POST)
    if form is None:
        messages.error(request, _("This referral cannot be answered any more."))
        return _detail(request, referral, status=409)
    status = INVALID_FORM_STATUS
    if form.is_valid():
        try:
            services.referral_respond(
                referral=referral,
                responded_by=request.user,
                decision=form.cleaned_data["decision"],
                note=form.cleaned_data["note"],
                expected_version=form.cleaned_data["version"],
            )
        except Refused as refusal:
            status = form_errors(form, refusal)
        else:
            messages.success(request, _("Your answer was sent to the referring organisation."))
            return redirect("referrals:detail", referral.pk)
    referral.refresh_from_db()
    return _detail(request, referral, respond_form=form, status=status)


@require_POST
@login_required
def referral_withdraw(request: AuthedRequest, referral_id: int) -> HttpResponse:
    referral = _referral_for_user(request, referral_id)
    if is_partner_user(request.user):
        raise Http404
    try:
        services.referral_withdraw(referral=referral, withdrawn_by=request.user)
    except Refused as refusal:
        messages.error(request, refusal.message)
        return _detail(request, referral, status=refusal.status)
    messages.success(
        request,
        _("Referral %(id)s was withdrawn; the partner no longer sees it.") % {"id": referral.pk},
    )
    return redirect("referrals:detail", referral.pk)
