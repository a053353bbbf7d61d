"""python manage.py import_responses --round CODE FILE

Imports a KoboToolbox/ODK export (CSV or XLSX) into a round, all or nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from surveys.models import Round
from surveys.services.imports import ImportFailed, responses_import


class Command(BaseCommand):
    help = "Import responses collected in KoboToolbox or ODK (CSV/XLSX export) into a round."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--round", required=True, dest="round_code", help="code of the round")
        parser.add_argument("file", help="the CSV or XLSX file exported by KoboToolbox/ODK")

    def handle(self, *args, round_code: str, file: str, **options) -> None:
        round_ = (
            Round.objects.select_related("version__questionnaire").filter(code=round_code).first()
        )
        if round_ is None:
            raise CommandError(f"No round with code {round_code!r}.")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No file at {file}.")
        try:
            with path.open("rb") as handle:
                result = responses_import(round_=round_, file=handle, filename=path.name, user=None)
        except ImportFailed as failed:
            for problem in failed.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"{len(failed.problems)} problem(s); nothing was imported."
            ) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported: {result.created} created, {result.updated} updated, "
                f"{result.unchanged} unchanged."
            )
        )
        if result.not_carried:
            self.stdout.write(
                "Not in the file (stored answers kept): " + ", ".join(result.not_carried)
            )
        if result.ignored_columns:
            self.stdout.write("Ignored columns: " + ", ".join(result.ignored_columns))
