"""`python manage.py export --round CODE --what WHAT [--area CODE] --format FMT --lang LANG
--out PATH`: an export from the command line, the same build as a ReportJob, with a progress
bar when stderr is a terminal. The area defaults to the national root."""

import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from organisations.models import Organisation
from reports.exports.build import BuildError, build
from reports.exports.spec import FORMATS, LANGUAGES, ExportSpec, SpecError, spec_check
from surveys.models import Round

BAR = 30


class TerminalProgress:
    def __init__(self, stream) -> None:
        self.stream = stream
        self.live = stream.isatty()

    def __call__(self, fraction: float, step: str = "", *, force: bool = False) -> None:
        if not self.live:
            return
        filled = int(BAR * max(0.0, min(1.0, fraction)))
        bar = "█" * filled + "·" * (BAR - filled)
        self.stream.write(f"\r{bar} {int(100 * fraction):3d}% {step[:60]:<60}")
        self.stream.flush()

    def close(self) -> None:
        if self.live:
            self.stream.write("\n")


class Command(BaseCommand):
    help = "Export a round's results (Excel, CSV, PDF or Word), as the export page does."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--round", required=True, help="Round code")
        parser.add_argument("--what", required=True, choices=list(FORMATS))
        parser.add_argument("--area", default="", help="Organisation code (default: the nation)")
        parser.add_argument("--format", required=True, choices=["xlsx", "csv", "pdf", "docx"])
        parser.add_argument("--lang", default="lo", choices=list(LANGUAGES))
        parser.add_argument("--out", required=True, help="File to write")

    def handle(self, *args, **options) -> None:
        round_ = Round.objects.filter(code=options["round"]).select_related("version").first()
        if round_ is None:
            raise CommandError(_("No round with the code %(code)s.") % {"code": options["round"]})
        if options["area"]:
            area = Organisation.objects.filter(code=options["area"]).first()
        else:
            area = Organisation.objects.get_root_nodes().first()
        if area is None:
            raise CommandError(
                _("No organisation with the code %(code)s.") % {"code": options["area"]}
            )
        try:
            spec_check(what=options["what"], format=options["format"], language=options["lang"])
        except SpecError as error:
            raise CommandError(str(error)) from error
        spec = ExportSpec(
            round=round_,
            what=options["what"],
            area=area,
            format=options["format"],
            language=options["lang"],
        )
        out = Path(options["out"])
        progress = TerminalProgress(sys.stderr)
        started = time.perf_counter()
        try:
            with translation.override(spec.language):
                rows = build(spec, out, progress)
        except BuildError as error:
            progress.close()
            raise CommandError(str(error)) from error
        progress(1.0, "", force=True)
        progress.close()
        self.stdout.write(
            _("Wrote %(path)s (%(rows)s rows or pages, %(size)s bytes) in %(seconds).1f s.")
            % {
                "path": out,
                "rows": rows,
                "size": out.stat().st_size,
                "seconds": time.perf_counter() - started,
            }
        )
