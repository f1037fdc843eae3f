from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from madad.sharing.services import grants_close_expired


class Command(BaseCommand):
    help = (
        "Access grants to other organisations. `madad sharing close-expired` ends every "
        "approved grant whose last day has passed (run daily)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("close-expired", help="End the approved grants whose last day has passed.")

    def handle(self, *args: Any, **options: Any) -> None:
        ended = grants_close_expired()
        for grant in ended:
            self.stdout.write(
                f"Ended grant #{grant.pk} to {grant.grantee.name} "
                f"(last day {grant.valid_until.isoformat()})."
            )
        if len(ended) == 1:
            self.stdout.write("1 grant ended.")
        else:
            self.stdout.write(f"{len(ended)} grants ended.")
