from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from madad.accounts import services
from madad.accounts.management.commands.users import refusal
from madad.accounts.models import Organisation
from madad.core.refusals import Refused


class Command(BaseCommand):
    help = (
        "Organisations. `madad organisations create` adds the relief organisation that runs "
        "Madad (kind relief) or a partner."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Add an organisation.")
        create.add_argument("--name", required=True)
        create.add_argument("--kind", required=True, choices=Organisation.Kind.values)
        create.add_argument("--name-ur", default="", help="The name in Urdu script.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            organisation = services.organisation_create(
                name=options["name"], kind=options["kind"], name_ur=options["name_ur"]
            )
        except Refused as refused:
            raise refusal(refused) from None
        self.stdout.write(f"Created {organisation.name} ({organisation.kind}).")
