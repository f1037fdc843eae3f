from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from madad.core.refusals import Invalid
from madad.places.services import places_load, places_reindex


class Command(BaseCommand):
    help = (
        "The gazetteer. `madad places load FILE.csv` loads or updates places (columns "
        "code,level,parent_code,name,name_ur,latitude,longitude); nothing is written when "
        "any row is bad. `madad places reindex` rebuilds the name search."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="Load places from a CSV file, matched by code.")
        load.add_argument("file", help="a UTF-8 CSV file")
        sub.add_parser("reindex", help="Rebuild every place's search text.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "reindex":
            self.stdout.write(f"Search text rebuilt for {places_reindex()} places.")
            return
        try:
            report = places_load(source=options["file"], actor_label="madad places load")
        except Invalid as invalid:
            problems = [f"{line}: {reason}" for line, rs in invalid.fields.items() for reason in rs]
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(
                f"{len(problems)} problem(s) in {options['file']}; nothing was loaded."
            ) from None
        self.stdout.write(
            f"Places loaded: {report.created} new, {report.updated} updated, "
            f"{report.unchanged} unchanged."
        )
