"""Staff pages for public texts: the list, writing a fact sheet or claim check, previewing it
with its live figures, and the workflow (submit, publish, return, withdraw)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Model
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from madad import access
from madad.access.public import may_see_publications, may_write
from madad.access.roles import Capability
from madad.accounts.models import User
from madad.core.forms import INVALID_FORM_STATUS, form_errors
from madad.core.http import AuthedRequest
from madad.core.refusals import Refused
from madad.public import services
from madad.public.forms import ClaimCheckForm, FactSheetForm, ReasonForm
from madad.public.models import ClaimCheck, FactSheet, Status
from madad.public.placeholders import figures_of, render_text
from madad.public.selectors import incidents_behind


@dataclass(frozen=True)
class Kind:
    slug: str
    model: type[Model]
    form: type[Any]
    write: str
    approve: str
    label: Any


KINDS = {
    "factsheets": Kind(
        "factsheets",
        FactSheet,
        FactSheetForm,
        Capability.FACTSHEET_WRITE,
        Capability.FACTSHEET_APPROVE,
        gettext_lazy("fact sheet"),
    ),
    "claims": Kind(
        "claims",
        ClaimCheck,
        ClaimCheckForm,
        Capability.CLAIMCHECK_WRITE,
        Capability.CLAIMCHECK_PUBLISH,
        gettext_lazy("claim check"),
    ),
}


def _kind(slug: str) -> Kind:
    if slug not in KINDS:
        raise Http404
    return KINDS[slug]


def get_text_for_user(request: AuthedRequest, kind: Kind, text_id: int) -> Any:
    return access.get_visible_or_404(request.user, kind.model, pk=text_id)


@login_required
def publication_list(request: AuthedRequest) -> HttpResponse:
    if not may_see_publications(request.user):
        raise Http404
    user = request.user
    return render(
        request,
        "public/staff/publication_list.html",
        {
            "factsheets": access.visible_to(user, FactSheet)
            .select_related("created_by")
            .order_by("-updated_at"),
            "claimchecks": access.visible_to(user, ClaimCheck)
            .select_related("created_by")
            .order_by("-updated_at"),
            "can_write_factsheet": may_write(user, Capability.FACTSHEET_WRITE),
            "can_write_claimcheck": may_write(user, Capability.CLAIMCHECK_WRITE),
        },
    )


def _form(kind: Kind, request: AuthedRequest, data: Any = None, instance: Any = None) -> Any:
    extra = {"organisation": request.user.organisation} if kind.model is ClaimCheck else {}
    return kind.form(data, instance=instance, **extra)


def _save(kind: Kind, request: AuthedRequest, form: Any, instance: Any) -> Any:
    values = {name: form.cleaned_data[name] for name in form.Meta.fields}
    common = {
        "by": request.user,
        "organisation": request.user.organisation,
        "values": values,
        "incident_ids": form.cleaned_data["incident_numbers"],
        "expected_version": form.cleaned_data.get("version"),
    }
    if kind.model is FactSheet:
        return services.factsheet_write(factsheet=instance, **common)
    return services.claimcheck_write(
        claimcheck=instance, factsheet_ids=[s.pk for s in form.cleaned_data["factsheets"]], **common
    )


@login_required
def text_edit(request: AuthedRequest, kind_slug: str, text_id: int | None = None) -> HttpResponse:
    kind = _kind(kind_slug)
    instance = get_text_for_user(request, kind, text_id) if text_id else None
    if not may_write(request.user, kind.write) or (
        instance is not None and not access.can_change(request.user, instance)
    ):
        raise Http404
    form = _form(kind, request, request.POST or None, instance)
    status = 200
    if request.method == "POST":
        status = INVALID_FORM_STATUS
        if form.is_valid():
            try:
                with transaction.atomic():
                    saved = _save(kind, request, form, instance)
                    if "submit" in request.POST:
                        _workflow(kind, "submit", saved, request.user, "")
            except Refused as refusal:
                status = form_errors(form, refusal)
            else:
                if "submit" in request.POST:
                    messages.success(request, _("Saved and submitted for approval."))
                else:
                    messages.success(request, _("Saved as a draft."))
                return redirect("publications:detail", kind_slug=kind.slug, text_id=saved.pk)
    return render(
        request,
        "public/staff/text_form.html",
        {"kind": kind, "form": form, "text": instance},
        status=status,
    )


@login_required
def text_detail(request: AuthedRequest, kind_slug: str, text_id: int) -> HttpResponse:
    kind = _kind(kind_slug)
    text = get_text_for_user(request, kind, text_id)
    user = request.user
    own = user.pk in (text.created_by_id, text.updated_by_id)
    may_approve = access.can(user, kind.approve)
    body: dict[str, dict[str, Any]] = {"en": {}, "ur": {}}
    for language in ("en", "ur"):
        for name in ("summary", "body") if kind.model is FactSheet else ("explanation",):
            value = getattr(text, f"{name}_{language}")
            body[language][name] = render_text(value) if value else ""
    return render(
        request,
        "public/staff/text_detail.html",
        {
            "kind": kind,
            "text": text,
            "body": body,
            "figures": figures_of(
                " ".join(
                    getattr(text, f, "") for f in ("summary_en", "summary_ur", "body_en", "body_ur")
                )
            ),
            "incidents": incidents_behind(text),
            "can_edit": access.can_change(user, text)
            and text.status in (Status.DRAFT, Status.WITHDRAWN),
            "can_submit": access.can_change(user, text) and text.status == Status.DRAFT,
            "can_approve": may_approve and text.status == Status.SUBMITTED and not own,
            "own_blocks": may_approve and text.status == Status.SUBMITTED and own,
            "can_withdraw": (may_approve or access.can_change(user, text))
            and text.status == Status.PUBLISHED,
            "reason_form": ReasonForm(),
        },
    )


def _workflow(
    kind: Kind, action: str, text: Any, user: User, reason: str, version: int | None = None
) -> Any:
    seen = {"expected_version": version}
    if kind.model is FactSheet:
        calls: dict[str, Callable[[], Any]] = {
            "submit": lambda: services.factsheet_submit(factsheet=text, by=user, **seen),
            "approve": lambda: services.factsheet_approve(factsheet=text, approver=user, **seen),
            "return": lambda: services.factsheet_return(
                factsheet=text, by=user, reason=reason, **seen
            ),
            "withdraw": lambda: services.factsheet_withdraw(factsheet=text, by=user, **seen),
        }
    else:
        calls = {
            "submit": lambda: services.claimcheck_submit(claimcheck=text, by=user, **seen),
            "approve": lambda: services.claimcheck_publish(claimcheck=text, approver=user, **seen),
            "return": lambda: services.claimcheck_return(
                claimcheck=text, by=user, reason=reason, **seen
            ),
            "withdraw": lambda: services.claimcheck_withdraw(claimcheck=text, by=user, **seen),
        }
    if action not in calls:
        raise Http404
    return calls[action]()


_DONE = {
    "submit": gettext_lazy("Submitted for approval."),
    "approve": gettext_lazy("Published."),
    "return": gettext_lazy("Returned to its writer."),
    "withdraw": gettext_lazy("Withdrawn from the public site."),
}


def _role_may(kind: Kind, action: str, text: Any, user: User) -> bool:
    """Whether the user's role takes this decision at all (writers submit, approvers approve
    and return, either withdraws); the services add the four-eyes rule and the text's state.
    A decision that does not exist is a 404."""
    writer = access.can_change(user, text)
    approver = access.can(user, kind.approve)
    allowed = {"submit": writer, "approve": approver, "return": approver}
    allowed["withdraw"] = writer or approver
    if action not in allowed:
        raise Http404
    return allowed[action]


@login_required
@require_POST
def text_action(request: AuthedRequest, kind_slug: str, text_id: int, action: str) -> HttpResponse:
    """A decision on the text, as of the version the page showed (a decision taken meanwhile by
    somebody else is not overridden: the second is told, and nothing changes). A role that
    may not take it is refused (403) before the form is read."""
    kind = _kind(kind_slug)
    text = get_text_for_user(request, kind, text_id)
    if not _role_may(kind, action, text, request.user):
        raise PermissionDenied
    posted = request.POST.get("version", "")
    version = int(posted) if posted.isdigit() and len(posted) < 10 else None
    try:
        _workflow(kind, action, text, request.user, request.POST.get("reason", ""), version)
        messages.success(request, str(_DONE[action]))
    except Refused as refusal:
        for field_messages in refusal.fields.values() or [[refusal.message]]:
            for message in field_messages:
                messages.error(request, message)
    return redirect("publications:detail", kind_slug=kind.slug, text_id=text.pk)
