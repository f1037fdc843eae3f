"""The OpenRosa server ODK Collect and KoboCollect talk to, under /intake/d/<token>/: the form
list, each form and its manifest of media files, and submissions.

Every answer carries `X-OpenRosa-Version: 1.0` and `X-OpenRosa-Accept-Content-Length`; an error
is an `OpenRosaResponse` whose message Collect shows its user. The token in the address is the
device's only credential (there is no session and no cookie, so no CSRF); an unknown or revoked
token gets the same answer.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any
from xml.sax.saxutils import escape

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.core.files.base import File
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from madad.core.refusals import Refused
from madad.intake import devices, submissions
from madad.intake.models import Device, Form, FormVersion

RESPONSE_NS = "http://openrosa.org/http/response"
View = Callable[..., HttpResponse]


def _headers(response: HttpResponse) -> HttpResponse:
    response["X-OpenRosa-Version"] = "1.0"
    response["X-OpenRosa-Accept-Content-Length"] = str(settings.MADAD_INTAKE_MAX_BYTES)
    response["Cache-Control"] = "no-store"
    return response


def _xml(body: str, status: int = 200) -> HttpResponse:
    return _headers(
        HttpResponse(
            '<?xml version="1.0" encoding="UTF-8"?>\n' + body,
            status=status,
            content_type="text/xml; charset=utf-8",
        )
    )


def message(text: str, *, status: int, nature: str = "error") -> HttpResponse:
    return _xml(
        f'<OpenRosaResponse xmlns="{RESPONSE_NS}" items="0">'
        f'<message nature="{nature}">{escape(text)}</message></OpenRosaResponse>',
        status=status,
    )


def device_view(view: View) -> View:
    """Finds the device of the token in the address, or answers 403 (unknown and revoked
    alike)."""

    @csrf_exempt
    @wraps(view)
    def wrapped(request: HttpRequest, token: str, *args: Any, **kwargs: Any) -> HttpResponse:
        device = devices.device_for_token(token)
        if device is None:
            return message(
                _(
                    "This device is not (or no longer) allowed to use Madad. Ask your "
                    "coordinator for a new QR code."
                ),
                status=403,
            )
        # every answer, a 405 from the method check included, carries the OpenRosa headers
        return _headers(view(request, device, token, *args, **kwargs))

    return wrapped


def _open_versions(device: Device) -> list[FormVersion]:
    forms = device.forms.filter(state=Form.State.OPEN).order_by("title", "id")
    found = [form.current for form in forms]
    return [v for v in found if v is not None]


def _absolute(request: HttpRequest, route: str, token: str, **kwargs: Any) -> str:
    return request.build_absolute_uri(
        reverse(f"openrosa:{route}", kwargs={"token": token, **kwargs})
    )


@device_view
@require_http_methods(["GET", "HEAD"])
def form_list(request: HttpRequest, device: Device, token: str) -> HttpResponse:
    wanted = request.GET.get("formID")
    rows = []
    for version in _open_versions(device):
        form = version.form
        if wanted and form.form_id != wanted:
            continue
        keys = {"form_id": form.form_id, "version": version.version}
        manifest = (
            f"<manifestUrl>{escape(_absolute(request, 'manifest', token, **keys))}</manifestUrl>"
            if version.media
            else ""
        )
        rows.append(
            "<xform>"
            f"<formID>{escape(form.form_id)}</formID>"
            f"<name>{escape(form.title)}</name>"
            f"<version>{escape(version.version)}</version>"
            f"<hash>md5:{version.md5}</hash>"
            f"<downloadUrl>{escape(_absolute(request, 'form', token, **keys))}</downloadUrl>"
            f"{manifest}</xform>"
        )
    return _xml(f'<xforms xmlns="http://openrosa.org/xforms/xformsList">{"".join(rows)}</xforms>')


def _version(device: Device, form_id: str, version: str) -> FormVersion | None:
    return FormVersion.objects.filter(
        form__in=device.forms.filter(state=Form.State.OPEN), form__form_id=form_id, version=version
    ).first()


@device_view
@require_http_methods(["GET", "HEAD"])
def form_xml(
    request: HttpRequest, device: Device, token: str, form_id: str, version: str
) -> HttpResponse:
    found = _version(device, form_id, version)
    if found is None:
        return message(_("This form is not on the server for this device."), status=404)
    return _headers(HttpResponse(found.xml, content_type="text/xml; charset=utf-8"))


@device_view
@require_http_methods(["GET", "HEAD"])
def manifest(
    request: HttpRequest, device: Device, token: str, form_id: str, version: str
) -> HttpResponse:
    found = _version(device, form_id, version)
    if found is None:
        return message(_("This form is not on the server for this device."), status=404)
    files = []
    for name, text in sorted(found.media.items()):
        url = _absolute(request, "media", token, form_id=form_id, version=version, name=name)
        files.append(
            f"<mediaFile><filename>{escape(name)}</filename>"
            f"<hash>md5:{_md5(text)}</hash><downloadUrl>{escape(url)}</downloadUrl></mediaFile>"
        )
    return _xml(
        f'<manifest xmlns="http://openrosa.org/xforms/xformsManifest">{"".join(files)}</manifest>'
    )


def _md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()  # noqa: S324 (OpenRosa's file hash)


@device_view
@require_http_methods(["GET", "HEAD"])
def media(
    request: HttpRequest, device: Device, token: str, form_id: str, version: str, name: str
) -> HttpResponse:
    found = _version(device, form_id, version)
    if found is None or name not in found.media:
        return message(_("This file is not on the server for this device."), status=404)
    return _headers(HttpResponse(found.media[name].encode(), content_type="text/csv"))


_STATUS = {"bad_xml": 400, "unknown_file": 400, "too_large": 413}
# Collect splits a submission by the bytes of its files; the multipart framing around them
# comes on top of what it was told, so the server takes that much more than it advertises
FRAMING_ALLOWANCE = 1024 * 1024


@device_view
@require_http_methods(["HEAD", "POST"])
def submission(request: HttpRequest, device: Device, token: str) -> HttpResponse:
    if request.method == "HEAD":
        return _headers(HttpResponse(status=204))
    length = int(request.META.get("CONTENT_LENGTH") or 0)
    if length > settings.MADAD_INTAKE_MAX_BYTES + FRAMING_ALLOWANCE:
        return message(
            _("The submission is larger than the server takes in one request (%(mb)s MB).")
            % {"mb": settings.MADAD_INTAKE_MAX_BYTES // (1024 * 1024)},
            status=413,
        )
    try:
        xml_file = request.FILES.get("xml_submission_file")
    except (MultiPartParserError, SuspiciousOperation):
        return message(_("The request is not a readable multipart form."), status=400)
    if xml_file is None:
        return message(_("The request has no xml_submission_file."), status=400)
    xml = xml_file.read()
    files: dict[str, File[Any]] = {}
    for name in request.FILES:
        uploads = request.FILES.getlist(name)
        if name != "xml_submission_file" and len(uploads) == 1:
            files[name] = uploads[0]
        elif name != "xml_submission_file":
            return message(
                _("The request sends the file %(name)s twice.") % {"name": name[:80]}, status=400
            )
    try:
        received = submissions.submission_receive(device=device, xml=xml, files=files)
    except Refused as refusal:
        status = _STATUS.get(refusal.code, 400 if refusal.status == 422 else refusal.status)
        return message(refusal.message, status=status)
    text = (
        _("This submission was already received.")
        if received.repeat
        else _("Thank you: the submission was received.")
    )
    return message(text, status=201, nature="submit_success")
