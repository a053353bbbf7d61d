"""`manage.py import_organisations FILE.csv`: villages, departments and offices from a CSV.

All or nothing: a file with any bad row changes nothing; every problem is printed with its line
number and the command exits non-zero."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from organisations.services import organisations_import


class Command(BaseCommand):
    help = (
        "Import organisations from a UTF-8 CSV with the columns "
        "code,parent_code,kind,name_lo,name_en[,line_ministry_code]. Re-importing updates by code."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options) -> None:
        if not file.is_file():
            raise CommandError(_("No such file: %(file)s") % {"file": file})
        report = organisations_import(rows_or_file=file)
        if not report.ok:
            for problem in report.problems:
                self.stderr.write(str(problem))
            count = len(report.problems)
            raise CommandError(
                ngettext(
                    "%(count)d problem found; nothing was changed.",
                    "%(count)d problems found; nothing was changed.",
                    count,
                )
                % {"count": count}
            )
        self.stdout.write(report.summary())
