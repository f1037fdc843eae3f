"""Which organisation a command works for."""

from __future__ import annotations

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from madad.accounts.models import Organisation


def organisation_named(name: str | None) -> Organisation:
    """The named organisation, or the only relief organisation when none is named."""
    if name:
        found = Organisation.objects.filter(name=name).first()
        if found is None:
            raise CommandError(_("No organisation is named that."))
        return found
    relief = list(Organisation.objects.filter(kind=Organisation.Kind.RELIEF)[:2])
    if len(relief) != 1:
        raise CommandError(_("Name the organisation with --organisation."))
    return relief[0]


def add_organisation_argument(parser: CommandParser) -> None:
    parser.add_argument(
        "--organisation",
        help="The organisation's name, if there are several relief organisations.",
    )
