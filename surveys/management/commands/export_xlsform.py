"""Writes a questionnaire version as an XLSForm (.xlsx) that KoboToolbox/ODK can deploy and
that imports back to an identical version."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from surveys.models import QuestionnaireVersion
from surveys.xlsform import xlsform_export


class Command(BaseCommand):
    help = "Export a questionnaire version as an XLSForm (.xlsx)."

    def create_parser(self, prog_name: str, subcommand: str, **kwargs) -> CommandParser:
        # `--version ID` names the questionnaire version here; it replaces Django's own
        # `--version` (which prints Django's version).
        kwargs.setdefault("conflict_handler", "resolve")
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--version",
            dest="version_id",
            type=int,
            required=True,
            help="Id of the questionnaire version",
        )
        parser.add_argument("out", help="Path of the .xlsx file to write")

    def handle(self, *args, **options) -> None:
        version = QuestionnaireVersion.objects.filter(pk=options["version_id"]).first()
        if version is None:
            raise CommandError(f"No questionnaire version with the id {options['version_id']}")
        out = Path(options["out"])
        out.write_bytes(xlsform_export(version))
        self.stdout.write(f"Wrote {out} ({version}).")
