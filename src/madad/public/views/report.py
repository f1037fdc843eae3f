"""The public report form: anybody may tell the organisation about an incident, anonymously,
and add to it later with the receipt code they were shown.

Nothing on these pages may be kept by a browser or a proxy (no-store), and nothing is
compressed (the receipt page carries a secret). No cookie is set and no address is kept: the
report's audit event has none (intake.services), the limits count under keyed hashes
(public.report_guard).

CSRF: these views are exempt. Django's protection would set a cookie on every visitor, and a
forged post would gain nothing: there is no session or account here for it to ride on, so a
forger can only send a report they could send themselves. What a post must carry instead is
the page's signed, single-use challenge with its proof of work (report_guard).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from madad.core.forms import form_errors
from madad.core.refusals import Refused
from madad.intake.services import public_report_add, public_report_receive
from madad.public import report_guard
from madad.public.forms import ReportAddForm, ReportForm
from madad.public.http import over_limit, too_many

View = Callable[[HttpRequest], HttpResponse]


def _never_stored(response: HttpResponse) -> HttpResponse:
    add_never_cache_headers(response)
    patch_cache_control(response, no_store=True, private=True)
    return response


def report_page(view: View) -> View:
    """What both report views share: GET and POST only, no CSRF cookie (see above), never
    stored; the public site's limit per minute; for a post, the size and the hourly limits."""

    @csrf_exempt
    @require_http_methods(["GET", "POST"])
    @functools.wraps(view)
    def wrapped(request: HttpRequest) -> HttpResponse:
        if over_limit(request, 1):
            response = too_many(request)
        elif request.method == "POST" and report_guard.body_too_big(request):
            response = _refused(
                request,
                413,
                _("This is too long to send"),
                _("A report may have at most 5,000 characters. Shorten it and send it again."),
            )
        elif request.method == "POST" and not report_guard.take_slot(request):
            response = _refused(
                request,
                429,
                _("Too many reports"),
                _(
                    "Too many reports have been sent in the last hour. Please try again in an "
                    "hour. Nothing of what you sent now was kept."
                ),
            )
            response["Retry-After"] = str(report_guard.seconds_to_next_hour())
        else:
            response = view(request)
        return _never_stored(response)

    return wrapped


def _refused(request: HttpRequest, status: int, title: str, text: str) -> HttpResponse:
    return render(
        request, "public/report_refused.html", {"title": title, "text": text}, status=status
    )


def _form_page(
    request: HttpRequest, template: str, form: forms.Form, status: int = 200
) -> HttpResponse:
    context: dict[str, Any] = {
        "form": form,
        # every page of the form carries a fresh challenge: one is good for one post
        "challenge": report_guard.new_challenge(),
        "work_bits": report_guard.work_bits(),
        "honeypot": report_guard.HONEYPOT,
    }
    return render(request, template, context, status=status)


def _checked(request: HttpRequest, form: forms.Form) -> int | None:
    """The honeypot and the proof of work: the status to answer with (and the message on the
    form) when they fail."""
    refusal = report_guard.check_post(request)
    if refusal is None:
        return None
    form.add_error(None, refusal.message)
    return 400


@report_page
def report(request: HttpRequest) -> HttpResponse:
    template = "public/report.html"
    if request.method != "POST":
        return _form_page(request, template, ReportForm())
    form = ReportForm(request.POST)
    status = _checked(request, form)
    if status is None and form.is_valid():
        try:
            receipt = public_report_receive(form.answers())
        except Refused as refusal:
            status = form_errors(form, refusal)
        else:
            return render(request, "public/report_received.html", {"code": receipt.code})
    report_guard.give_back(request)  # counted by report_page; nothing was stored
    return _form_page(request, template, form, status or 422)


@report_page
def report_add(request: HttpRequest) -> HttpResponse:
    template = "public/report_add.html"
    if request.method != "POST":
        return _form_page(request, template, ReportAddForm())
    form = ReportAddForm(request.POST)
    status = _checked(request, form)
    if status is None and form.is_valid():
        try:
            public_report_add(receipt=form.cleaned_data["receipt"], what=form.cleaned_data["what"])
        except Refused as refusal:
            status = form_errors(form, refusal)
            if "receipt" in refusal.fields:
                # a wrong code stays counted against the limits: codes are not to be guessed
                return _form_page(request, template, form, status)
        else:
            return render(request, "public/report_added.html")
    report_guard.give_back(request)  # counted by report_page; nothing was stored
    return _form_page(request, template, form, status or 422)
