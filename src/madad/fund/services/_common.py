"""Checks every fund service makes before it writes anything."""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from django.db import models
from django.utils.translation import gettext as _

from madad.access.base import can, in_relief_org
from madad.access.roles import Capability
from madad.accounts.models import Organisation, User
from madad.core import validation
from madad.core.refusals import WHOLE, Errors, Invalid, NotAllowed, invalid

M = TypeVar("M", bound=models.Model)

# The books start in 1990: a payment or a rate of an earlier day is a typing error.
EARLIEST = dt.date(1990, 1, 1)


def editor_organisation(user: User) -> Organisation:
    """The organisation whose books the user keeps, or NotAllowed: only finance officers of a
    relief organisation change the fund."""
    if not (can(user, Capability.FUND_EDIT) and in_relief_org(user)):
        raise NotAllowed(_("Your role cannot change the relief fund."))
    return user.organisation


def own(obj: M | None, organisation: Organisation, field: str) -> M:
    """The object if it is this organisation's; another organisation's is as if it did not
    exist."""
    if obj is None or getattr(obj, "organisation_id", None) != organisation.pk:
        raise invalid(field, _("Choose one of the listed values."))
    return obj


def clean_text(value: Any, field: str, *, max_length: int, required: bool = False) -> str:
    """One text field by the rules of core.validation, refused at once (Invalid)."""
    errors = Errors()
    text = validation.text(value, field, errors, max_length=max_length, required=required)
    errors.raise_if()
    return text


def clean_date(value: Any, field: str, *, allow_future: bool = False) -> dt.date:
    """One date of the books by the rules of core.validation, refused at once (Invalid)."""
    errors = Errors()
    date = validation.date(
        value, field, errors, required=True, not_future=not allow_future, earliest=EARLIEST
    )
    if date is None:  # required: `errors` holds why
        raise Invalid(fields=errors.fields)
    return date


def field_error(field: str, refusal: Invalid) -> Invalid:
    """A refusal of a value checked without its field's name (currencies), on `field`."""
    return Invalid(
        fields={field if name == WHOLE else name: msgs for name, msgs in refusal.fields.items()}
    )
