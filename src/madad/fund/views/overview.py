"""The fund at a glance, and the reports for finance officers and auditors."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from madad import access
from madad.access.roles import Capability
from madad.core.audit import audit_record
from madad.core.http import AuthedRequest
from madad.core.spreadsheet import csv_write
from madad.fund import reports, selectors
from madad.fund.currencies import fund_currency
from madad.fund.forms import PeriodForm
from madad.fund.views._common import context_flags, require, require_view


@login_required
@require_GET
def overview(request: AuthedRequest) -> HttpResponse:
    require_view(request)
    user = request.user
    organisation = user.organisation
    earmarks = list(selectors.earmark_list(user=user))
    return render(
        request,
        "fund/overview.html",
        {
            **context_flags(request),
            "held": reports.by_currency_and_earmark(organisation),
            "earmarks": [(earmark, selectors.unspent(earmark=earmark)) for earmark in earmarks],
            "fund_currency": fund_currency(),
            "to_pay": selectors.assistance_to_pay(user=user).count(),
            "recent": selectors.entry_list(user=user)[:10],
        },
    )


def _report_or_404(request: AuthedRequest, name: str) -> reports.Report:
    require(request, Capability.FUND_REPORT)
    report = reports.REPORTS.get(name)
    if report is None:
        raise Http404
    return report


def _table(request: AuthedRequest, report: reports.Report) -> tuple[PeriodForm, reports.Table]:
    form = PeriodForm(request.GET or None)
    period = form.cleaned_data if form.is_valid() else {}
    user = request.user
    return form, report.build(user.organisation, period.get("date_from"), period.get("date_to"))


@login_required
@require_GET
def report_list(request: AuthedRequest) -> HttpResponse:
    require(request, Capability.FUND_REPORT)
    return render(request, "fund/report_list.html", {"reports": reports.REPORTS.items()})


@login_required
@require_GET
def report_view(request: AuthedRequest, name: str) -> HttpResponse:
    report = _report_or_404(request, name)
    form, table = _table(request, report)
    audit_record(action="fund.report.viewed", object_type="fund.report", object_id=name, fields=[])
    return render(
        request,
        "fund/report.html",
        {
            **context_flags(request),
            "report": report,
            "name": name,
            "form": form,
            "table": table,
            "query": request.GET.urlencode(),
        },
    )


@login_required
@require_GET
def report_csv(request: AuthedRequest, name: str) -> HttpResponse:
    """The report as CSV; every export is audited."""
    report = _report_or_404(request, name)
    if not access.can_export(request.user, "fund"):
        raise Http404
    _form, table = _table(request, report)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="madad-fund-{name}.csv"'
    csv_write(response, [table.columns, *table.rows, *([table.totals] if table.totals else [])])
    audit_record(
        action="fund.report.exported", object_type="fund.report", object_id=name, fields=[]
    )
    return response
