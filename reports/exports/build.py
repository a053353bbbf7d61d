"""One export, from its spec to a file, reporting progress as a fraction in [0, 1]."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from reports.exports.errors import BuildError
from reports.exports.spec import RESPONDENT_ROWS, ExportSpec
from reports.models import ExportFormat, ExportWhat, RoundScoring

ProgressFn = Callable[..., None]


def _require_scores(spec: ExportSpec) -> None:
    if spec.individual and spec.what in RESPONDENT_ROWS:
        raise BuildError(
            _(
                "The answers and scores of each respondent of a survey of staff are not "
                "exported, so that no respondent can be recognised; export the results by "
                "area, which show groups of at least %(minimum)s respondents."
            )
            % {"minimum": settings.MIN_GROUP_SIZE}
        )
    if spec.what == ExportWhat.CODEBOOK:
        return
    scoring = RoundScoring.objects.filter(round=spec.round, computed_at__isnull=False).first()
    if scoring is None and spec.what not in (ExportWhat.ANSWERS,):
        raise BuildError(
            _(
                "The scores of this round have not been computed yet: there is nothing to "
                "report. Scores are computed a few minutes after responses are submitted; "
                "try again later."
            )
        )


def build(spec: ExportSpec, path: Path, progress: ProgressFn) -> int:
    """Writes the export to `path`; returns the number of table rows (or pages) written."""
    _require_scores(spec)
    progress(0.0, _("Reading the results"), force=True)
    if spec.format in (ExportFormat.XLSX, ExportFormat.CSV):
        return _tables(spec, path, progress)
    # Imported here: the documents bring WeasyPrint, Plotly and Kaleido, which only a PDF or a
    # DOCX export needs (not the web process that requests a job, nor a workbook's build).
    from reports.exports import documents

    if spec.format == ExportFormat.DOCX:
        return documents.write_docx(spec, path, progress)
    return documents.write_pdf(spec, path, progress)


def _tables(spec: ExportSpec, path: Path, progress: ProgressFn) -> int:
    from reports.exports import csvzip, xlsx
    from reports.exports.tables import table_for

    tables = [table_for(spec, key) for key in spec.tables]
    total = max(1, sum(table.count for table in tables))
    done = 0

    def tick(rows: int) -> None:
        nonlocal done
        done += rows
        progress(
            done / total, _("Writing rows: %(done)s of %(total)s") % {"done": done, "total": total}
        )

    if spec.format == ExportFormat.XLSX:
        return xlsx.write_workbook(path, tables, tick)
    if len(tables) == 1:
        return csvzip.write_csv(path, tables[0], tick)
    return csvzip.write_zip(path, tables, tick)
