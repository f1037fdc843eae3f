"""What an intake item says, read as a proposal the reviewer can confirm or correct.

A submission is shown twice on its page: as it came (`Proposal.fields`, label and value in
the order sent) and as the record it proposes (an incident, or a household with its needs).
Reading never fails on what a phone or a member of the public sent: a code Madad does not
know (a place, a type, an act) is kept as text for the reviewer to see, a field an older
version of a form did not have is simply empty, and a payload that cannot be read at all is
shown as it is.

The payload is encrypted at rest and names victims: `item_proposal` reads it through
``access.reveal``, which audits the read; `read_payload` only parses text already revealed.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any
from xml.etree.ElementTree import Element

from defusedxml import ElementTree as SafeXML
from django.utils.translation import gettext as _

from madad import access
from madad.accounts.models import User
from madad.incidents.models import DatePrecision, IncidentType
from madad.intake.models import IntakeItem
from madad.places.models import Place

INCIDENT = "incident"
HOUSEHOLD = "household"
HOUSEHOLD_FORM_ID = "household_needs"
TITLE_MAX = 200
_URDU_SCRIPT = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF]")
PAYLOAD_VIEWED = "intake.payload.viewed"


@dataclass
class Proposal:
    """The record a submission proposes, in plain values (codes Madad does not know kept as
    text), and the submission as it came (`fields`)."""

    kind: str = INCIDENT
    form_id: str = ""
    readable: bool = True
    fields: list[tuple[str, str]] = field(default_factory=list)
    # an incident
    title: str = ""
    start_date: dt.date | None = None
    precision: str = "day"
    place: Place | None = None
    unknown_places: list[str] = field(default_factory=list)
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    types: list[IncidentType] = field(default_factory=list)
    unknown_types: list[str] = field(default_factory=list)
    description: str = ""
    victims: list[dict[str, Any]] = field(default_factory=list)  # name, act, sex, age
    source_kind: str = ""
    files: list[str] = field(default_factory=list)  # attachments the submission names
    # a household
    head_name: str = ""
    members: list[dict[str, Any]] = field(default_factory=list)  # name, relation, age, sex
    acts_wanted: list[str] = field(default_factory=list)  # Act.Type values
    needs: list[str] = field(default_factory=list)  # assistance Kind values
    address: str = ""
    notes: str = ""
    # a public report's addition
    adds_to_receipt: bool = False


# no form of Madad's nests deeper; a deeper submission is shown as it came
MAX_DEPTH = 32


def item_kind(item: IntakeItem) -> str:
    """Whether the item proposes an incident or a household: by the form it was sent with
    (public reports and imports propose incidents)."""
    version = item.form_version
    if version is not None and version.form.form_id == HOUSEHOLD_FORM_ID:
        return HOUSEHOLD
    return INCIDENT


def item_proposal(*, item: IntakeItem, user: User) -> Proposal:
    """The item's proposal, its payload read through the access policy (audited; 404 for
    an item the user may not see)."""
    payload = access.reveal(user, item, wanted=["payload"], action=PAYLOAD_VIEWED).get(
        "payload", ""
    )
    return read_payload(item, payload or "")


def read_payload(item: IntakeItem, payload: str) -> Proposal:
    """Parses a payload already revealed."""
    if item.source == IntakeItem.Source.DEVICE:
        return _read_xml(payload)
    return _read_public(payload)


def name_fields(name: str) -> dict[str, str]:
    """A name as person fields: Urdu script goes to `full_name_ur`, any other to
    `given_name` (the reviewer splits it into given and family name if they wish)."""
    name = " ".join((name or "").split())
    if not name:
        return {}
    if _URDU_SCRIPT.search(name):
        return {"full_name_ur": name}
    return {"given_name": name}


# --- the public report form ------------------------------------------------------------------
def _read_public(payload: str) -> Proposal:
    try:
        answers = json.loads(payload)
    except ValueError:
        answers = None
    if not isinstance(answers, dict):
        return _unreadable(payload)
    text = _text(answers.get("what"))
    proposal = Proposal(kind=INCIDENT, description=text)
    if answers.get("adds_to_receipt"):
        proposal.adds_to_receipt = True
        proposal.fields = [(_("More information"), text)]
        return proposal
    proposal.title = _title_from(text)
    proposal.start_date = _date(answers.get("when"))
    place_code = _text(answers.get("place"))
    proposal.place, proposal.unknown_places = _places([place_code])
    type_codes = [_text(c) for c in answers.get("types") or [] if _text(c)]
    proposal.types, proposal.unknown_types = _types(type_codes)
    proposal.fields = [
        (_("What happened"), text),
        (_("When"), _text(answers.get("when"))),
        (_("District or town"), _place_text(proposal.place, place_code)),
        (_("Where"), _text(answers.get("where"))),
        (_("What kind of incident"), _types_text(proposal.types, proposal.unknown_types)),
        (_("Contact given"), _text(answers.get("contact"))),
    ]
    return proposal


# --- field forms (XForm instances) -----------------------------------------------------------
def _local(tag: Any) -> str:
    return str(tag).rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _child(element: Element, name: str) -> str:
    for child in element:
        if _local(child.tag) == name:
            return _text(child.text)
    return ""


def _children(element: Element, name: str) -> list[Element]:
    return [child for child in element if _local(child.tag) == name]


def _read_xml(payload: str) -> Proposal:
    try:
        root = SafeXML.fromstring(payload.encode("utf-8"))
    except Exception:  # malformed XML, entities (refused by defusedxml): shown as it came
        return _unreadable(payload)
    if _depth(root) > MAX_DEPTH:  # received before the limit, or by another door
        return _unreadable(payload)
    form_id = root.get("id") or _local(root.tag)
    if form_id == HOUSEHOLD_FORM_ID or _local(root.tag) == HOUSEHOLD_FORM_ID:
        proposal = _household(root)
    else:
        proposal = _incident(root)
    proposal.form_id = form_id
    proposal.fields = _as_sent(root)
    return proposal


def _depth(root: Element) -> int:
    deepest, stack = 0, [(root, 1)]
    while stack:
        element, depth = stack.pop()
        deepest = max(deepest, depth)
        if depth <= MAX_DEPTH:
            stack.extend((child, depth + 1) for child in element)
    return deepest


def _incident(root: Element) -> Proposal:
    precision = _child(root, "date_precision")
    codes = [_child(root, name) for name in ("neighbourhood", "town", "district")]
    place, unknown = _places(codes)
    types, unknown_types = _types(_child(root, "types").split())
    latitude, longitude = _point(_child(root, "location"))
    description = _child(root, "description")
    title = _child(root, "title") or _title_from(description)
    victims = [
        {
            "name": _child(victim, "victim_name"),
            "act": _child(victim, "act"),
            "sex": _child(victim, "sex"),
            "age": _age(_child(victim, "age")),
        }
        for victim in _children(root, "victim")
    ]
    return Proposal(
        kind=INCIDENT,
        title=title[:TITLE_MAX],
        start_date=_date(_child(root, "incident_date")),
        precision=precision if precision in DatePrecision.values else DatePrecision.DAY,
        place=place,
        unknown_places=unknown,
        latitude=latitude,
        longitude=longitude,
        types=types,
        unknown_types=unknown_types,
        description=description,
        victims=[v for v in victims if v["name"] or v["act"]],
        source_kind=_child(root, "source"),
        files=[name for name in (_child(root, "photo"), _child(root, "audio")) if name],
    )


def _household(root: Element) -> Proposal:
    codes = [_child(root, name) for name in ("neighbourhood", "town", "district")]
    place, unknown = _places(codes)
    members = [
        {
            "name": _child(member, "member_name"),
            "relation": _child(member, "relation"),
            "age": _age(_child(member, "age")),
            "sex": _child(member, "sex"),
        }
        for member in _children(root, "member")
    ]
    return Proposal(
        kind=HOUSEHOLD,
        head_name=_child(root, "head_name"),
        members=[m for m in members if m["name"]],
        acts_wanted=_child(root, "what_hit").split(),
        needs=_child(root, "needs").split(),
        address=_child(root, "address"),
        place=place,
        unknown_places=unknown,
        notes=_child(root, "notes"),
    )


def _labels() -> dict[str, str]:
    return {
        "incident_date": _("Date"),
        "date_precision": _("How exact the date is"),
        "district": _("District"),
        "town": _("Town"),
        "neighbourhood": _("Neighbourhood"),
        "location": _("Location (GPS)"),
        "types": _("Type of incident"),
        "title": _("Title"),
        "description": _("Description"),
        "victim_name": _("Name"),
        "act": _("What happened"),
        "sex": _("Sex"),
        "age": _("Age"),
        "source": _("Source"),
        "photo": _("Photo"),
        "audio": _("Audio recording"),
        "head_name": _("Head of household"),
        "address": _("Address"),
        "member_name": _("Name"),
        "relation": _("Relation to the head"),
        "what_hit": _("What hit the household"),
        "needs": _("Needs"),
        "notes": _("Notes"),
    }


def _as_sent(root: Element) -> list[tuple[str, str]]:
    """Every answer in the order sent; a repeated group's answers carry its number."""
    labels = _labels()
    groups = {"victim": _("Victim %(n)s"), "member": _("Member %(n)s")}
    seen: dict[str, int] = {}
    found: list[tuple[str, str]] = []

    def walk(element: Element, prefix: str) -> None:
        for child in element:
            name = _local(child.tag)
            if name == "meta":
                continue
            if len(child):
                if name in groups:
                    seen[name] = seen.get(name, 0) + 1
                    walk(child, groups[name] % {"n": seen[name]} + ": ")
                else:
                    walk(child, prefix)
                continue
            found.append((prefix + labels.get(name, name), _text(child.text)))

    walk(root, "")
    return found


# --- values ----------------------------------------------------------------------------------
def _unreadable(payload: str) -> Proposal:
    return Proposal(readable=False, fields=[(_("Submission as received"), payload)])


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _title_from(text: str) -> str:
    first = text.strip().splitlines()[0] if text.strip() else ""
    if len(first) <= 80:
        return first
    cut = first[:80].rsplit(" ", 1)[0]
    return f"{cut}…"


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(_text(value)[:10])
    except ValueError:
        return None


def _age(value: str) -> int | None:
    digits = value.strip()
    if digits.isdecimal() and digits.isascii() and 0 <= int(digits) <= 130:
        return int(digits)
    return None


def _point(value: str) -> tuple[Decimal | None, Decimal | None]:
    parts = value.split()
    if len(parts) < 2:
        return None, None
    try:
        lat, lon = Decimal(parts[0]), Decimal(parts[1])
    except InvalidOperation:
        return None, None
    if not (lat.is_finite() and lon.is_finite() and -90 <= lat <= 90 and -180 <= lon <= 180):
        return None, None
    step = Decimal("0.00001")
    return lat.quantize(step), lon.quantize(step)


def _places(codes: list[str]) -> tuple[Place | None, list[str]]:
    """The first of the codes (most precise first) that names a place, and those that name
    none."""
    wanted = [c for c in codes if c]
    known = {p.code: p for p in Place.objects.filter(code__in=wanted).select_related("parent")}
    unknown = [c for c in wanted if c not in known]
    for code in wanted:
        if code in known and known[code].level != Place.Level.CITY:
            return known[code], unknown
    return None, unknown


def _types(codes: list[str]) -> tuple[list[IncidentType], list[str]]:
    known = {t.code: t for t in IncidentType.objects.filter(code__in=codes)}
    return [known[c] for c in dict.fromkeys(codes) if c in known], [
        c for c in dict.fromkeys(codes) if c not in known
    ]


def _place_text(place: Place | None, code: str) -> str:
    if place is not None:
        return place.name
    return code


def _types_text(types: list[IncidentType], unknown: list[str]) -> str:
    return ", ".join([t.label for t in types] + unknown)
