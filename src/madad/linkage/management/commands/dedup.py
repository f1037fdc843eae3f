"""`madad dedup persons --out pairs.csv`: the candidate duplicate pairs, for bulk work and for
checking the matcher on outside data."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from madad.core.audit import audit_record
from madad.core.spreadsheet import csv_write
from madad.linkage.management.organisation import add_organisation_argument, organisation_named
from madad.linkage.services import persons_dedup


class Command(BaseCommand):
    help = (
        "Find duplicates. `madad dedup persons --out pairs.csv` writes "
        "record_id_1,record_id_2,score, one line per candidate pair at or above the review "
        "threshold (the organisation's, or --threshold). Nothing is changed in Madad."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True)
        persons = sub.add_parser("persons", help="Duplicate persons.")
        persons.add_argument("--out", required=True, help="The CSV file to write.")
        add_organisation_argument(persons)
        persons.add_argument(
            "--threshold",
            type=float,
            help="The probability at or above which a pair is written (between 0 and 1).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = organisation_named(options.get("organisation"))
        threshold = options.get("threshold")
        if threshold is not None and not 0 < threshold < 1:
            raise CommandError(_("The threshold is a probability between 0 and 1."))
        rows = persons_dedup(organisation=organisation, threshold=threshold)
        try:
            with open(options["out"], "w", newline="", encoding="utf-8") as out:
                csv_write(
                    out,
                    [
                        ["record_id_1", "record_id_2", "score"],
                        *([first, second, f"{score:.4f}"] for first, second, score in rows),
                    ],
                )
        except OSError as error:
            raise CommandError(
                _("Cannot write the file: %(reason)s")
                % {"reason": error.strerror or type(error).__name__}
            ) from None
        audit_record(
            action="linkage.dedup.exported",
            organisation=organisation,
            object_type="people.person",
            actor_label="madad dedup",
        )
        self.stdout.write(_("%(count)s candidate pairs written.") % {"count": len(rows)})
