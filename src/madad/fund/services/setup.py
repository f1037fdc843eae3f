"""Setting up the books: earmarks, and the bank and cash accounts money is kept in."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from madad.accounts.models import Organisation, User
from madad.assistance.models import Kind as AssistanceKind
from madad.core.audit import audit_record
from madad.core.refusals import Invalid, invalid
from madad.fund.currencies import check_currency
from madad.fund.models import Account, Earmark
from madad.fund.services._common import clean_text, editor_organisation, field_error

GENERAL_CODE = "general"


def earmark_general(*, organisation: Organisation) -> Earmark:
    """The organisation's general fund (created on first use): money given without a
    programme, which may pay any kind of assistance."""
    earmark, _created = Earmark.objects.get_or_create(
        organisation=organisation,
        is_general=True,
        defaults={"code": GENERAL_CODE, "name": "General fund", "name_ur": "عمومی فنڈ"},
    )
    return earmark


def earmark_create(
    *, created_by: User, name: str, name_ur: str = "", code: str = "", kinds: Iterable[str] = ()
) -> Earmark:
    """A programme donors may give to, paying only the listed kinds of assistance. Names are
    unique within the organisation; nothing is written on bad input."""
    organisation = editor_organisation(created_by)
    name = clean_text(name, "name", max_length=100, required=True)
    name_ur = clean_text(name_ur, "name_ur", max_length=100)
    code = slugify(clean_text(code, "code", max_length=40) or name)[:40]
    if not code:
        raise invalid("code", _("Give the programme a code of letters and digits."))
    kinds = sorted(set(kinds))
    unknown = [k for k in kinds if k not in AssistanceKind.values]
    if unknown or not kinds:
        raise invalid("kinds", _("Choose at least one kind of assistance the programme pays for."))
    if Earmark.objects.filter(organisation=organisation, code=code).exists():
        raise invalid("code", _("Another earmark already has this code."))
    try:
        with transaction.atomic():
            earmark_general(organisation=organisation)
            earmark = Earmark.objects.create(
                organisation=organisation, code=code, name=name, name_ur=name_ur, kinds=kinds
            )
            audit_record(
                action="fund.earmark.created",
                actor=created_by,
                obj=earmark,
                fields=["code", "name", "name_ur", "kinds"],
            )
    except IntegrityError:
        raise invalid("code", _("Another earmark already has this code.")) from None
    return earmark


def account_open(*, opened_by: User, kind: str, name: str, currency: str) -> Account:
    """A bank or cash account holding one currency. Names are unique within the
    organisation."""
    organisation = editor_organisation(opened_by)
    if kind not in Account.MONEY_KINDS:
        raise invalid("kind", _("Choose bank or cash."))
    name = clean_text(name, "name", max_length=100, required=True)
    if name.lower().startswith("system:"):
        raise invalid("name", _("Choose another name."))
    try:
        currency = check_currency(currency)
    except Invalid as exc:
        raise field_error("currency", exc) from None
    if Account.objects.filter(organisation=organisation, name=name).exists():
        raise invalid("name", _("Another account already has this name."))
    try:
        with transaction.atomic():
            account = Account.objects.create(
                organisation=organisation, kind=kind, name=name, currency=currency
            )
            audit_record(
                action="fund.account.opened",
                actor=opened_by,
                obj=account,
                fields=["kind", "name", "currency"],
            )
    except IntegrityError:
        raise invalid("name", _("Another account already has this name.")) from None
    return account
