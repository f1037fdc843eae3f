"""A grantee takes a granted record away, stamped with their name, the grant, the time and the
download's identifier (madad.sharing.watermark), so that a leaked copy names its source.

A testimony, an incident or a case summary becomes a PDF of the fields the grant opens (people
only by their pseudonym within the grant; a case's dates as their month, its counts); an
evidence file that is an image or a PDF is served stamped. Audio and video are not served: they
cannot be stamped. Every download is kept (services.download_record) with its identifier, and
audited.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from madad import access
from madad.access.sharing import is_grantee
from madad.cases.models import Case
from madad.core.http import AuthedRequest
from madad.core.refusals import Refused
from madad.evidence import services as evidence_services
from madad.incidents.models import Incident, format_partial_date
from madad.sharing import services, watermark
from madad.sharing.grantee import (
    DOWNLOADABLE_IMAGES,
    case_summary,
    general_place,
    month_of,
    people_by_record,
    summary_rows,
)
from madad.sharing.models import GrantDownload, GrantedRecord
from madad.testimonies.models import Language

PDF = "application/pdf"


class _Unreadable(Exception):
    """The file could not be stamped; the download it was made for is undone."""


def _refused(
    request: AuthedRequest, granted: GrantedRecord, message: str, status: int
) -> HttpResponse:
    return render(
        request,
        "sharing/download_refused.html",
        {"granted": granted, "message": message},
        status=status,
    )


def _stamp_lines(
    request: AuthedRequest, granted: GrantedRecord, download: GrantDownload
) -> list[str]:
    user = request.user
    at = download.at.astimezone(dt.UTC)
    return [
        f"{user.full_name} · {user.organisation.name}",
        f"Grant #{granted.grant_id}",
        at.strftime("%Y-%m-%d %H:%M UTC"),
        f"Download {download.identifier}",
    ]


def _text(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value) or "—"
    return str(value)


def _month(value: dt.datetime | None) -> str:
    month = month_of(value)
    return date_format(month, "YEAR_MONTH_FORMAT") if month is not None else "—"


def _case_rows(granted: GrantedRecord, values: dict[str, Any]) -> list[tuple[str, str]]:
    """A case summary's rows: status, months, and the counts read from its id."""
    status = str(values.get("status", ""))
    rows = [
        (_("Status"), _text(dict(Case.Status.choices).get(status, status))),
        (_("Opened"), _month(values.get("opened_at"))),
        (_("Closed"), _month(values.get("closed_at"))),
    ]
    if granted.case_id is None:  # the database's check constraint makes this impossible
        return rows
    counts = summary_rows(case_summary(granted.case_id))
    for part, heading in (
        ("assistance", _("Assistance approved or delivered")),
        ("referrals", _("Referrals to other services")),
        ("claims", _("Government compensation claims")),
    ):
        rows.append((heading, _text([f"{label}: {count}" for label, count in counts[part]])))
    return rows


def _record_document(granted: GrantedRecord, values: dict[str, Any]) -> bytes:
    """The testimony, incident or case summary as PDF, from the revealed values only (and a
    case's counts)."""
    people = people_by_record(granted.grant).get(granted.pk, [])
    rows: list[tuple[str, str]] = [
        (_("Grant"), f"#{granted.grant_id}"),
        (_("Record"), f"#{granted.pk}"),
    ]
    if granted.kind == GrantedRecord.Kind.TESTIMONY:
        title = _("Testimony")
        rows.append((_("Date"), _text(values.get("date"))))
        language = str(values.get("language", ""))
        rows.append((_("Language"), _text(dict(Language.choices).get(language, language))))
        rows.append((_("Given by"), _text(people)))
        text = values.get("transcript", "")
    elif granted.kind == GrantedRecord.Kind.CASE:
        title = _("Case summary")
        rows += _case_rows(granted, values)
        rows.append((_("Family"), _text(people)))
        text = ""
    else:
        title = _("Incident")
        if "start_date" in values:
            when = format_partial_date(values["start_date"], values.get("start_precision", "day"))
            rows.append((_("When"), _text(when)))
        rows.append((_("Place"), _text(general_place(values.get("place")))))
        rows.append((_("Kinds"), _text([kind.label for kind in values.get("types", [])])))
        status = str(values.get("status", ""))
        rows.append((_("Status"), _text(dict(Incident.Status.choices).get(status, status))))
        rows.append((_("People"), _text(people)))
        rows.append((_("Summary"), _text(values.get("public_summary"))))
        text = values.get("description", "")
    return watermark.record_pdf(str(title), rows, text or "")


def _evidence_bytes(request: AuthedRequest, granted: GrantedRecord) -> bytes:
    """The evidence file's stored bytes, verified against the hash taken at upload (a
    mismatch is refused and recorded in its custody log)."""
    evidence = granted.evidence
    if evidence is None:  # the database's check constraint makes this impossible
        raise Http404
    # the copy made to leave the organisation: verified, then without its metadata (EXIF, GPS,
    # camera), entered in the custody log as exported
    served = evidence_services.evidence_export_copy(evidence=evidence, user=request.user)
    with served.file as copy:
        return copy.read()


@require_GET
@login_required
def record_download(request: AuthedRequest, record_id: int) -> HttpResponse:
    user = request.user
    granted = access.get_visible_or_404(user, GrantedRecord, pk=record_id)
    if not is_grantee(user):  # the grant's own coordinators read it on their pages
        raise Http404
    grant = granted.grant
    if not grant.downloads_allowed:
        return _refused(request, granted, _("This grant does not allow downloads."), 403)
    values = access.reveal_granted(user, granted)
    original = b""
    if granted.kind == GrantedRecord.Kind.EVIDENCE:
        content_type = values.get("content_type", "")
        if content_type not in DOWNLOADABLE_IMAGES:
            message = _(
                "Only images can be downloaded from a grant's evidence: Madad cannot reliably "
                "remove the hidden metadata (author, device, location) of documents, sound or "
                "video, and they cannot carry the stamp that names who took them."
            )
            return _refused(request, granted, message, 403)
        try:
            original = _evidence_bytes(request, granted)
        except Refused as refusal:
            return _refused(request, granted, refusal.message, refusal.status)
    else:
        content_type = PDF
        original = _record_document(granted, values)
    try:
        with transaction.atomic():
            download = services.download_record(granted=granted, user=user)
            lines = _stamp_lines(request, granted, download)
            identifier = str(download.identifier)
            try:
                if content_type == PDF:
                    data = watermark.stamp_pdf(original, lines=lines, identifier=identifier)
                else:
                    data, content_type = watermark.stamp_image(
                        original, lines=lines, identifier=identifier
                    )
            except ValueError as exc:
                raise _Unreadable from exc
    except Refused as refusal:
        return _refused(request, granted, refusal.message, refusal.status)
    except _Unreadable:
        message = _(
            "This file could not be read to stamp it, so it was not served. Tell the "
            "organisation that shared it."
        )
        return _refused(request, granted, message, 422)
    extension = (
        ".pdf" if content_type == PDF else (".png" if content_type == "image/png" else ".jpg")
    )
    response = HttpResponse(data, content_type=content_type)
    # a neutral name: no person, no place, nothing but the grant and the record
    name = f"grant-{grant.pk}-record-{granted.pk}{extension}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    patch_cache_control(response, no_store=True, private=True)
    return response
