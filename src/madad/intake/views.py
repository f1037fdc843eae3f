"""Staff pages of the intake inbox: the list of what came in, and one item read beside what
Madad already holds, with the reviewer's four answers (a new incident or household, added to
one that exists, or rejected)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from madad import access
from madad.access.intake import may_review
from madad.access.roles import Capability
from madad.assistance.models import Kind as AssistanceKind
from madad.core.forms import INVALID_FORM_STATUS, form_errors
from madad.core.http import AuthedRequest
from madad.core.refusals import WHOLE, Conflict, Refused
from madad.evidence import files
from madad.households.models import Household, Member
from madad.incidents.forms import ActFormSet, SourceFormSet
from madad.incidents.labels import place_label
from madad.incidents.models import Act, Incident
from madad.intake import review
from madad.intake.forms import (
    AttachForm,
    HouseholdForm,
    InboxFilterForm,
    ItemIncidentForm,
    MemberFormSet,
    RejectForm,
    household_initial,
    incident_initial,
    members_initial,
    sources_initial,
    victims_initial,
)
from madad.intake.models import IntakeAttachment, IntakeItem
from madad.intake.reading import HOUSEHOLD, Proposal, item_kind, item_proposal, name_fields
from madad.linkage import checks
from madad.linkage.entry_check import person_check_rows
from madad.people.models import Person

PAGE_SIZE = 25
_IMAGES = (files.JPEG, files.PNG)


def get_item_for_user(request: AuthedRequest, item_id: int) -> IntakeItem:
    """The item, if this user reviews their organisation's inbox; 404 otherwise."""
    return access.get_visible_or_404(request.user, IntakeItem, pk=item_id)


# --- the inbox -------------------------------------------------------------------------------
@login_required
@require_GET
def inbox(request: AuthedRequest) -> HttpResponse:
    """Newest first, waiting items by default; counted by status."""
    if not may_review(request.user):
        raise Http404
    query = request.GET.copy()
    if "status" not in query:
        query["status"] = IntakeItem.Status.NEW
    form = InboxFilterForm(query)
    visible = access.visible_to(request.user, IntakeItem)
    items = visible.select_related("form_version__form", "device", "follows").annotate(
        files=Count("attachments")
    )
    status = 200
    if form.is_valid():
        if form.cleaned_data["status"]:
            items = items.filter(status=form.cleaned_data["status"])
        if form.cleaned_data["source"]:
            items = items.filter(source=form.cleaned_data["source"])
    else:
        status = INVALID_FORM_STATUS
    found = dict(visible.values_list("status").annotate(n=Count("id")).order_by())
    counts = [
        {"value": value, "label": label, "count": found.get(value, 0)}
        for value, label in IntakeItem.Status.choices
    ]
    page = Paginator(items.order_by("-received_at", "-id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "intake/inbox.html",
        {"form": form, "page": page, "counts": counts, "status": query.get("status", "")},
        status=status,
    )


# --- one item --------------------------------------------------------------------------------
def _matches(request: AuthedRequest, proposal: Proposal) -> dict[str, Any]:
    """What Madad may already hold: incidents like the one proposed (linkage's incident
    check) and persons named like its victims or members (linkage's person check)."""
    user = request.user
    incidents: list[Any] = []
    if proposal.kind != HOUSEHOLD and proposal.start_date and proposal.place is not None:
        found = checks.incident_candidates(
            organisation_id=user.organisation_id,
            data={
                "start_date": proposal.start_date,
                "start_precision": proposal.precision,
                "place": proposal.place,
                "types": proposal.types,
                "victims": set(),
            },
        )
        seen = set(
            access.visible_to(user, Incident)
            .filter(pk__in=[c.incident.pk for c in found])
            .values_list("pk", flat=True)
        )
        incidents = [c for c in found if c.incident.pk in seen]
    people: list[dict[str, Any]] = []
    if access.can(user, Capability.PERSON_VIEW):
        # a name alone rarely reaches the matcher's threshold; sex and age help it
        named = (
            [(v["name"], v["sex"], v["age"]) for v in proposal.victims]
            if proposal.kind != HOUSEHOLD
            else [(m["name"], m["sex"], m["age"]) for m in proposal.members]
        )
        if proposal.kind == HOUSEHOLD and proposal.head_name not in [n[0] for n in named]:
            named.insert(0, (proposal.head_name, "", None))
        for name, sex, age in dict.fromkeys(n for n in named if n[0]):
            data = {**name_fields(name), "sex": sex or "", "age": age}
            rows = person_check_rows(request, data)
            if rows:
                people.append({"name": name, "rows": rows})
    households: list[Household] = []
    if proposal.kind == HOUSEHOLD and people:
        ids = {row["candidate"].person.pk for entry in people for row in entry["rows"]}
        households = list(
            access.visible_to(user, Household).filter(
                pk__in=Member.objects.filter(person_id__in=ids).values("household_id")
            )
        )
    return {"incidents": incidents, "people": people, "households": households}


def _item_page(
    request: AuthedRequest, item: IntakeItem, status: int = 200, **forms: Any
) -> HttpResponse:
    user = request.user
    proposal = item_proposal(item=item, user=user)
    kind = item_kind(item)
    waiting = item.status == IntakeItem.Status.NEW
    context: dict[str, Any] = {
        "item": item,
        "kind": kind,
        "proposal": proposal,
        "waiting": waiting,
        "attachments": list(item.attachments.select_related("evidence").order_by("name")),
        "additions": list(
            access.visible_to(user, IntakeItem).filter(follows=item).order_by("received_at")
        ),
        "place_label": place_label(proposal.place),
        "images": {t.content_type for t in _IMAGES},
    }
    if item.status == IntakeItem.Status.REJECTED:
        context["reason"] = access.reveal(
            user, item, wanted=["reason"], action="intake.reason.viewed"
        ).get("reason", "")
    if waiting:
        context["matches"] = _matches(request, proposal)
        context["reject_form"] = forms.get("reject_form") or RejectForm(
            initial={"version": item.version}
        )
        attach_initial: dict[str, Any] = {"version": item.version}
        original = item.follows
        if original is not None and original.incident_id is not None:
            attach_initial["record"] = original.incident_id
        if kind == HOUSEHOLD:
            acts, needs = dict(Act.Type.choices), dict(AssistanceKind.choices)
            # codes Madad does not know stay as sent
            context["acts_wanted"] = [str(acts.get(c, c)) for c in proposal.acts_wanted]
            context["needs"] = [str(needs.get(c, c)) for c in proposal.needs]
            context["may_act"] = access.can(user, Capability.HOUSEHOLD_EDIT)
            context["household_form"] = forms.get("household_form") or HouseholdForm(
                initial=household_initial(proposal, item)
            )
            context["members"] = forms.get("members") or MemberFormSet(
                prefix="members", initial=members_initial(proposal)
            )
            context["attach_form"] = forms.get("attach_form") or AttachForm(
                item=item, household=True, initial=attach_initial
            )
        else:
            context["may_act"] = access.can(user, Capability.INCIDENT_EDIT)
            context["incident_form"] = forms.get("incident_form") or ItemIncidentForm(
                item=item, initial=incident_initial(proposal, item)
            )
            context["acts"] = forms.get("acts") or ActFormSet(
                prefix="acts",
                initial=victims_initial(proposal),
                form_kwargs={"user": user},
            )
            context["sources"] = forms.get("sources") or SourceFormSet(
                prefix="sources", initial=sources_initial(proposal, item)
            )
            context["attach_form"] = forms.get("attach_form") or AttachForm(
                item=item, initial=attach_initial
            )
        context["open_form"] = forms.get("open_form", "")
    context["notice"] = forms.get("notice", "")
    return render(request, "intake/item.html", context, status=status)


@login_required
@require_GET
def item_detail(request: AuthedRequest, item_id: int) -> HttpResponse:
    item = get_item_for_user(request, item_id)
    return _item_page(request, item)


def _notice(refusal: Refused) -> str:
    """A refusal of the item's state (reviewed meanwhile, the wrong kind of record) said at
    the top of the review, whichever form was sent."""
    return refusal.message if isinstance(refusal, Conflict) else ""


def _put_errors(refusal: Refused, form: Any, rows: dict[str, list[Any]]) -> int:
    """A refusal's messages ("title", "acts.0.age", "members.1.relation") on the form and
    rows that led to it; the status to answer with."""
    aliases = {"victim": "victim_id", "new_victim": "given_name", "person": "person_id"}
    for key, found in (refusal.fields or {WHOLE: [refusal.message]}).items():
        parts = key.split(".")
        target, name = form, parts[-1]
        group, index = parts[0], parts[1] if len(parts) > 1 else ""
        if group in rows and index.isdigit() and int(index) < len(rows[group]):
            target = rows[group][int(index)]
            name = parts[-1] if len(parts) > 2 else WHOLE
        name = aliases.get(name, name)
        for message in found:
            target.add_error(name if name in target.fields else None, message)
    return refusal.status


@login_required
@require_POST
def item_incident(request: AuthedRequest, item_id: int) -> HttpResponse:
    item = get_item_for_user(request, item_id)
    if not access.can(request.user, Capability.INCIDENT_EDIT):
        raise PermissionDenied
    form = ItemIncidentForm(request.POST, item=item)
    acts: Any = ActFormSet(request.POST, prefix="acts", form_kwargs={"user": request.user})
    sources: Any = SourceFormSet(request.POST, prefix="sources")
    forms = {"incident_form": form, "acts": acts, "sources": sources, "open_form": "incident"}
    if not (form.is_valid() and acts.is_valid() and sources.is_valid()):
        return _item_page(request, item, INVALID_FORM_STATUS, **forms)
    try:
        incident = review.item_create_incident(
            item=item,
            by=request.user,
            expected_version=form.cleaned_data["version"] or 0,
            attachments=form.cleaned_data["attachments"],
            **form.service_data(),
            acts=[f.service_data() for f in acts.changed_forms()],
            sources=[f.service_data() for f in sources.changed_forms()],
        )
    except Refused as refusal:
        rows = {"acts": acts.changed_forms(), "sources": sources.changed_forms()}
        status = _put_errors(refusal, form, rows)
        return _item_page(request, item, status, notice=_notice(refusal), **forms)
    messages.success(request, _("The incident was recorded as reported, from this item."))
    return redirect("incidents:detail", incident.pk)


@login_required
@require_POST
def item_attach(request: AuthedRequest, item_id: int) -> HttpResponse:
    item = get_item_for_user(request, item_id)
    household = item_kind(item) == HOUSEHOLD
    needed = Capability.HOUSEHOLD_EDIT if household else Capability.INCIDENT_EDIT
    if not access.can(request.user, needed):
        raise PermissionDenied
    form = AttachForm(request.POST, item=item, household=household)
    forms = {"attach_form": form, "open_form": "attach"}
    if not form.is_valid():
        return _item_page(request, item, INVALID_FORM_STATUS, **forms)
    number = form.cleaned_data["record"]
    version = form.cleaned_data["version"]
    try:
        if household:
            target = access.visible_to(request.user, Household).filter(pk=number).first()
            if target is None:
                form.add_error("record", _("No household with this number."))
                return _item_page(request, item, INVALID_FORM_STATUS, **forms)
            review.item_attach_to_household(
                item=item, by=request.user, expected_version=version, household=target
            )
            messages.success(request, _("The item was added to the household."))
            return redirect("households:detail", target.pk)
        incident = access.visible_to(request.user, Incident).filter(pk=number).first()
        if incident is None:
            form.add_error("record", _("No incident with this number."))
            return _item_page(request, item, INVALID_FORM_STATUS, **forms)
        review.item_attach_to_incident(
            item=item,
            by=request.user,
            expected_version=version,
            incident=incident,
            attachments=form.cleaned_data["attachments"],
        )
    except Refused as refusal:
        status = form_errors(form, refusal)
        return _item_page(request, item, status, notice=_notice(refusal), **forms)
    messages.success(request, _("The item was added to the incident."))
    return redirect("incidents:detail", incident.pk)


@login_required
@require_POST
def item_household(request: AuthedRequest, item_id: int) -> HttpResponse:
    item = get_item_for_user(request, item_id)
    if not access.can(request.user, Capability.HOUSEHOLD_EDIT):
        raise PermissionDenied
    form = HouseholdForm(request.POST)
    members: Any = MemberFormSet(request.POST, prefix="members")
    forms = {"household_form": form, "members": members, "open_form": "household"}
    if not (form.is_valid() and members.is_valid()):
        if item_kind(item) != HOUSEHOLD:  # the page has no household form to show it on
            return _item_page(request, item, 409)
        return _item_page(request, item, INVALID_FORM_STATUS, **forms)
    rows, errors = _member_rows(request, members.changed_forms())
    if errors:
        return _item_page(request, item, INVALID_FORM_STATUS, **forms)
    try:
        household = review.item_create_household(
            item=item,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            members=rows,
            address=form.cleaned_data["address"],
            place=form.cleaned_data["place"],
        )
    except Refused as refusal:
        status = _put_errors(refusal, form, {"members": members.changed_forms()})
        return _item_page(request, item, status, notice=_notice(refusal), **forms)
    messages.success(request, _("The household was registered from this item."))
    return redirect("households:detail", household.pk)


def _member_rows(request: AuthedRequest, forms: list[Any]) -> tuple[list[dict[str, Any]], bool]:
    rows: list[dict[str, Any]] = []
    errors = False
    for form in forms:
        data = form.cleaned_data
        row: dict[str, Any] = {"relation": data["relation"]}
        if data.get("person_id"):
            person = access.visible_to(request.user, Person).filter(pk=data["person_id"]).first()
            if person is None:
                form.add_error("person_id", _("No person with this record number."))
                errors = True
            row["person"] = person
        else:
            row["new_person"] = {
                name: data.get(name)
                for name in ("given_name", "family_name", "full_name_ur", "sex", "age")
            }
        rows.append(row)
    return rows, errors


@login_required
@require_POST
def item_reject(request: AuthedRequest, item_id: int) -> HttpResponse:
    item = get_item_for_user(request, item_id)
    form = RejectForm(request.POST)
    forms = {"reject_form": form, "open_form": "reject"}
    if not form.is_valid():
        return _item_page(request, item, INVALID_FORM_STATUS, **forms)
    try:
        review.item_reject(
            item=item,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            reason=form.cleaned_data["reason"],
        )
    except Refused as refusal:
        status = form_errors(form, refusal)
        return _item_page(request, item, status, notice=_notice(refusal), **forms)
    messages.success(request, _("The item was rejected. It keeps everything it held."))
    return redirect("intake:inbox")


# --- the item's files ------------------------------------------------------------------------
@login_required
@require_GET
def item_file(
    request: AuthedRequest, item_id: int, attachment_id: int
) -> HttpResponse | FileResponse:
    """A file as received, checked against its SHA-256: images shown in the page, any other
    type downloaded under a neutral name (never trusted to render)."""
    item = get_item_for_user(request, item_id)
    attachment = access.get_visible_or_404(
        request.user, IntakeAttachment, pk=attachment_id, item=item
    )
    try:
        copy, head = review.attachment_open(attachment=attachment, by=request.user)
    except Refused as refusal:
        return render(request, "intake/file_refused.html", {"message": refusal.message}, status=409)
    sniffed = files.sniff(head)
    inline = sniffed in _IMAGES
    response = FileResponse(
        copy,
        as_attachment=not inline,
        filename=f"madad-intake-{item.pk}-{attachment.pk}{sniffed.extension if sniffed else ''}",
        content_type=sniffed.content_type if inline and sniffed else "application/octet-stream",
    )
    response["X-Content-SHA256"] = attachment.sha256
    response["Cache-Control"] = "private, no-store"
    return response
