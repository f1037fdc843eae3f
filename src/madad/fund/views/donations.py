"""Donations and donors: recording money in, and the receipts donors get."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from madad import access
from madad.access.roles import Capability
from madad.core.audit import audit_record
from madad.core.forms import INVALID_FORM_STATUS, form_errors
from madad.core.http import AuthedRequest
from madad.core.refusals import Refused
from madad.fund import selectors, services
from madad.fund.currencies import fund_currency
from madad.fund.forms import DonationFilterForm, DonationForm, DonorForm
from madad.fund.models import Donation, Donor
from madad.fund.views._common import (
    context_flags,
    require,
    require_edit,
    require_view,
)

DONOR_VIEWED = "fund.donor.viewed"


def _donor_names(request: AuthedRequest, donors: list[Donor]) -> dict[int, str]:
    """Names of these donors for a user who may see them, each read audited."""
    if not access.can(request.user, Capability.FUND_DONOR_VIEW):
        return {}
    user = request.user
    return {
        donor.pk: access.reveal(user, donor, wanted=["name"], action=DONOR_VIEWED)["name"]
        for donor in donors
    }


@login_required
@require_GET
def donation_list(request: AuthedRequest) -> HttpResponse:
    require_view(request)
    form = DonationFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = Paginator(
        selectors.donation_list(
            user=request.user,
            filters=filters,
        ),
        50,
    ).get_page(request.GET.get("page"))
    return render(
        request, "fund/donation_list.html", {**context_flags(request), "page": page, "form": form}
    )


def _donor_for(request: AuthedRequest, donor_id: Any) -> Donor:
    return access.get_visible_or_404(request.user, Donor, pk=donor_id)


@login_required
def donation_create(request: AuthedRequest) -> HttpResponse:
    """A donation from a recorded donor (?donor=ID), a new donor, or nobody named."""
    require_edit(request)
    user = request.user
    donor = _donor_for(request, request.GET["donor"]) if request.GET.get("donor") else None
    kwargs: dict[str, Any] = {
        "earmarks": selectors.earmark_list(user=user),
        "accounts": selectors.money_account_list(user=user),
        "with_new_donor": donor is None,
    }
    status = 200
    if request.method == "POST":
        form = DonationForm(request.POST, **kwargs)
        status = INVALID_FORM_STATUS
        if form.is_valid():
            data = form.cleaned_data
            try:
                # a new donor is recorded with the donation or, if it is refused, not at all
                with transaction.atomic():
                    giver = donor
                    if giver is None and data.get("donor_name"):
                        giver = services.donor_record(
                            recorded_by=user,
                            name=data["donor_name"],
                            kind=data.get("donor_kind") or Donor.Kind.PERSON,
                            contact=data.get("donor_contact", ""),
                            named_in_public=data.get("donor_named_in_public", False),
                        )
                    donation = services.donation_record(
                        recorded_by=user,
                        amount=data["amount"],
                        currency=data["currency"],
                        received_on=data["received_on"],
                        channel=data["channel"],
                        earmark=data["earmark"],
                        account=data["account"],
                        donor=giver,
                        fee=data["fee"] if data["fee"] is not None else "0",
                        rate=data["rate"],
                        rate_source=data["rate_source"],
                    )
            except Refused as refusal:
                # the new donor's fields are named for the donor on the form
                refusal.fields = {
                    {"name": "donor_name", "contact": "donor_contact"}.get(k, k): v
                    for k, v in refusal.fields.items()
                }
                status = form_errors(form, refusal)
            else:
                messages.success(
                    request,
                    _("The donation is recorded with receipt number %(number)s.")
                    % {"number": donation.receipt_number},
                )
                return redirect("fund:donation", donation_id=donation.pk)
    else:
        form = DonationForm(**kwargs)
    return render(
        request,
        "fund/donation_form.html",
        {
            "form": form,
            "donor": donor,
            "donor_name": _donor_names(request, [donor]).get(donor.pk) if donor else None,
        },
        status=status,
    )


def _donation_for(request: AuthedRequest, donation_id: int) -> Donation:
    donation = access.get_visible_or_404(request.user, Donation, pk=donation_id)
    return Donation.objects.select_related(
        "earmark", "account", "donor", "entry", "organisation"
    ).get(pk=donation.pk)


@login_required
@require_GET
def donation_detail(request: AuthedRequest, donation_id: int) -> HttpResponse:
    require_view(request)
    donation = _donation_for(request, donation_id)
    names = _donor_names(request, [donation.donor] if donation.donor else [])
    return render(
        request,
        "fund/donation_detail.html",
        {
            **context_flags(request),
            "donation": donation,
            "donor_name": names.get(donation.donor_id) if donation.donor_id else None,
            "reversal": getattr(donation.entry, "reversed_by", None),
            "fund_currency": fund_currency(),
        },
    )


RECEIPT_LANGUAGES = ("en", "ur")


@login_required
@require_GET
def donation_receipt(request: AuthedRequest, donation_id: int, language: str) -> HttpResponse:
    """The donor's receipt, to print, in English or Urdu. It names the donor, so it is for
    those who may see donors, and every print is audited."""
    require(request, Capability.FUND_DONOR_VIEW)
    if language not in RECEIPT_LANGUAGES:
        raise Http404
    donation = _donation_for(request, donation_id)
    names = _donor_names(request, [donation.donor] if donation.donor else [])
    audit_record(action="fund.receipt.printed", obj=donation, fields=["receipt_number"])
    with translation.override(language):
        response = render(
            request,
            "fund/receipt.html",
            {
                "donation": donation,
                "donor_name": names.get(donation.donor_id) if donation.donor_id else None,
                "organisation": donation.organisation,
                "language": language,
                "reversed": getattr(donation.entry, "reversed_by", None) is not None,
                "fund_currency": fund_currency(),
            },
        )
    response["Content-Language"] = language
    return response


@login_required
@require_GET
def donor_list(request: AuthedRequest) -> HttpResponse:
    require(request, Capability.FUND_DONOR_VIEW)
    page = Paginator(selectors.donor_list(user=request.user), 50).get_page(request.GET.get("page"))
    names = _donor_names(request, list(page))
    return render(
        request,
        "fund/donor_list.html",
        {
            **context_flags(request),
            "page": page,
            "rows": [(donor, names.get(donor.pk, "")) for donor in page],
        },
    )


@login_required
def donor_create(request: AuthedRequest) -> HttpResponse:
    require_edit(request)
    status = 200
    if request.method == "POST":
        form = DonorForm(request.POST)
        status = INVALID_FORM_STATUS
        if form.is_valid():
            try:
                donor = services.donor_record(recorded_by=request.user, **form.cleaned_data)
            except Refused as refusal:
                status = form_errors(form, refusal)
            else:
                messages.success(request, _("The donor is recorded."))
                return redirect("fund:donor", donor_id=donor.pk)
    else:
        form = DonorForm()
    return render(request, "fund/donor_form.html", {"form": form}, status=status)


@login_required
@require_GET
def donor_detail(request: AuthedRequest, donor_id: int) -> HttpResponse:
    require(request, Capability.FUND_DONOR_VIEW)
    donor = _donor_for(request, donor_id)
    shown = access.reveal(request.user, donor, action=DONOR_VIEWED)
    return render(
        request,
        "fund/donor_detail.html",
        {
            **context_flags(request),
            "donor": donor,
            "shown": shown,
            "donations": donor.donations.select_related("earmark").order_by("-received_on"),
        },
    )


@login_required
@require_POST
def donor_naming(request: AuthedRequest, donor_id: int) -> HttpResponse:
    """Records the donor's choice to be named in public, or to stay anonymous."""
    require_edit(request)
    donor = _donor_for(request, donor_id)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    try:
        services.donor_naming_set(
            donor=donor,
            changed_by=request.user,
            named_in_public=request.POST.get("named_in_public") == "1",
            expected_version=version,
        )
    except Refused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("The donor's choice is saved."))
    return redirect("fund:donor", donor_id=donor.pk)
