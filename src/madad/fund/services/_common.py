"""Checks every fund service makes before it writes anything."""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from madad.access.base import can, in_relief_org
from madad.access.roles import Capability
from madad.accounts.models import Organisation, User
from madad.fund.errors import FundRefused

M = TypeVar("M", bound=models.Model)


def editor_organisation(user: User) -> Organisation:
    """The organisation whose books the user keeps, or FundRefused: only finance officers of a
    relief organisation change the fund."""
    if not (can(user, Capability.FUND_EDIT) and in_relief_org(user)):
        raise FundRefused("forbidden", _("Your role cannot change the relief fund."))
    return user.organisation


def own(obj: M | None, organisation: Organisation, field: str) -> M:
    """The object if it is this organisation's; another organisation's is as if it did not
    exist."""
    if obj is None or getattr(obj, "organisation_id", None) != organisation.pk:
        raise ValidationError({field: [_("Choose one of the listed values.")]})
    return obj


def storable(value: str) -> bool:
    if "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def clean_text(value: Any, field: str, *, max_length: int, required: bool = False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError({field: [_("Enter text.")]})
    value = value.strip()
    if not storable(value):
        raise ValidationError(
            {field: [_("Text may not contain NUL characters or unpaired surrogates.")]}
        )
    if required and not value:
        raise ValidationError({field: [_("This field is required.")]})
    if len(value) > max_length:
        raise ValidationError(
            {field: [_("Enter at most %(max)s characters.") % {"max": max_length}]}
        )
    return value


def clean_date(value: Any, field: str, *, allow_future: bool = False) -> dt.date:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ValidationError({field: [_("Enter the date as YYYY-MM-DD.")]}) from None
    if not isinstance(value, dt.date):
        raise ValidationError({field: [_("Enter the date as YYYY-MM-DD.")]})
    if not allow_future and value > timezone.localdate():
        raise ValidationError({field: [_("The date cannot be in the future.")]})
    if value.year < 1990:
        raise ValidationError({field: [_("Enter a date after 1990.")]})
    return value


def field_error(field: str, error: ValidationError) -> ValidationError:
    """A ValidationError without fields, attached to `field`."""
    if hasattr(error, "error_dict"):
        return error
    return ValidationError({field: error.messages})
