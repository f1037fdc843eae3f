from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from madad.accounts.models import User
from madad.core.refusals import Refused
from madad.fund.services import rates_load


class Command(BaseCommand):
    help = (
        "The relief fund. `madad fund rates load FILE.csv --by EMAIL` loads exchange rates "
        "(columns date, currency, rate and optionally source; the rate is fund-currency units "
        "for one unit of the currency) for the organisation of the finance officer EMAIL. "
        "Every line is checked first: if any is wrong, the errors are listed by line and "
        "nothing is loaded."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="area", required=True)
        rates = sub.add_parser("rates", help="Exchange rates.")
        rates_sub = rates.add_subparsers(dest="action", required=True)
        load = rates_sub.add_parser("load", help="Load rates from a CSV file, all or nothing.")
        load.add_argument("file", type=Path)
        load.add_argument(
            "--by", required=True, metavar="EMAIL", help="The finance officer recording the rates."
        )
        load.add_argument(
            "--source",
            default="",
            help="The source of rates whose line names none (default: the file's name).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(email__iexact=options["by"].strip(), is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {options['by']}.")
        path: Path = options["file"]
        try:
            with path.open("rb") as file:
                loaded = rates_load(
                    recorded_by=user, file=file, default_source=options["source"] or path.name[:100]
                )
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}.") from None
        except Refused as refused:
            lines = refused.fields.get("file", [])
            for message in lines:
                self.stderr.write(f"{path.name}: {message}")
            if lines:
                raise CommandError(f"{len(lines)} lines have errors; no rate was loaded.") from None
            texts = [m for messages in refused.fields.values() for m in messages]
            raise CommandError(" ".join(texts) or refused.message) from None
        self.stdout.write(f"Loaded {loaded.added} rates ({loaded.unchanged} already recorded).")
