"""Staff pages for public texts: the list, writing a fact sheet or claim check, previewing it
with its live figures, and the workflow (submit, publish, return, withdraw)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from madad import access
from madad.access.public import may_see_publications, may_write
from madad.access.roles import Capability
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


def get_text_for_user(request: HttpRequest, kind: Kind, text_id: int) -> Any:
    return access.get_visible_or_404(request.user, kind.model, request=request, pk=text_id)


@login_required
def publication_list(request: HttpRequest) -> HttpResponse:
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


def _form(kind: Kind, request: HttpRequest, data: Any = None, instance: Any = None) -> Any:
    extra = {"organisation": request.user.organisation} if kind.model is ClaimCheck else {}  # type: ignore[union-attr]
    return kind.form(data, instance=instance, **extra)


def _save(kind: Kind, request: HttpRequest, form: Any, instance: Any) -> Any:
    values = {name: form.cleaned_data[name] for name in form.Meta.fields}
    common = {
        "by": request.user,
        "organisation": request.user.organisation,  # type: ignore[union-attr]
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
def text_edit(request: HttpRequest, kind_slug: str, text_id: int | None = None) -> HttpResponse:
    kind = _kind(kind_slug)
    instance = get_text_for_user(request, kind, text_id) if text_id else None
    if not may_write(request.user, kind.write) or (
        instance is not None and not access.can_change(request.user, instance)
    ):
        raise Http404
    form = _form(kind, request, request.POST or None, instance)
    if request.method == "POST" and form.is_valid():
        try:
            saved = _save(kind, request, form, instance)
            if "submit" in request.POST:
                _workflow(kind, "submit", saved, request.user, "")
                messages.success(request, _("Saved and submitted for approval."))
            else:
                messages.success(request, _("Saved as a draft."))
            return redirect("publications:detail", kind_slug=kind.slug, text_id=saved.pk)
        except ValidationError as error:
            _add_errors(form, error)
    return render(
        request,
        "public/staff/text_form.html",
        {
            "kind": kind,
            "form": form,
            "text": instance,
        },
    )


def _add_errors(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@login_required
def text_detail(request: HttpRequest, kind_slug: str, text_id: int) -> HttpResponse:
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


def _workflow(kind: Kind, action: str, text: Any, user: Any, reason: str) -> Any:
    if kind.model is FactSheet:
        calls: dict[str, Any] = {
            "submit": lambda: services.factsheet_submit(factsheet=text, by=user),
            "approve": lambda: services.factsheet_approve(factsheet=text, approver=user),
            "return": lambda: services.factsheet_return(factsheet=text, by=user, reason=reason),
            "withdraw": lambda: services.factsheet_withdraw(factsheet=text, by=user),
        }
    else:
        calls = {
            "submit": lambda: services.claimcheck_submit(claimcheck=text, by=user),
            "approve": lambda: services.claimcheck_publish(claimcheck=text, approver=user),
            "return": lambda: services.claimcheck_return(claimcheck=text, by=user, reason=reason),
            "withdraw": lambda: services.claimcheck_withdraw(claimcheck=text, by=user),
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


@login_required
@require_POST
def text_action(request: HttpRequest, kind_slug: str, text_id: int, action: str) -> HttpResponse:
    kind = _kind(kind_slug)
    text = get_text_for_user(request, kind, text_id)
    try:
        _workflow(kind, action, text, request.user, request.POST.get("reason", ""))
        messages.success(request, str(_DONE[action]))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("publications:detail", kind_slug=kind.slug, text_id=text.pk)
