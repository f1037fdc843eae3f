"""XLSForms: reading one a coordinator uploads into an XForm (pyxform, no Java), and writing
the two forms Madad ships — *Incident report* and *Household needs assessment* — from Madad's
own vocabularies, in English and Urdu, so that a change there reaches the next version.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from defusedxml import ElementTree
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from pyxform.errors import PyXFormError
from pyxform.xls2xform import convert

from madad.assistance.models import Kind as AssistanceKind
from madad.core.refusals import invalid
from madad.households.models import Member
from madad.incidents.models import Act, DatePrecision, IncidentType, Source
from madad.intake.models import FORM_ID_MAX, VERSION_MAX
from madad.people.models import Sex
from madad.places.models import Place

EN = "label::English (en)"
UR = "label::Urdu (ur)"
XLSFORM_MAX_BYTES = 5 * 1024 * 1024
_FORM_ID = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
# a version is part of the form's address (forms/<id>/<version>/form.xml)
_VERSION = re.compile(r"^[A-Za-z0-9_.-]+$")
NEIGHBOURHOODS = "neighbourhoods.csv"

INCIDENT_FORM = "incident_report"
HOUSEHOLD_FORM = "household_needs"


@dataclass(frozen=True)
class Converted:
    form_id: str
    title: str
    version: str
    xml: str
    md5: str
    encrypted: bool
    media: dict[str, str] = field(default_factory=dict)


def _md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()  # noqa: S324 (OpenRosa's form hash)


def convert_xlsform(data: bytes, *, media: dict[str, str] | None = None) -> Converted:
    """The XForm of an XLSForm's bytes; `Invalid` on field "xlsform" with pyxform's message
    when it is not a form pyxform accepts, or has no id or version Madad can keep."""
    if len(data) > XLSFORM_MAX_BYTES:
        raise invalid("xlsform", _("The XLSForm is larger than 5 MB."))
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise invalid("xlsform", _("This is not an XLSForm (.xlsx) file."))
    try:
        result = convert(xlsform=io.BytesIO(data), file_type=".xlsx")
    except PyXFormError as exc:
        raise invalid(
            "xlsform", _("The XLSForm cannot be read: %(error)s") % {"error": exc}
        ) from exc
    except Exception as exc:  # a file that is no workbook at all (zip, xml, openpyxl errors)
        raise invalid(
            "xlsform", _("This is not an XLSForm (.xlsx) file: %(error)s") % {"error": exc}
        ) from exc
    xml = result.xform
    root = ElementTree.fromstring(xml.encode())
    instance = root.find(".//{http://www.w3.org/2002/xforms}instance")
    data_node = next(iter(instance), None) if instance is not None else None
    title_node = root.find(".//{http://www.w3.org/1999/xhtml}title")
    if data_node is None:
        raise invalid("xlsform", _("The form has no main instance."))
    form_id = data_node.get("id", "")
    version = data_node.get("version", "")
    if not _FORM_ID.match(form_id) or len(form_id) > FORM_ID_MAX:
        raise invalid(
            "xlsform",
            _(
                "The form id (settings sheet, form_id) must be letters, digits, _ . or - "
                "and at most %(max)s long."
            )
            % {"max": FORM_ID_MAX},
        )
    if not _VERSION.match(version) or len(version) > VERSION_MAX:
        raise invalid(
            "xlsform",
            _(
                "The form needs a version (settings sheet, version) of letters, digits, _ . "
                "or - and at most %(max)s characters."
            )
            % {"max": VERSION_MAX},
        )
    encrypted = root.find(".//{http://www.w3.org/2002/xforms}submission[@base64RsaPublicKey]")
    return Converted(
        form_id=form_id,
        title=(title_node.text or form_id) if title_node is not None else form_id,
        version=version,
        xml=xml,
        md5=_md5(xml),
        encrypted=encrypted is not None,
        media=dict(media or {}),
    )


# --- The shipped forms ------------------------------------------------------------------------


def _both(label: Any) -> dict[str, str]:
    """A lazy label in English and in Urdu."""
    with translation.override("en"):
        en = str(label)
    with translation.override("ur"):
        ur = str(label)
    return {EN: en, UR: ur}


def _choices_of(list_name: str, choices: Iterable[tuple[str, Any]]) -> list[dict[str, str]]:
    return [{"list_name": list_name, "name": value, **_both(label)} for value, label in choices]


def _places(level: str) -> list[Place]:
    return list(Place.objects.filter(level=level).select_related("parent").order_by("name"))


def _place_choices() -> list[dict[str, str]]:
    rows = [
        {"list_name": "district", "name": p.code, EN: p.name, UR: p.name_ur or p.name}
        for p in _places(Place.Level.DISTRICT)
    ]
    rows += [
        {
            "list_name": "town",
            "name": p.code,
            EN: p.name,
            UR: p.name_ur or p.name,
            "district": p.parent.code if p.parent else "",
        }
        for p in _places(Place.Level.TOWN)
    ]
    return rows


def neighbourhoods_csv() -> str:
    """The neighbourhoods as the media CSV `select_one_from_file` reads, filtered by town."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["name", "label", EN, UR, "town"])
    for p in _places(Place.Level.NEIGHBOURHOOD):
        town = p.parent.code if p.parent else ""
        writer.writerow([p.code, p.name, p.name, p.name_ur or p.name, town])
    return out.getvalue()


def _row(kind: str, name: str, label: Any, **extra: Any) -> dict[str, Any]:
    return {"type": kind, "name": name, **_both(label), **extra}


def _place_rows() -> list[dict[str, Any]]:
    return [
        _row("select_one district", "district", _("District"), required="yes"),
        _row("select_one town", "town", _("Town"), choice_filter="district=${district}"),
        _row(
            f"select_one_from_file {NEIGHBOURHOODS}",
            "neighbourhood",
            _("Neighbourhood or union council"),
            choice_filter="town=${town}",
        ),
    ]


def _incident_survey() -> list[dict[str, Any]]:
    return [
        _row(
            "date",
            "incident_date",
            _("When did it happen?"),
            required="yes",
            constraint=". <= today()",
        ),
        _row(
            "select_one date_precision",
            "date_precision",
            _("How sure is the date?"),
            required="yes",
            default="day",
        ),
        *_place_rows(),
        _row("geopoint", "location", _("Where exactly (optional)")),
        _row("select_multiple incident_type", "types", _("What kind of incident?"), required="yes"),
        _row("text", "title", _("In a few words, what happened?"), required="yes"),
        _row("text", "description", _("What happened, in full"), appearance="multiline"),
        _row("begin_repeat", "victim", _("People it happened to")),
        _row("text", "victim_name", _("Name (in English or Urdu script)")),
        _row("select_one act", "act", _("What happened to them?"), required="yes"),
        _row("select_one sex", "sex", _("Sex")),
        _row("integer", "age", _("Age"), constraint=". >= 0 and . <= 120"),
        {"type": "end_repeat", "name": "victim"},
        _row("select_one source_kind", "source", _("How do you know?")),
        _row("image", "photo", _("Photo")),
        _row("audio", "audio", _("Audio recording")),
    ]


def _incident_choices() -> list[dict[str, str]]:
    types = [
        {"list_name": "incident_type", "name": t.code, EN: t.name, UR: t.name_ur or t.name}
        for t in IncidentType.objects.filter(active=True).order_by("position", "name")
    ]
    return [
        *_choices_of("date_precision", DatePrecision.choices),
        *_place_choices(),
        *types,
        *_choices_of("act", Act.Type.choices),
        *_choices_of("sex", Sex.choices),
        *_choices_of("source_kind", Source.Kind.choices),
    ]


def _household_survey() -> list[dict[str, Any]]:
    return [
        _row("text", "head_name", _("Name of the head of the household"), required="yes"),
        *_place_rows(),
        _row("text", "address", _("Address")),
        _row("begin_repeat", "member", _("Other members of the household")),
        _row("text", "member_name", _("Name (in English or Urdu script)")),
        _row("select_one relation", "relation", _("Relation to the head"), required="yes"),
        _row("integer", "age", _("Age"), constraint=". >= 0 and . <= 120"),
        _row("select_one sex", "sex", _("Sex")),
        {"type": "end_repeat", "name": "member"},
        _row(
            "select_multiple act", "what_hit", _("What happened to the household?"), required="yes"
        ),
        _row("select_multiple need", "needs", _("What does the household need?")),
        _row("text", "notes", _("Notes"), appearance="multiline"),
    ]


def _household_choices() -> list[dict[str, str]]:
    relations = [(v, label) for v, label in Member.Relation.choices if v != Member.Relation.HEAD]
    return [
        *_place_choices(),
        *_choices_of("relation", relations),
        *_choices_of("sex", Sex.choices),
        *_choices_of("act", Act.Type.choices),
        *_choices_of("need", AssistanceKind.choices),
    ]


def _sheet(book: Workbook, title: str, rows: list[dict[str, Any]], first: bool = False) -> None:
    sheet = book.active if first and book.active is not None else book.create_sheet()
    sheet.title = title
    columns: list[str] = []
    for row in rows:
        columns += [c for c in row if c not in columns]
    sheet.append(columns)
    for row in rows:
        sheet.append([row.get(c, "") for c in columns])


@dataclass(frozen=True)
class Shipped:
    form_id: str
    xlsform: bytes
    media: dict[str, str]
    digest: str  # of the content, whatever the version: the same content is not a new version


def shipped(form_id: str, *, version_prefix: str, public_key: str | None) -> Shipped:
    """One of the shipped forms as an XLSForm, with the vocabularies as they are now. Its
    version is `version_prefix` and a digest of its content."""
    if form_id == INCIDENT_FORM:
        survey, choices, title = (
            _incident_survey(),
            _incident_choices(),
            _both(_("Incident report")),
        )
    elif form_id == HOUSEHOLD_FORM:
        survey, choices = _household_survey(), _household_choices()
        title = _both(_("Household needs assessment"))
    else:
        raise ValueError(form_id)
    media = {NEIGHBOURHOODS: neighbourhoods_csv()}
    content = json.dumps([survey, choices, media, public_key], sort_keys=True, ensure_ascii=False)
    digest = hashlib.sha256(content.encode()).hexdigest()[:10]
    settings_row = {
        "form_title": title[EN],
        "form_id": form_id,
        "name": form_id,
        "version": f"{version_prefix}-{digest}",
        "default_language": "English (en)",
        "instance_name": "concat(${incident_date}, ' ', ${district})"
        if form_id == INCIDENT_FORM
        else "concat(${district}, ' ', ${head_name})",
    }
    if public_key:
        settings_row["public_key"] = public_key
    book = Workbook()
    _sheet(book, "survey", survey, first=True)
    _sheet(book, "choices", choices)
    _sheet(book, "settings", [settings_row])
    out = io.BytesIO()
    book.save(out)
    return Shipped(form_id=form_id, xlsform=out.getvalue(), media=media, digest=digest)
