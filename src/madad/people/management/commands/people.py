from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from madad.people.services import people_reindex


class Command(BaseCommand):
    help = (
        "Persons. `madad people reindex` rebuilds every person's name-search keys: run it "
        "after the name normalisation (core.names) or the blind-index key changed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        reindex = sub.add_parser("reindex", help="Rebuild the name-search keys of everybody.")
        reindex.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args: Any, **options: Any) -> None:
        count = people_reindex(batch_size=max(1, options["batch_size"]))
        self.stdout.write(f"Name keys rebuilt for {count} persons.")
