from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from madad.core.audit import audit_verify


class Command(BaseCommand):
    help = "Work with the audit trail. `madad audit verify` checks the hash chain."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="Check every event's hash and link; exit 1 on a break.")

    def handle(self, *args: Any, **options: Any) -> None:
        report = audit_verify()
        if report.intact:
            self.stdout.write(f"Audit trail intact: {report.checked} events checked.")
            return
        raise CommandError(
            f"Audit trail broken at event {report.first_broken_id}: {report.reason}. "
            f"{report.checked} events before it are intact."
        )
