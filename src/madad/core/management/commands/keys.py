from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from madad.core import keys_generate
from madad.core.keys import keys_rotate


class Command(BaseCommand):
    help = (
        "Field-encryption keys. `madad keys rotate` re-encrypts every sensitive value with the "
        "first key in MADAD_FIELD_KEYS; keep the old keys listed after it until this finishes. "
        "`madad keys generate` prints new secrets (`--field-key`: one field key)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        rotate = sub.add_parser("rotate", help="Re-encrypt everything with the current key.")
        rotate.add_argument("--batch-size", type=int, default=500)
        generate = sub.add_parser(
            "generate", help="Print new secrets as NAME=value lines (works before any is set)."
        )
        generate.add_argument("--field-key", action="store_true", help="One field key only.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "generate":  # `madad keys generate` itself never gets here
            self.stdout.write(keys_generate.text(field_key=options["field_key"]), ending="")
            return
        report = keys_rotate(batch_size=options["batch_size"])
        self.stdout.write(
            f"Re-encrypted {report.values_rewritten} values; "
            f"{report.values_current} were already under the current key."
        )
