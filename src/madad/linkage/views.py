"""The duplicates pages: the review queue, one pair with its evidence, merges and their undo,
batch runs with a progress bar, and the duplicate check the person and incident forms call."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from madad import access
from madad.access.incidents import may_record_incidents
from madad.access.linkage import may_review
from madad.access.roles import Capability
from madad.core.forms import INVALID_FORM_STATUS, form_errors
from madad.core.http import AuthedRequest
from madad.core.refusals import Refused
from madad.linkage import checks, entry_check, services
from madad.linkage.entry_check import incident_check_data, person_check_rows
from madad.linkage.evidence import lines
from madad.linkage.forms import DecisionForm, IncidentDecisionForm, RunForm
from madad.linkage.models import Decision, IncidentPair, LinkageRun, MergeRecord, PersonPair
from madad.people.forms import PersonForm
from madad.people.models import Person

COMPARED = (
    "given_name",
    "family_name",
    "full_name_ur",
    "aliases",
    "father_name",
    "date_of_birth",
    "cnic",
    "phone",
    "address",
)


def _reviewer(request: AuthedRequest) -> None:
    if not may_review(request.user):
        raise Http404


def _page(request: AuthedRequest, rows: QuerySet[Any]) -> Page[Any]:
    return Paginator(rows, 25).get_page(request.GET.get("page"))


@login_required
@require_GET
def queue(request: AuthedRequest) -> HttpResponse:
    _reviewer(request)
    pairs = access.visible_to(request.user, PersonPair).filter(status=Decision.PENDING)
    page = _page(request, pairs)
    ids = {i for pair in page for i in (pair.person_a_id, pair.person_b_id)}
    persons = {p.pk: p for p in access.visible_to(request.user, Person).filter(pk__in=ids)}
    names = entry_check.identity_names(request.user, list(persons.values()))
    rows = [
        {
            "pair": pair,
            "a": persons.get(pair.person_a_id),
            "b": persons.get(pair.person_b_id),
            "a_names": names.get(pair.person_a_id),
            "b_names": names.get(pair.person_b_id),
        }
        for pair in page
    ]
    runs = access.visible_to(request.user, LinkageRun)[:5]
    incident_pairs = (
        access.visible_to(request.user, IncidentPair).filter(status=Decision.PENDING).count()
    )
    return render(
        request,
        "linkage/queue.html",
        {
            "page": page,
            "rows": rows,
            "runs": runs,
            "run_form": RunForm(),
            "incident_pairs": incident_pairs,
        },
    )


@login_required
def pair_detail(request: AuthedRequest, pair_id: int) -> HttpResponse:
    _reviewer(request)
    pair = access.get_visible_or_404(request.user, PersonPair, pk=pair_id)
    persons = {
        p.pk: p
        for p in access.visible_to(request.user, Person).filter(
            pk__in=[pair.person_a_id, pair.person_b_id]
        )
    }
    form = DecisionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                merge = services.pair_decide(
                    pair=pair,
                    decision=form.cleaned_data["decision"],
                    decided_by=request.user,
                    keep=form.cleaned_data["keep"] or "a",
                )
            except Refused as refusal:
                status = form_errors(form, refusal)
            else:
                if merge is not None:
                    messages.success(
                        request,
                        _(
                            "The two records are merged. The merge can "
                            "be undone from the list of merges."
                        ),
                    )
                    return redirect("people:detail", person_id=merge.kept_person_id)
                messages.success(request, _("Recorded: not the same person."))
                return redirect("linkage:queue")
        else:
            status = INVALID_FORM_STATUS
    sides = []
    for key, person_id in (("a", pair.person_a_id), ("b", pair.person_b_id)):
        person = persons.get(person_id)
        shown = None
        if person is not None and access.can(request.user, Capability.PERSON_IDENTITY_VIEW):
            shown = access.reveal(request.user, person, wanted=COMPARED)
        sides.append({"key": key, "person": person, "shown": shown})
    return render(
        request,
        "linkage/pair_detail.html",
        {
            "pair": pair,
            "sides": sides,
            "lines": lines(pair.evidence),
            "form": form,
            "decidable": pair.status == Decision.PENDING and len(persons) == 2,
        },
        status=status,
    )


@login_required
@require_GET
def incident_queue(request: AuthedRequest) -> HttpResponse:
    _reviewer(request)
    pairs = (
        access.visible_to(request.user, IncidentPair)
        .select_related("incident_a", "incident_b")
        .filter(status=Decision.PENDING)
    )
    page = _page(request, pairs)
    return render(request, "linkage/incident_queue.html", {"page": page})


@login_required
def incident_pair_detail(request: AuthedRequest, pair_id: int) -> HttpResponse:
    _reviewer(request)
    pair = access.get_visible_or_404(request.user, IncidentPair, pk=pair_id)
    form = IncidentDecisionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.incident_pair_decide(
                    pair=pair, decision=form.cleaned_data["decision"], decided_by=request.user
                )
            except (Refused, ValidationError) as refusal:  # also the incidents' own checks
                status = form_errors(form, refusal)
            else:
                messages.success(request, _("Your decision is recorded."))
                return redirect("linkage:incident_queue")
        else:
            status = INVALID_FORM_STATUS
    return render(
        request, "linkage/incident_pair_detail.html", {"pair": pair, "form": form}, status=status
    )


@login_required
@require_GET
def merge_list(request: AuthedRequest) -> HttpResponse:
    _reviewer(request)
    merges = access.visible_to(request.user, MergeRecord).select_related("merged_by", "undone_by")
    page = _page(request, merges)
    return render(request, "linkage/merge_list.html", {"page": page})


@login_required
@require_POST
def merge_undo(request: AuthedRequest, merge_id: int) -> HttpResponse:
    _reviewer(request)
    merge = access.get_visible_or_404(request.user, MergeRecord, pk=merge_id)
    try:
        services.merge_undo(merge=merge, undone_by=request.user)
    except Refused as refusal:
        messages.error(request, refusal.message)
        return redirect("linkage:merges")
    messages.success(request, _("The merge is undone: both records are back as they were."))
    return redirect("linkage:merges")


@login_required
@require_POST
def run_start(request: AuthedRequest) -> HttpResponse:
    _reviewer(request)
    form = RunForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose persons or incidents."))
        return redirect("linkage:queue")
    run = services.linkage_run_request(
        organisation=request.user.organisation,
        kind=form.cleaned_data["kind"],
        requested_by=request.user,
    )
    return redirect("linkage:run", run_id=run.pk)


@login_required
@require_GET
def run_detail(request: AuthedRequest, run_id: int) -> HttpResponse:
    _reviewer(request)
    run = access.get_visible_or_404(request.user, LinkageRun, pk=run_id)
    partial = request.headers.get("HX-Request") == "true"
    template = "linkage/_run_progress.html" if partial else "linkage/run_detail.html"
    return render(request, template, {"run": run})


# --- the duplicate check of the person and incident forms ------------------------------------
@login_required
@require_POST
def check_person(request: AuthedRequest) -> HttpResponse:
    """The person form's fields in, "possible duplicate of ..." out (a POST: names and numbers
    never go into a URL). Fields that do not validate are left out of the check."""
    if not (
        access.can(request.user, Capability.PERSON_EDIT)
        and access.can(request.user, Capability.PERSON_VIEW)
    ):
        raise Http404
    form = PersonForm(request.POST)
    form.is_valid()
    exclude = None
    if request.POST.get("person_id", "").isdigit():
        exclude = int(request.POST["person_id"])
    rows = person_check_rows(request, dict(getattr(form, "cleaned_data", {})), exclude)
    return render(request, "linkage/_person_check.html", {"rows": rows})


@login_required
@require_POST
def check_incident(request: AuthedRequest) -> HttpResponse:
    if not may_record_incidents(request.user):
        raise Http404
    data = incident_check_data(request.POST)
    exclude = request.POST.get("incident_id", "")
    found = checks.incident_candidates(
        organisation_id=request.user.organisation_id,
        data=data,
        exclude_incident_id=int(exclude) if exclude.isdigit() else None,
    )
    return render(request, "linkage/_incident_check.html", {"found": found})
