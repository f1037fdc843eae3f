from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from madad.core.keys import keys_rotate


class Command(BaseCommand):
    help = (
        "Field-encryption keys. `madad keys rotate` re-encrypts every sensitive value with the "
        "first key in MADAD_FIELD_KEYS; keep the old keys listed after it until this finishes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        rotate = sub.add_parser("rotate", help="Re-encrypt everything with the current key.")
        rotate.add_argument("--batch-size", type=int, default=500)
        sub.add_parser("generate", help="Print a new random field key.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "generate":
            from cryptography.fernet import Fernet

            self.stdout.write(Fernet.generate_key().decode())
            return
        report = keys_rotate(batch_size=options["batch_size"])
        self.stdout.write(
            f"Re-encrypted {report.values_rewritten} values; "
            f"{report.values_current} were already under the current key."
        )
