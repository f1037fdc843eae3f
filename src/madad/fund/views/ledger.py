"""The journal: every money event, its lines, and reversals."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from madad import access
from madad.core.http import AuthedRequest
from madad.fund import selectors, services
from madad.fund.forms import EntryFilterForm, ReverseForm
from madad.fund.models import JournalEntry
from madad.fund.views._common import context_flags, require_edit, require_view, submit


@login_required
@require_GET
def entry_list(request: AuthedRequest) -> HttpResponse:
    require_view(request)
    form = EntryFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = Paginator(
        selectors.entry_list(
            user=request.user,
            filters=filters,
        ),
        50,
    ).get_page(request.GET.get("page"))
    return render(
        request, "fund/entry_list.html", {**context_flags(request), "page": page, "form": form}
    )


def _entry_page(
    request: AuthedRequest, entry: JournalEntry, form: ReverseForm | None = None, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "fund/entry_detail.html",
        {
            **context_flags(request),
            "entry": entry,
            "lines": selectors.entry_lines(entry),
            "reversal": getattr(entry, "reversed_by", None),
            "can_reverse": access.can_change(request.user, entry)
            and entry.kind != JournalEntry.Kind.REVERSAL,
            "form": form or ReverseForm(),
        },
        status=status,
    )


@login_required
@require_GET
def entry_detail(request: AuthedRequest, entry_id: int) -> HttpResponse:
    require_view(request)
    entry = access.get_visible_or_404(request.user, JournalEntry, pk=entry_id)
    return _entry_page(request, entry)


@login_required
@require_POST
def entry_reverse(request: AuthedRequest, entry_id: int) -> HttpResponse:
    require_edit(request)
    user = request.user
    entry = access.get_visible_or_404(user, JournalEntry, pk=entry_id)
    form = ReverseForm(request.POST)
    status = submit(
        request,
        form,
        lambda data: services.entry_reverse(entry=entry, reversed_by=user, reason=data["reason"]),
        _("The entry is reversed."),
    )
    if status is None:
        return redirect("fund:entry", entry_id=JournalEntry.objects.get(reverses=entry).pk)
    return _entry_page(request, entry, form, status=status)
