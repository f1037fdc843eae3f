"""The public report form's half of intake: an anonymous report lands in the inbox, with a
receipt code its reporter can use to add to it later.

Nothing is kept that tells who sent it: no address (the audit event of a report carries none),
no account, no cookie. The receipt code is shown once and kept only as a keyed hash.
"""

from __future__ import annotations

import json
import secrets
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from madad.accounts.models import Organisation
from madad.core import request_context, validation
from madad.core.audit import audit_record
from madad.core.crypto import blind_index
from madad.core.refusals import Conflict, Errors, Invalid
from madad.incidents.models import IncidentType
from madad.intake.models import IntakeItem
from madad.places.models import Place

WHAT_MAX = 5000
WHERE_MAX = 300
CONTACT_MAX = 200
# no 0/O, 1/I/L: a code read aloud over a phone survives
RECEIPT_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
RECEIPT_GROUPS = 4
RECEIPT_GROUP = 4
RECEIPT_PURPOSE = "intake-receipt"


@dataclass(frozen=True)
class Receipt:
    item: IntakeItem
    code: str  # shown to the reporter once; only its keyed hash is kept


def public_organisation() -> Organisation | None:
    """The organisation that receives public reports: the one relief organisation."""
    organisations = list(Organisation.objects.filter(kind=Organisation.Kind.RELIEF)[:2])
    return organisations[0] if len(organisations) == 1 else None


def new_receipt_code() -> str:
    groups = [
        "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_GROUP))
        for _ in range(RECEIPT_GROUPS)
    ]
    return "-".join(groups)


def normalise_receipt(code: str) -> str:
    """The code as typed, folded: case, spaces and dashes do not matter; digits in any script."""
    folded = validation.ascii_digits(code or "").upper()
    kept = "".join(ch for ch in folded if ch.isalnum())
    return "-".join(kept[i : i + RECEIPT_GROUP] for i in range(0, len(kept), RECEIPT_GROUP))


def _receipt_key(code: str) -> str:
    return blind_index(normalise_receipt(code), purpose=RECEIPT_PURPOSE)


def _clean_report(data: dict[str, Any]) -> dict[str, Any]:
    errors = Errors()
    what = validation.text(
        data.get("what"), "what", errors, max_length=WHAT_MAX, required=True, multiline=True
    )
    when = validation.date(data.get("when"), "when", errors, not_future=True)
    where = validation.text(data.get("where"), "where", errors, max_length=WHERE_MAX)
    contact = validation.text(data.get("contact"), "contact", errors, max_length=CONTACT_MAX)
    place_code = ""
    place = str(data.get("place") or "")
    if place:
        found = (
            Place.objects.filter(pk=int(place)).exclude(level=Place.Level.CITY).first()
            if place.isascii() and place.isdigit() and len(place) < 12
            else None
        )
        if found is None:
            errors.add("place", _("Choose a district or town from the list."))
        else:
            place_code = found.code
    type_codes = [str(code) for code in data.get("types") or []]
    known = set(IncidentType.objects.filter(active=True).values_list("code", flat=True))
    if any(code not in known for code in type_codes):
        errors.add("types", _("Choose what happened from the list."))
    errors.raise_if()
    return {
        "what": what,
        "when": when.isoformat() if when else "",
        "place": place_code,
        "where": where,
        "types": sorted(set(type_codes)),
        "contact": contact,
    }


def _create(organisation: Organisation, answers: dict[str, Any], **extra: Any) -> IntakeItem:
    payload = json.dumps(answers, ensure_ascii=False, sort_keys=True)
    # the report's audit event says what happened, never from where: no address is kept
    with request_context.bound(ip=None), transaction.atomic():
        item = IntakeItem.objects.create(
            organisation=organisation,
            source=IntakeItem.Source.PUBLIC,
            instance_id=f"public:{uuid.uuid4()}",
            payload=payload,
            received_sha256="",
            status=IntakeItem.Status.NEW,
            received_at=timezone.now(),
            **extra,
        )
        audit_record(
            action="intake.public.received",
            actor=None,
            actor_label="public report form",
            organisation=organisation,
            obj=item,
            fields=sorted(k for k, v in answers.items() if v),
        )
    return item


def public_report_receive(
    data: dict[str, Any], *, organisation: Organisation | None = None
) -> Receipt:
    """Stores an anonymous report from the public form (fields: what, when, place, where,
    types, contact) as a new intake item of `organisation` (by default the one relief
    organisation); returns it with its receipt code. `Invalid` by field, and nothing stored,
    when the answers are wrong."""
    organisation = organisation or public_organisation()
    if organisation is None:
        raise Conflict(_("Reports cannot be received here at the moment."), code="no_receiver")
    answers = _clean_report(data)
    code = new_receipt_code()
    item = _create(organisation, answers, receipt_key=_receipt_key(code))
    return Receipt(item=item, code=code)


def public_report_add(*, receipt: str, what: str) -> IntakeItem:
    """Adds information to an earlier report, found by its receipt code: a new intake item
    that follows it. A wrong code is refused with the same answer whether or not it exists."""
    errors = Errors()
    text = validation.text(what, "what", errors, max_length=WHAT_MAX, required=True, multiline=True)
    errors.raise_if()
    key = _receipt_key(receipt) if normalise_receipt(receipt) else ""
    original = (
        IntakeItem.objects.filter(receipt_key=key, follows__isnull=True).first() if key else None
    )
    if original is None:
        raise Invalid(
            fields={"receipt": [_("No report has this receipt code. Check it and try again.")]}
        )
    return _create(
        original.organisation,
        {"what": text, "adds_to_receipt": True},
        follows=original,
    )
