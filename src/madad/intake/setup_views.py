"""The coordinators' pages for field intake's set-up, under /intake/setup/: the organisation's
field forms (an XLSForm added or updated, Madad's own two forms shipped, a form closed or
opened, a version's XLSForm downloaded) and the phones that fetch them and send to Madad (a
device made, its server URL and QR code shown once, revoked).

Only coordinators (intake.manage) open these pages: anybody else signed in is refused the lists
and the forms (403) and finds no form, version or device (404), as on the sharing pages; other
organisations' forms and devices answer 404 to everybody.

A device's token exists only in the answer to the POST that made it: it is never in a URL of
Madad's own pages, in the session or in a message, and that answer is not stored by the browser.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, F, OuterRef, Prefetch, QuerySet, Subquery
from django.forms import CheckboxSelectMultiple
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from madad import access
from madad.access.intake import may_manage
from madad.accounts.models import User
from madad.core.forms import INVALID_FORM_STATUS, choose_from, form_errors
from madad.core.http import AuthedRequest
from madad.core.refusals import Refused, invalid
from madad.intake import devices, fieldforms
from madad.intake.encryption import KeyMissing
from madad.intake.models import Device, Form, FormVersion
from madad.intake.xlsform import XLSFORM_MAX_BYTES

if TYPE_CHECKING:  # generic for the type checker only
    _FormsField = forms.ModelMultipleChoiceField[Form]
    _UserField = forms.ModelChoiceField[User]
else:
    _FormsField = forms.ModelMultipleChoiceField
    _UserField = forms.ModelChoiceField

PER_PAGE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_UNSAFE_IN_FILE_NAME = re.compile(r"[^A-Za-z0-9_.-]+")


# --- Forms ------------------------------------------------------------------------------------
class XlsFormUploadForm(forms.Form):
    xlsform = forms.FileField(
        label=gettext_lazy("XLSForm (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": f".xlsx,{XLSX}"}),
    )
    encrypt = forms.BooleanField(
        label=gettext_lazy("Encrypt with the organisation's key"),
        help_text=gettext_lazy(
            "Phones encrypt what they send with this form; only Madad can read it. Leave it "
            "ticked unless the form holds nothing about people."
        ),
        required=False,
        initial=True,
    )


class FormStateForm(forms.Form):
    state = forms.ChoiceField(choices=Form.State.choices)
    back = forms.ChoiceField(choices=[("form", "form"), ("list", "list")], required=False)


class FormsChoiceField(_FormsField):
    def label_from_instance(self, obj: Form) -> str:
        return f"{obj.title} ({obj.form_id})"


class HolderChoiceField(_UserField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.full_name} ({obj.get_role_display()})"


class DeviceForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name of the device"),
        help_text=gettext_lazy("What tells this phone apart, e.g. “Lyari team phone 2”."),
        max_length=devices.NAME_MAX,
        widget=forms.TextInput(attrs={"dir": "auto", "autocomplete": "off"}),
    )
    # (not a required field: the service says what is wrong with none chosen, in its words)
    forms = FormsChoiceField(
        label=gettext_lazy("Forms it may fetch and send"),
        queryset=Form.objects.none(),
        widget=CheckboxSelectMultiple,
        required=False,
    )
    holder = HolderChoiceField(
        label=gettext_lazy("Held by"),
        queryset=User.objects.none(),
        required=False,
        empty_label=gettext_lazy("Nobody in particular"),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        open_forms = access.visible_to(user, Form).filter(state=Form.State.OPEN)
        choose_from(self, "forms", open_forms.order_by("title", "pk"))
        choose_from(
            self,
            "holder",
            User.objects.filter(organisation_id=user.organisation_id, is_active=True).order_by(
                "full_name", "pk"
            ),
        )
        if not self.is_bound:
            self.fields["forms"].initial = list(open_forms.values_list("pk", flat=True))


# --- Access -----------------------------------------------------------------------------------
def _require_manager(request: AuthedRequest) -> None:
    if not may_manage(request.user):
        raise PermissionDenied


def _form_for_manager(request: AuthedRequest, form_pk: int) -> Form:
    """The form, for a coordinator of its organisation; 404 for anybody else."""
    if not may_manage(request.user):
        raise Http404
    return access.get_visible_or_404(request.user, Form, pk=form_pk)


def _device_for_manager(request: AuthedRequest, device_pk: int) -> Device:
    if not may_manage(request.user):
        raise Http404
    return access.get_visible_or_404(request.user, Device, pk=device_pk)


@login_required
def index(request: AuthedRequest) -> HttpResponse:
    """Where the menu points (so that it marks the forms and the devices pages alike)."""
    _require_manager(request)
    return redirect("intake_setup:forms")


# --- Field forms ------------------------------------------------------------------------------
def _forms_listed(user: User) -> QuerySet[Form]:
    newest = FormVersion.objects.filter(form=OuterRef("pk")).order_by("-created_at", "-id")
    return (
        access.visible_to(user, Form)
        .select_related("created_by")
        .annotate(
            version_count=Count("versions"),
            current_version=Subquery(newest.values("version")[:1]),
            current_encrypted=Subquery(newest.values("encrypted")[:1]),
        )
        .order_by("title", "pk")
    )


def _forms_page(
    request: AuthedRequest, upload: XlsFormUploadForm, status: int = 200
) -> HttpResponse:
    page = Paginator(_forms_listed(request.user), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "intake/setup/form_list.html",
        {"page": page, "upload": upload, "max_mb": XLSFORM_MAX_BYTES // (1024 * 1024)},
        status=status,
    )


def _key_missing() -> Refused:
    return invalid(
        "xlsform",
        _(
            "The organisation's key for encrypted forms is not set up. Ask the administrator "
            "to create it (madad intake keys generate)."
        ),
    )


@login_required
def form_list(request: AuthedRequest) -> HttpResponse:
    """The organisation's forms, and the upload of an XLSForm (POST)."""
    _require_manager(request)
    if request.method != "POST":
        return _forms_page(request, XlsFormUploadForm())
    upload = XlsFormUploadForm(request.POST, request.FILES)
    if not upload.is_valid():
        return _forms_page(request, upload, INVALID_FORM_STATUS)
    sent = upload.cleaned_data["xlsform"]
    try:
        if sent.size > XLSFORM_MAX_BYTES:
            raise invalid("xlsform", _("The XLSForm is larger than 5 MB."))
        version = fieldforms.form_add(
            organisation=request.user.organisation,
            data=sent.read(),
            added_by=request.user,
            encrypt=upload.cleaned_data["encrypt"],
        )
    except KeyMissing:
        return _forms_page(request, upload, form_errors(upload, _key_missing()))
    except Refused as refusal:
        return _forms_page(request, upload, form_errors(upload, refusal))
    messages.success(
        request,
        _("Version %(version)s of “%(title)s” was added: devices fetch it from now on.")
        % {"version": version.version, "title": version.form.title},
    )
    return redirect("intake_setup:form", version.form.pk)


@require_POST
@login_required
def forms_ship(request: AuthedRequest) -> HttpResponse:
    """Adds Madad's two forms, or new versions of them when what they offer changed."""
    _require_manager(request)
    try:
        added = fieldforms.forms_ship(organisation=request.user.organisation, added_by=request.user)
    except KeyMissing:
        messages.error(request, _key_missing().fields["xlsform"][0])
        return redirect("intake_setup:forms")
    except Refused as refusal:
        texts = [text for field in refusal.fields.values() for text in field]
        messages.error(request, " ".join(texts) or refusal.message)
        return redirect("intake_setup:forms")
    if not added:
        messages.success(request, _("Madad's forms are up to date: nothing was added."))
    else:
        names = " · ".join(
            _("%(title)s, version %(version)s")
            % {"title": version.form.title, "version": version.version}
            for version in added
        )
        messages.success(request, _("Added: %(forms)s.") % {"forms": names})
    return redirect("intake_setup:forms")


@login_required
def form_detail(request: AuthedRequest, field_form_id: int) -> HttpResponse:
    form = _form_for_manager(request, field_form_id)
    versions = (
        access.visible_to(request.user, FormVersion)
        .filter(form=form)
        .defer("xml", "xlsform", "media")
        .select_related("created_by")
        .order_by("-created_at", "-id")
    )
    page = Paginator(versions, PER_PAGE).get_page(request.GET.get("page"))
    active = access.visible_to(request.user, Device).filter(forms=form, revoked_at__isnull=True)
    return render(
        request,
        "intake/setup/form_detail.html",
        {
            "form": form,
            "page": page,
            "current": versions.first(),
            "devices": active.select_related("holder").order_by("name", "pk"),
        },
    )


@require_POST
@login_required
def form_state(request: AuthedRequest, field_form_id: int) -> HttpResponse:
    form = _form_for_manager(request, field_form_id)
    chosen = FormStateForm(request.POST)
    if not chosen.is_valid():
        messages.error(request, _("Choose open or closed."))
        response = form_detail(request, form.pk)
        response.status_code = INVALID_FORM_STATUS
        return response
    try:
        fieldforms.form_set_state(form=form, state=chosen.cleaned_data["state"], by=request.user)
    except Refused as refusal:
        messages.error(request, refusal.message)
    else:
        if form.state == Form.State.OPEN:
            text = _("“%(title)s” is open: devices list it and may send to it.")
        else:
            text = _(
                "“%(title)s” is closed: devices no longer list it and what they send to it is "
                "refused."
            )
        messages.success(request, text % {"title": form.title})
    if chosen.cleaned_data["back"] == "list":
        return redirect("intake_setup:forms")
    return redirect("intake_setup:form", form.pk)


@login_required
def form_version_xlsform(
    request: AuthedRequest, field_form_id: int, form_version_id: int
) -> HttpResponse:
    """The XLSForm of one version, as it was added (with the key written in, if encrypted)."""
    form = _form_for_manager(request, field_form_id)
    version = access.get_visible_or_404(request.user, FormVersion, pk=form_version_id, form=form)
    name = _UNSAFE_IN_FILE_NAME.sub("_", f"{form.form_id}-{version.version}")
    response = HttpResponse(bytes(version.xlsform), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


# --- Field devices ----------------------------------------------------------------------------
@login_required
def device_list(request: AuthedRequest) -> HttpResponse:
    _require_manager(request)
    listed = (
        access.visible_to(request.user, Device)
        .select_related("holder")
        .prefetch_related(Prefetch("forms", queryset=Form.objects.order_by("title", "pk")))
        .order_by(F("revoked_at").asc(nulls_first=True), "name", "pk")
    )
    page = Paginator(listed, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "intake/setup/device_list.html", {"page": page})


def _qr_code(text: str) -> SafeString:
    """The QR code's SVG for inline use: made here from our own text, without its XML
    declaration (which has no place inside HTML)."""
    svg = devices.qr_svg(text)
    return mark_safe(svg[svg.index("<svg") :])  # noqa: S308 (our SVG, no user markup)


@login_required
def device_new(request: AuthedRequest) -> HttpResponse:
    """Makes a device. The answer to the POST is the only place its server URL and QR code are
    ever shown."""
    _require_manager(request)
    user = request.user
    if request.method != "POST":
        return render(request, "intake/setup/device_new.html", {"form": DeviceForm(user=user)})
    form = DeviceForm(request.POST, user=user)
    status = INVALID_FORM_STATUS
    if form.is_valid():
        data = form.cleaned_data
        try:
            new = devices.device_create(
                organisation=user.organisation,
                name=data["name"],
                created_by=user,
                forms=list(data["forms"]),
                holder=data["holder"],
            )
        except Refused as refusal:
            status = form_errors(form, refusal)
        else:
            return _device_created(request, new)
    return render(request, "intake/setup/device_new.html", {"form": form}, status=status)


def _device_created(request: AuthedRequest, new: devices.NewDevice) -> HttpResponse:
    url = devices.server_url(request.build_absolute_uri("/"), new.token)
    response = render(
        request,
        "intake/setup/device_created.html",
        {
            "device": new.device,
            "forms": new.device.forms.order_by("title", "pk"),
            "server_url": url,
            "qr": _qr_code(devices.collect_settings(url=url, device=new.device)),
        },
    )
    add_never_cache_headers(response)
    response["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
    response["Referrer-Policy"] = "no-referrer"
    return response


@login_required
def device_detail(request: AuthedRequest, device_id: int) -> HttpResponse:
    device = _device_for_manager(request, device_id)
    return render(
        request,
        "intake/setup/device_detail.html",
        {"device": device, "forms": device.forms.order_by("title", "pk")},
    )


@login_required
def device_revoke(request: AuthedRequest, device_id: int) -> HttpResponse:
    """GET asks to confirm; POST revokes: the phone's next request is refused."""
    device = _device_for_manager(request, device_id)
    if request.method != "POST":
        return render(request, "intake/setup/device_revoke.html", {"device": device})
    try:
        devices.device_revoke(device=device, by=request.user)
    except Refused as refusal:
        messages.error(request, refusal.message)
        return redirect("intake_setup:device", device.pk)
    messages.success(
        request,
        _(
            "“%(name)s” is revoked: it can no longer fetch forms or send anything. What it "
            "sent before stays in the inbox."
        )
        % {"name": device.name},
    )
    return redirect("intake_setup:devices")
