from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from madad.backup import keys, schedule, services
from madad.core.refusals import Refused


class Command(BaseCommand):
    help = (
        "Encrypted backups: `keygen --out FILE`, `create`, `restore FILE --identity KEYFILE`, "
        "`drill`, `due` (from cron: backs up and drills when their schedule says so), `list`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        keygen = sub.add_parser("keygen", help="Write a new age identity; print its public key.")
        keygen.add_argument("--out", required=True, type=Path, help="the identity file to write")
        sub.add_parser("create", help="Take a backup into MADAD_BACKUP_DIR now.")
        restore = sub.add_parser(
            "restore", help="Restore a backup into the configured (empty) database and files."
        )
        restore.add_argument("file", type=Path)
        restore.add_argument("--identity", type=Path, help="default: MADAD_BACKUP_IDENTITY")
        restore.add_argument(
            "--force", action="store_true", help="replace a database or files folder in use"
        )
        drill = sub.add_parser(
            "drill", help="Open the newest backup (or FILE) in a throwaway place and check it."
        )
        drill.add_argument("file", type=Path, nargs="?")
        drill.add_argument("--identity", type=Path, help="default: MADAD_BACKUP_IDENTITY")
        sub.add_parser("due", help="Back up and drill if their schedule says so (run hourly).")
        sub.add_parser("list", help="The backups in MADAD_BACKUP_DIR, newest first.")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        say = self.stdout.write
        try:
            if action == "keygen":
                recipient = keys.generate(options["out"])
                say(f"Wrote the identity (secret key) to {options['out']}.")
                say(f"Its public key, for MADAD_BACKUP_RECIPIENTS: {recipient}")
            elif action == "create":
                services.create(say=say)
            elif action == "restore":
                services.restore(
                    options["file"],
                    identity=keys.identity_path(options["identity"]),
                    force=options["force"],
                    say=say,
                )
            elif action == "drill":
                run = services.drill(options["file"], identity=options["identity"], say=say)
                if not run.ok:
                    raise CommandError(f"Drill failed: {run.detail}")
                say(f"Drill passed: {run.file}.")
            elif action == "due":
                for line in schedule.run_due():
                    say(line)
            else:
                for path in services.backups():
                    say(f"{path.name}  {path.stat().st_size:,} bytes")
        except Refused as refusal:
            raise CommandError(refusal.message) from None
