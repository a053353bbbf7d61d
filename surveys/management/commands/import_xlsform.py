"""Imports an XLSForm as a new draft version (or published with --publish).

Exits non-zero and prints every problem (sheet, row, column, why) when the file is refused;
nothing is imported then."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from surveys.models import Questionnaire
from surveys.xlsform import xlsform_import


class Command(BaseCommand):
    help = "Import an XLSForm (.xlsx or .xls) as a new questionnaire version."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Path of the .xlsx or .xls file")
        parser.add_argument("--publish", action="store_true", help="Publish if every check passes")
        parser.add_argument(
            "--questionnaire", help="Code of the questionnaire (default: the form_id setting)"
        )

    def handle(self, *args, **options) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        questionnaire = None
        if options["questionnaire"]:
            questionnaire = Questionnaire.objects.filter(code=options["questionnaire"]).first()
            if questionnaire is None:
                raise CommandError(f"No questionnaire with the code {options['questionnaire']}")
        result = xlsform_import(
            file=str(path),
            filename=path.name,
            questionnaire=questionnaire,
            publish=options["publish"],
        )
        for warning in result.warnings:
            self.stderr.write(f"warning: {warning}")
        if result.version is None:
            for problem in result.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{path.name} was refused: {len(result.problems)} problem(s).")
        version = result.version
        questions = version.questions.count()
        self.stdout.write(
            f"Imported {version.questionnaire.code} version {version.number} (id {version.pk}, "
            f"{version.status}): {version.pillars.count()} pillars, {questions} questions."
        )
