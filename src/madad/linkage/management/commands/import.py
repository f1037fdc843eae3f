"""`madad import persons FILE.csv`. (The module is named after the command; Python's keyword
does not matter to Django's loader, which imports it by path.)"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from madad.core.refusals import Invalid
from madad.linkage.imports import FILE, open_text, persons_import
from madad.linkage.management.organisation import add_organisation_argument, organisation_named


class Command(BaseCommand):
    help = (
        "Import records. `madad import persons FILE.csv` creates one person per row "
        "(columns record_id, given_name, family_name, full_name_ur, father_name, sex, "
        "date_of_birth, age, cnic, phone, address, town, district; only record_id is "
        "required); a bad row is reported by line and then nothing is written."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True)
        persons = sub.add_parser("persons", help="Persons from a CSV file.")
        persons.add_argument("file", help="The CSV file (UTF-8).")
        add_organisation_argument(persons)

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = organisation_named(options.get("organisation"))
        try:
            with open_text(options["file"]) as file:
                report = persons_import(organisation=organisation, file=file, imported_by=None)
        except OSError as error:
            raise CommandError(
                _("Cannot read the file: %(reason)s")
                % {"reason": error.strerror or type(error).__name__}
            ) from None
        except Invalid as refused:
            problems = refused.fields.get(FILE, [refused.message])
            for line in problems:
                self.stderr.write(line)
            raise CommandError(
                _("%(count)s problem(s) found; nothing was imported.") % {"count": len(problems)}
            ) from None
        if report.ignored_columns:
            self.stderr.write(
                _("Ignored columns: %(names)s") % {"names": ", ".join(report.ignored_columns)}
            )
        self.stdout.write(
            _("Imported %(count)s persons (%(places)s with a place found in the gazetteer).")
            % {"count": report.created, "places": report.places_found}
        )
